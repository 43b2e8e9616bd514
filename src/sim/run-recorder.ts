import { LatencyHistogram, type LatencySummary } from './latency-histogram.ts';

/** Per-window histograms are coarser (5 %) than the whole-run ones (1 %): memory stays small. */
const WINDOW_SHAPE = Object.freeze({ precision: 0.05 });

/** The pseudo-endpoint for a whole cycle (suggestion create + observation create, evaluation time excluded). */
export const CYCLE = 'cycle';

/** What one endpoint did over the run. */
export interface EndpointFigures {
  readonly requests: number;
  /** Successful (2xx) requests per second of measured time. */
  readonly throughput: number;
  readonly latency: LatencySummary;
  /** Count by HTTP status, plus `network` (no response) and `timeout`. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
}

/** One time window of the run, for the over-time charts. */
export interface WindowFigures {
  /** Seconds since the measured phase started (window start). */
  readonly t: number;
  /** Window width in seconds. */
  readonly seconds: number;
  readonly cycles: number;
  readonly requests: number;
  readonly errors: number;
  /** Per endpoint (and `cycle`): count, p50, p99 in ms. */
  readonly endpoints: Readonly<Record<string, { readonly count: number; readonly p50: number; readonly p99: number }>>;
}

interface EndpointAccumulator {
  readonly histogram: LatencyHistogram;
  readonly statuses: Map<string, number>;
  ok: number;
  errors: number;
}

interface Window {
  cycles: number;
  requests: number;
  errors: number;
  readonly endpoints: Map<string, LatencyHistogram>;
}

/** Options of {@link RunRecorder}. */
export interface RunRecorderOptions {
  /** Monotonic milliseconds (injected so tests are exact). */
  readonly now: () => number;
  /** First window width in ms (default 1000). */
  readonly windowMs?: number;
  /**
   * At most this many windows are kept (default 240): when a run outlasts them, neighbouring windows
   * are merged and the width doubles, so memory is bounded whatever the duration.
   */
  readonly maxWindows?: number;
}

/**
 * Collects every request and cycle of a load run: whole-run histograms and status counts per
 * endpoint, and a bounded time series of windows. Only the measured phase (after {@link start})
 * goes into the windows; setup requests (experiment creation) are still counted per endpoint.
 */
export class RunRecorder {
  private readonly now: () => number;
  private readonly maxWindows: number;
  private readonly endpoints = new Map<string, EndpointAccumulator>();
  private windows: Window[] = [];
  private windowMs: number;
  private startedAt: number | null = null;
  private stoppedAt: number | null = null;
  private cycleCount = 0;

  constructor(opts: RunRecorderOptions) {
    this.now = opts.now;
    this.windowMs = opts.windowMs ?? 1000;
    this.maxWindows = Math.max(2, opts.maxWindows ?? 240);
  }

  /** Marks the start of the measured phase. */
  start(): void {
    this.startedAt = this.now();
  }

  /** Marks its end (later samples still count per endpoint, e.g. the final verification reads). */
  stop(): void {
    this.stoppedAt ??= this.now();
  }

  /** Seconds of measured time so far (or in total once stopped). */
  get measuredSeconds(): number {
    if (this.startedAt === null) return 0;
    return ((this.stoppedAt ?? this.now()) - this.startedAt) / 1000;
  }

  /** Completed cycles in the measured phase. */
  get cycles(): number {
    return this.cycleCount;
  }

  /** Records one finished request; status 0 = network error, -1 = timeout. */
  request(endpoint: string, status: number, ms: number): void {
    const acc = this.accumulator(endpoint);
    const key = status === 0 ? 'network' : status < 0 ? 'timeout' : String(status);
    acc.statuses.set(key, (acc.statuses.get(key) ?? 0) + 1);
    const ok = status >= 200 && status < 300;
    if (ok) {
      acc.ok++;
      acc.histogram.record(ms);
    } else {
      acc.errors++;
    }
    const w = this.window();
    if (w) {
      w.requests++;
      if (!ok) w.errors++;
      else windowHistogram(w, endpoint).record(ms);
    }
  }

