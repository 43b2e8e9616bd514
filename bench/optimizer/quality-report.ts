import { tally, type ProblemModeSummary } from './aggregate.ts';
import { formatNumber } from './format-number.ts';
import type { RunMode } from './job.ts';
import type { OptimizerName } from './optimizers/bench-optimizer.ts';

/** The quality results as written to optimizer-quality.json. */
export interface QualityReport {
  readonly generated: string;
  readonly command: string;
  /** True when the run covered less than the full suite (fewer seeds, functions, ...). */
  readonly partial: boolean;
  readonly seeds: number;
  readonly optimizers: readonly OptimizerName[];
  readonly modes: readonly RunMode[];
  readonly environment: Readonly<Record<string, string>>;
  readonly fingerprints: Readonly<Record<string, string>>;
  readonly failures: readonly string[];
  readonly rows: readonly ProblemModeSummary[];
}

const SYMBOL = { win: 'win', tie: 'tie', loss: '**loss**' } as const;

function cell(row: ProblemModeSummary, name: OptimizerName): string {
  const s = row.optimizers[name];
  if (s === undefined) return '—';
  return `${formatNumber(s.median)} [${formatNumber(s.q1)}, ${formatNumber(s.q3)}]`;
}

function auc(row: ProblemModeSummary, name: OptimizerName): string {
  const s = row.optimizers[name];
  return s === undefined ? '—' : s.aucMedian.toFixed(3);
}

function verdictCell(c: ProblemModeSummary['vsRandom']): string {
  return c === null ? '—' : `${SYMBOL[c.verdict]} (p=${c.p < 0.001 ? '<0.001' : c.p.toFixed(3)})`;
}

/** Renders the report as the markdown summary committed next to the JSON. */
export function renderQualityMarkdown(report: QualityReport): string {
  const lines: string[] = [];
  lines.push('# Optimizer quality benchmark');
  lines.push('');
  lines.push(
    `Generated ${report.generated} by \`${report.command}\`; ${report.seeds} seed(s) per function, ` +
      `optimizers: ${report.optimizers.join(', ')}; modes: ${report.modes.join(', ')}` +
      (report.partial ? ' — **partial run, not the full suite**.' : '.'),
  );
  lines.push(
    `Environment: ${Object.entries(report.environment)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
  );
  lines.push('');
  lines.push(
    'Every number is "lower is better": the best objective value found within the budget ' +
      '(minus the hypervolume for branin-currin; +∞ = no feasible point). Cells show the median ' +
      '[first quartile, third quartile] over seeds. Verdicts are two-sided Mann-Whitney U tests of ' +
      "sextant's final values against the other optimizer's (p < 0.05). AUC is the normalized area " +
      'under the best-so-far curve (0 = optimum from the first evaluation, 1 = never better than a ' +
      'median random point). See docs/benchmarks.md.',
  );
  lines.push('');
  lines.push('## Summary (sextant against the others)');
  lines.push('');
  lines.push('| mode | vs random: win / tie / loss | vs TPE: win / tie / loss |');
  lines.push('|---|---|---|');
  for (const mode of report.modes) {
    const rows = report.rows.filter((r) => r.mode === mode);
    const r = tally(rows, 'vsRandom');
    const t = tally(rows, 'vsTpe');
    lines.push(`| ${mode} | ${r.win} / ${r.tie} / ${r.loss} | ${t.win} / ${t.tie} / ${t.loss} |`);
  }
  lines.push('');
  lines.push('## Per function');
  lines.push('');
  lines.push(
    '| function | d | budget | mode | optimum | sextant | tpe | random | vs random | vs tpe | AUC sextant / tpe / random |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of report.rows) {
    lines.push(
      `| ${row.function} | ${row.dimension} | ${row.budget} | ${row.mode} | ${formatNumber(row.optimum)} | ` +
        `${cell(row, 'sextant')} | ${cell(row, 'tpe')} | ${cell(row, 'random')} | ` +
        `${verdictCell(row.vsRandom)} | ${verdictCell(row.vsTpe)} | ` +
        `${auc(row, 'sextant')} / ${auc(row, 'tpe')} / ${auc(row, 'random')} |`,
    );
  }
  lines.push('');
  lines.push('## Time per suggestion (median wall ms of one ask, as seen by the harness)');
  lines.push('');
  lines.push('| function | mode | sextant | tpe | random |');
  lines.push('|---|---|---|---|---|');
  for (const row of report.rows) {
    const ms = (n: OptimizerName): string => {
      const s = row.optimizers[n];
      return s === undefined ? '—' : formatNumber(s.msPerAsk);
    };
    lines.push(`| ${row.function} | ${row.mode} | ${ms('sextant')} | ${ms('tpe')} | ${ms('random')} |`);
  }
  if (report.failures.length > 0) {
    lines.push('');
    lines.push(`## Failed runs (${report.failures.length})`);
    lines.push('');
    for (const f of report.failures.slice(0, 30)) lines.push(`- ${f}`);
  }
  lines.push('');
  return lines.join('\n');
}
