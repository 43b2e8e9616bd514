import type { CostPoint } from './cost.ts';
import { formatNumber } from './format-number.ts';

/** The engine-cost results as written to optimizer-cost.json. */
export interface CostReport {
  readonly generated: string;
  readonly command: string;
  readonly partial: boolean;
  readonly reps: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly fingerprint: string;
  readonly points: readonly CostPoint[];
}

/** Issue 3's time-per-suggestion targets (one thread), keyed by `d/n`. */
export const COST_TARGETS_MS: Readonly<Record<string, number>> = {
  '5/200': 150,
  '20/1000': 1500,
  '20/5000': 3000,
};

/** Renders the cost results as markdown. */
export function renderCostMarkdown(report: CostReport): string {
  const lines = [
    '# Optimizer engine cost',
    '',
    `Generated ${report.generated} by \`${report.command}\`` +
      (report.partial ? ' — **partial run**.' : '.'),
    `Environment: ${Object.entries(report.environment)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    'Time of one `suggest` call (count 1, no pending points) on n synthetic observations of a smooth ' +
      'function on [0, 1]^d, on one thread. "Warm" passes the state returned by the previous call ' +
      `(the steady state of a running experiment); median of ${report.reps} warm calls. "Cold" is ` +
      'the first call without saved state. fit and acquisition are the engine\'s own diagnostics. ' +
      'CPU ms is the process CPU time of the call: on an idle machine it equals the wall time, so a ' +
      'wall time well above it means other load was competing for the cores.',
    '',
    '| d | n | warm wall ms | warm CPU ms | warm fit ms | warm acquisition ms | cold wall ms | target ms | strategy |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const p of report.points) {
    const target = COST_TARGETS_MS[`${p.d}/${p.n}`];
    // Judged on both clocks: wall time is what a user waits, CPU time is robust to other load.
    const verdict = (limit: number, ms: number): string => (ms <= limit ? 'met' : '**missed**');
    const met =
      target === undefined
        ? '—'
        : `${target}: wall ${verdict(target, p.warm.wallMs)}, CPU ${verdict(target, p.warm.cpuMs)}`;
    lines.push(
      `| ${p.d} | ${p.n} | ${formatNumber(p.warm.wallMs)} | ${formatNumber(p.warm.cpuMs)} | ${formatNumber(p.warm.fitMs)} | ` +
        `${formatNumber(p.warm.acquisitionMs)} | ${formatNumber(p.cold.wallMs)} | ${met} | ${p.warm.strategy} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