  /** Records one completed cycle (its suggestion and its observation both succeeded). */
  cycle(ms: number): void {
    const w = this.window();
    if (!w) return;
    this.cycleCount++;
    this.accumulator(CYCLE).histogram.record(ms);
    this.accumulator(CYCLE).ok++;
    w.cycles++;
    windowHistogram(w, CYCLE).record(ms);
  }

  /** Successful requests of an endpoint so far. */
  successes(endpoint: string): number {
    return this.endpoints.get(endpoint)?.ok ?? 0;
  }

  /** Errors (non-2xx, network, timeout) over all endpoints so far. */
  get errors(): number {
    let n = 0;
    for (const acc of this.endpoints.values()) n += acc.errors;
    return n;
  }

  /** A live reading for the progress display: p99 of cycles in the last complete window. */
  recentCycleP99(): number {
    const w = this.windows.at(-2) ?? this.windows.at(-1);
    return w?.endpoints.get(CYCLE)?.quantile(0.99) ?? 0;
  }

  /** Whole-run figures per endpoint (the cycle pseudo-endpoint included). */
  endpointFigures(): Record<string, EndpointFigures> {
    const seconds = Math.max(this.measuredSeconds, 1e-9);
    const out: Record<string, EndpointFigures> = {};
    for (const [name, acc] of [...this.endpoints].sort(([a], [b]) => a.localeCompare(b))) {
      out[name] = {
        requests: acc.ok + acc.errors,
        throughput: round3(acc.ok / seconds),
        latency: acc.histogram.summary(),
        statuses: Object.fromEntries([...acc.statuses].sort(([a], [b]) => a.localeCompare(b))),
        errors: acc.errors,
      };
    }
    return out;
  }

  /** The time series (window start times relative to the measured start). */
  windowFigures(): WindowFigures[] {
    const seconds = this.windowMs / 1000;
    const last = this.windows.length - 1;
    return this.windows.map((w, i) => ({
      t: round3(i * seconds),
      // The last window is usually cut short by the end of the run; rates use its real width.
      seconds: i === last ? round3(Math.max(1e-3, Math.min(seconds, this.measuredSeconds - i * seconds))) : seconds,
      cycles: w.cycles,
      requests: w.requests,
      errors: w.errors,
      endpoints: Object.fromEntries(
        [...w.endpoints].map(([name, h]) => [name, { count: h.count, p50: round3(h.quantile(0.5)), p99: round3(h.quantile(0.99)) }]),
      ),
    }));
  }

  private accumulator(endpoint: string): EndpointAccumulator {
    let acc = this.endpoints.get(endpoint);
    if (!acc) {
      acc = { histogram: new LatencyHistogram(), statuses: new Map(), ok: 0, errors: 0 };
      this.endpoints.set(endpoint, acc);
    }
    return acc;
  }

  /** The window the current instant falls in (created as needed), or null outside the measured phase. */
  private window(): Window | null {
    if (this.startedAt === null || this.stoppedAt !== null) return null;
    let index = Math.floor((this.now() - this.startedAt) / this.windowMs);
    while (index >= this.maxWindows) {
      this.halve();
      index = Math.floor((this.now() - this.startedAt) / this.windowMs);
    }
    while (this.windows.length <= index) this.windows.push({ cycles: 0, requests: 0, errors: 0, endpoints: new Map() });
    return this.windows[index]!;
  }

  /** Merges neighbouring windows pairwise and doubles the width. */
  private halve(): void {
    const merged: Window[] = [];
    for (let i = 0; i < this.windows.length; i += 2) {
      const a = this.windows[i]!;
      const b = this.windows[i + 1];
      if (b) {
        a.cycles += b.cycles;
        a.requests += b.requests;
        a.errors += b.errors;
        for (const [name, h] of b.endpoints) windowHistogram(a, name).merge(h);
      }
      merged.push(a);
    }
    this.windows = merged;
    this.windowMs *= 2;
  }
}

function windowHistogram(w: Window, endpoint: string): LatencyHistogram {
  let h = w.endpoints.get(endpoint);
  if (!h) {
    h = new LatencyHistogram(WINDOW_SHAPE);
    w.endpoints.set(endpoint, h);
  }
  return h;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
