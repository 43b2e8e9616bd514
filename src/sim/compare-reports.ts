import type { SimulationReport } from './simulation-report.ts';

/** One compared figure. */
export interface ComparisonRow {
  readonly figure: string;
  readonly a: number | null;
  readonly b: number | null;
  /** b / a; null when either is missing or a is 0. */
  readonly ratio: number | null;
  /** Whether a larger value is better (throughput) or worse (latency, errors). */
  readonly higherIsBetter: boolean;
}

/**
 * The figures two reports share, side by side with the ratio b/a. Ratios read the same way for every
 * row ("b is 1.30× a"); the verdict column says whether that is an improvement.
 */
export function compareReports(a: SimulationReport, b: SimulationReport): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const add = (figure: string, va: number | null | undefined, vb: number | null | undefined, higherIsBetter: boolean) => {
    const x = va ?? null;
    const y = vb ?? null;
    rows.push({ figure, a: x, b: y, ratio: x !== null && y !== null && x !== 0 ? y / x : null, higherIsBetter });
  };
  add('cycles/s', a.summary.cyclesPerSecond, b.summary.cyclesPerSecond, true);
  for (const q of ['p50', 'p95', 'p99', 'max'] as const) add(`cycle ${q} ms`, a.summary.cycleLatency[q], b.summary.cycleLatency[q], false);
  add('errors', a.summary.errors, b.summary.errors, false);
  add('error rate', a.summary.errorRate, b.summary.errorRate, false);
  const endpoints = Object.keys(a.endpoints).filter((e) => e !== 'cycle' && b.endpoints[e]);
  for (const e of endpoints) {
    const ea = a.endpoints[e]!;
    const eb = b.endpoints[e]!;
    add(`${e} ok/s`, ea.throughput, eb.throughput, true);
    for (const q of ['p50', 'p95', 'p99'] as const) add(`${e} ${q} ms`, ea.latency[q], eb.latency[q], false);
  }
  add('model share', a.sourceMix.modelShare, b.sourceMix.modelShare, true);
  add('fresh share', a.sourceMix.freshShare, b.sourceMix.freshShare, true);
  add('server CPU utilisation', a.server?.cpuUtilisation, b.server?.cpuUtilisation, false);
  add('server event-loop lag p99 ms', a.server?.eventLoopLagP99Ms, b.server?.eventLoopLagP99Ms, false);
  add('server RSS MB', a.server?.residentMemoryMb, b.server?.residentMemoryMb, false);
  return rows;
}

/** The comparison as an aligned text table. */
export function formatComparison(rows: readonly ComparisonRow[], labels: readonly [string, string] = ['a', 'b']): string {
  const num = (v: number | null) => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 4 : 2));
  const table = rows.map((r) => {
    let verdict = '';
    if (r.ratio !== null && Math.abs(r.ratio - 1) >= 0.05) verdict = r.ratio > 1 === r.higherIsBetter ? 'better' : 'worse';
    else if (r.ratio !== null) verdict = 'same';
    return [r.figure, num(r.a), num(r.b), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`, verdict];
  });
  const header = ['figure', labels[0], labels[1], 'b/a', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...table.map(line)].join('\n');
}
