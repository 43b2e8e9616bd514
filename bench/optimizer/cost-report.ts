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

/** Issue 11's targets for one warm step (one observation appended + one suggestion, one thread), keyed by `d/n`. */
export const COST_TARGETS_MS: Readonly<Record<string, number>> = {
  '5/100': 3,
  '10/500': 10,
  '20/2000': 40,
};

/** Renders the cost results as markdown. */
export function renderCostMarkdown(report: CostReport): string {
  const lines = [
    '# Optimizer engine cost',
    '',
    `Generated ${report.generated} by \`${report.command}\`` + (report.partial ? ' — **partial run**.' : '.'),
    `Environment: ${Object.entries(report.environment)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
    'One thread, a smooth synthetic function on [0, 1]^d with n observations. "Cold" is the first call ' +
      'on the whole history without saved state (MAP fit of the hyperparameters, candidate set). A ' +
      `"warm step" appends one new observation to the warm model and asks for one suggestion, as a ` +
      `worker does after each observation; median of ${report.reps} steps (fit = append, acquisition = ` +
      "proposal, from the engine's own diagnostics). Refits the steps made due run after their step " +
      '(off the request path) and are shown apart: how many, their median, and their total spread ' +
      'over all steps. CPU ms is the process CPU time: on an idle machine it equals the wall time.',
    '',
    '| d | n | warm step wall ms | warm step CPU ms | append ms | proposal ms | refits | refit median ms | refit amortized ms/step | cold wall ms | target ms | strategy |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const p of report.points) {
    const target = COST_TARGETS_MS[`${p.d}/${p.n}`];
    // Judged on both clocks: wall time is what a user waits, CPU time is robust to other load.
    const verdict = (limit: number, ms: number): string => (ms <= limit ? 'met' : '**missed**');
    const met = target === undefined ? '—' : `${target}: wall ${verdict(target, p.warm.wallMs)}, CPU ${verdict(target, p.warm.cpuMs)}`;
    lines.push(
      `| ${p.d} | ${p.n} | ${formatNumber(p.warm.wallMs)} | ${formatNumber(p.warm.cpuMs)} | ${formatNumber(p.warm.fitMs)} | ` +
        `${formatNumber(p.warm.acquisitionMs)} | ${p.refits.count} | ${p.refits.medianMs === null ? '—' : formatNumber(p.refits.medianMs)} | ` +
        `${formatNumber(p.refits.amortizedMs)} | ${formatNumber(p.cold.wallMs)} | ${met} | ${p.warm.strategy} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
