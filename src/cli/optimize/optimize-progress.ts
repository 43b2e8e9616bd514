import type { Assignments, BestAssignments, Experiment, ValueInput } from '../../client/index.ts';

/** One finished evaluation, as the progress output shows it. */
export interface TrialOutcome {
  readonly suggestionId: string;
  readonly assignments: Assignments;
  readonly seconds: number;
  /** Values on success; the reason on failure. */
  readonly values?: readonly ValueInput[];
  readonly failure?: string;
}

/** Where progress goes: a live line on a terminal, plain lines in a log. */
export interface OptimizeProgress {
  started(experiment: Experiment, done: number, budget: number, resumed: boolean): void;
  finished(outcome: TrialOutcome, state: ProgressState): void;
  running(state: ProgressState): void;
  note(line: string): void;
  close(): void;
}

/** Counts behind the progress output. */
export interface ProgressState {
  readonly done: number;
  readonly budget: number;
  readonly running: number;
  readonly failed: number;
  /** Best value of the first optimized metric so far, with its suggestion. */
  readonly best: { readonly value: number; readonly suggestionId: string } | null;
  /** Mean seconds per finished evaluation of this run (for the ETA). */
  readonly meanSeconds: number | null;
  readonly parallel: number;
}

/**
 * Progress of `sextant optimize`. On a terminal, one status line (done/budget, running, best so
 * far, ETA) is rewritten in place and finished runs scroll above it; in a log or pipe every
 * finished run is one plain line and nothing is rewritten.
 */
export function createOptimizeProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, metricName: string | null): OptimizeProgress {
  const tty = stream.isTTY === true;
  let statusShown = false;
  const clear = () => {
    if (tty && statusShown) stream.write('\r\x1b[2K');
    statusShown = false;
  };
  const status = (s: ProgressState) => {
    if (!tty) return;
    const best = s.best ? `best ${metricName ?? 'value'} ${formatNumber(s.best.value)}` : 'no result yet';
    const left = s.budget - s.done;
    const eta = s.meanSeconds !== null && left > 0 ? `ETA ${formatDuration((left * s.meanSeconds) / Math.max(1, s.parallel))}` : '';
    stream.write(
      `\r\x1b[2K[${s.done}/${s.budget}] running ${s.running} · ${best}${s.failed ? ` · failed ${s.failed}` : ''}${eta ? ` · ${eta}` : ''}`,
    );
    statusShown = true;
  };
  return {
    started(experiment, done, budget, resumed) {
      stream.write(
        `${resumed ? 'Resuming' : 'Created'} experiment ${experiment.id} "${experiment.name}": ${done}/${budget} observations\n`,
      );
    },
    finished(o, s) {
      clear();
      const what =
        o.failure !== undefined
          ? `failed: ${o.failure}`
          : (o.values ?? []).map((v) => `${v.name ?? metricName ?? 'value'}=${formatNumber(v.value)}`).join(' ');
      stream.write(
        `[${s.done}/${s.budget}] suggestion ${o.suggestionId} ${formatAssignments(o.assignments)} → ${what} (${o.seconds.toFixed(1)} s)\n`,
      );
      status(s);
    },
    running(s) {
      status(s);
    },
    note(line) {
      clear();
      stream.write(`${line}\n`);
    },
    close() {
      clear();
    },
  };
}

/** The final table: the best assignments with their values. */
export function bestTable(best: readonly BestAssignments[]): string {
  if (best.length === 0) return 'No successful observation yet: no best assignments.\n';
  const rows: string[][] = [];
  for (const [i, b] of best.entries()) {
    if (best.length > 1) rows.push([`solution ${i + 1}`, `(observation ${b.id})`]);
    for (const [name, value] of Object.entries(b.assignments))
      rows.push([name, value === null ? '—' : typeof value === 'number' ? formatNumber(value) : value]);
    for (const v of b.values) rows.push([`→ ${v.name ?? 'value'}`, formatNumber(v.value)]);
  }
  const width = Math.max(...rows.map((r) => r[0]!.length));
  return `Best assignments${best.length === 1 ? ` (observation ${best[0]!.id})` : ''}:\n${rows.map(([k, v]) => `  ${k!.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function formatAssignments(a: Assignments): string {
  return Object.entries(a)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : String(v)}`)
    .join(' ');
}

function formatNumber(v: number): string {
  return Number.isInteger(v)
    ? String(v)
    : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6
      ? v.toPrecision(6).replace(/\.?0+$/, '')
      : v.toExponential(3);
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
