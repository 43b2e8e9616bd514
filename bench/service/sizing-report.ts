/**
 * Pure part of the sizing benchmark (bench/service/sizing.ts): one run's figures, medians over
 * repeats per cell, the mechanical recommendation, and the Markdown table.
 */

/** One cell of the matrix: API processes × worker processes × engine threads per worker. */
export interface SizingCell {
  readonly processes: number;
  readonly workers: number;
  /** Engine threads per worker; the worker's --concurrency is the same number. */
  readonly threads: number;
}

/** Figures of one run of one cell (null: not measurable, e.g. /proc missing or run failed). */
export interface SizingRun {
  readonly cell: SizingCell;
  readonly repeat: number;
  readonly error: string | null;
  readonly cyclesPerSecond: number | null;
  readonly cycleP50Ms: number | null;
  readonly cycleP99Ms: number | null;
  readonly suggestionP99Ms: number | null;
  /** model / (model + fallback) suggestions of the run (post-initial-design share from the model). */
  readonly modelShare: number | null;
  readonly sources: Readonly<Record<string, number>>;
  readonly errors: number | null;
  readonly verified: boolean | null;
  /** Cores used during the measured phase by the API process tree and by the worker processes. */
  readonly apiCpuCores: number | null;
  readonly workerCpuCores: number | null;
  /** Cores the load generator (this process) used meanwhile: on a small machine it competes with the service. */
  readonly loadGeneratorCpuCores: number | null;
  readonly loadAverageAtStart: readonly number[];
}

/** Medians of a cell's runs. */
export interface SizingCellSummary {
  readonly cell: SizingCell;
  readonly runs: number;
  readonly failedRuns: number;
  readonly cyclesPerSecond: number | null;
  readonly cycleP50Ms: number | null;
  readonly cycleP99Ms: number | null;
  readonly suggestionP99Ms: number | null;
  readonly modelShare: number | null;
  readonly errors: number | null;
  readonly verified: boolean;
  readonly apiCpuCores: number | null;
  readonly workerCpuCores: number | null;
  readonly loadGeneratorCpuCores: number | null;
  readonly loadAverage1m: number | null;
}

/** The selection rule's knobs. */
export interface SelectionRule {
  /** Eligible cells keep cycle p99 within this factor of the best cell's p99. */
  readonly p99Tolerance: number;
  /** Eligible cells serve at least this share of post-initial suggestions from the model. */
  readonly minModelShare: number;
}

/** The recommended cell and why. */
export interface Recommendation {
  readonly cell: SizingCell | null;
  readonly rule: string;
  /** Set when no cell met the rule's thresholds and the fallback applied. */
  readonly note: string | null;
}

export function cellLabel(c: SizingCell): string {
  return `${c.processes} API × ${c.workers} worker${c.workers === 1 ? '' : 's'} × ${c.threads} thread${c.threads === 1 ? '' : 's'}`;
}

export function median(values: readonly (number | null)[]): number | null {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  const m = xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return Math.round(m * 1000) / 1000;
}

/** Per-cell medians, in the order the cells first appear in `runs`. */
export function summarizeCells(runs: readonly SizingRun[]): SizingCellSummary[] {
  const byCell = new Map<string, SizingRun[]>();
  for (const r of runs) {
    const key = cellLabel(r.cell);
    byCell.set(key, [...(byCell.get(key) ?? []), r]);
  }
  return [...byCell.values()].map((all) => {
    const ok = all.filter((r) => r.error === null);
    const pick = (f: (r: SizingRun) => number | null) => median(ok.map(f));
    return {
      cell: all[0]!.cell,
      runs: all.length,
      failedRuns: all.length - ok.length,
      cyclesPerSecond: pick((r) => r.cyclesPerSecond),
      cycleP50Ms: pick((r) => r.cycleP50Ms),
      cycleP99Ms: pick((r) => r.cycleP99Ms),
      suggestionP99Ms: pick((r) => r.suggestionP99Ms),
      modelShare: pick((r) => r.modelShare),
      errors: pick((r) => r.errors),
      verified: ok.length > 0 && ok.every((r) => r.verified === true),
      apiCpuCores: pick((r) => r.apiCpuCores),
      workerCpuCores: pick((r) => r.workerCpuCores),
      loadGeneratorCpuCores: pick((r) => r.loadGeneratorCpuCores),
      loadAverage1m: median(all.map((r) => r.loadAverageAtStart[0] ?? null)),
    };
  });
}

/**
 * The rule: among cells whose runs all verified (stored = acknowledged observations) and whose
 * model share is at least `minModelShare`, keep those with cycle p99 ≤ `p99Tolerance` × the best
 * such p99 and pick the highest cycles/s; ties go to the cell using fewer processes and threads.
 * If no cell reaches the model share, the share threshold is dropped (and the note says so).
 */
export function recommend(cells: readonly SizingCellSummary[], rule: SelectionRule): Recommendation {
  const text =
    `highest cycles/s among verified cells with model share ≥ ${rule.minModelShare * 100} % and cycle p99 ≤ ` +
    `${rule.p99Tolerance}× the best such p99; ties: fewer processes + threads`;
  const measured = cells.filter((c) => c.verified && c.cyclesPerSecond !== null && c.cycleP99Ms !== null);
  let eligible = measured.filter((c) => c.modelShare !== null && c.modelShare >= rule.minModelShare);
  let note: string | null = null;
  if (eligible.length === 0 && measured.length > 0) {
    eligible = measured;
    note = `no cell reached a model share of ${rule.minModelShare * 100} %: chosen on latency and throughput alone`;
  }
  if (eligible.length === 0) return { cell: null, rule: text, note: 'no cell completed a verified run' };
  const bestP99 = Math.min(...eligible.map((c) => c.cycleP99Ms!));
  const cost = (c: SizingCell) => c.processes + c.workers * c.threads;
  const best = eligible
    .filter((c) => c.cycleP99Ms! <= rule.p99Tolerance * bestP99)
    .sort((a, b) => b.cyclesPerSecond! - a.cyclesPerSecond! || cost(a.cell) - cost(b.cell))[0]!;
  return { cell: best.cell, rule: text, note };
}

/** A figure rounded for the table (the JSON keeps full precision). */
const show = (v: number | null, digits = 0) => (v === null ? '—' : String(Math.round(v * 10 ** digits) / 10 ** digits));

/** The Markdown table of cell medians. */
export function markdownTable(cells: readonly SizingCellSummary[], chosen: SizingCell | null): string[] {
  return [
    '| API processes | workers | threads/worker | cycles/s | cycle p50 ms | cycle p99 ms | suggestion p99 ms | model share | errors | verified | CPU cores: API / workers / load gen. | load 1m at start | runs (failed) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...cells.map((c) => {
      const mark = chosen && cellLabel(chosen) === cellLabel(c.cell) ? ' **←**' : '';
      const share = c.modelShare === null ? '—' : `${Math.round(c.modelShare * 1000) / 10} %`;
      return (
        `| ${c.cell.processes}${mark} | ${c.cell.workers} | ${c.cell.threads} | ${show(c.cyclesPerSecond, 1)} | ${show(c.cycleP50Ms)} | ` +
        `${show(c.cycleP99Ms)} | ${show(c.suggestionP99Ms)} | ${share} | ${show(c.errors)} | ${c.verified ? 'yes' : 'NO'} | ` +
        `${show(c.apiCpuCores, 2)} / ${show(c.workerCpuCores, 2)} / ${show(c.loadGeneratorCpuCores, 2)} | ${show(c.loadAverage1m, 1)} | ${c.runs} (${c.failedRuns}) |`
      );
    }),
  ];
}
