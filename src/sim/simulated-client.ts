import { findObservationOfSuggestion, LOST_CHECK_PAGE_SIZE } from '../client/lost-observation.ts';
import { backoffDelay } from '../common/backoff.ts';
import type { Rng } from '../numerics/rng.ts';
import type { RunControl } from './run-control.ts';
import type { RunRecorder } from './run-recorder.ts';
import type { SimHttpClient, SimResponse } from './sim-http-client.ts';
import type { SyntheticExperiment } from './synthetic-experiment.ts';

/** An experiment the server created, with its synthetic objective. */
export interface LiveExperiment {
  readonly id: string;
  readonly plan: SyntheticExperiment;
}

/** How a simulated client behaves. */
export interface ClientBehaviour {
  readonly evalMs: number;
  readonly failureRate: number;
  readonly noise: number;
  readonly dashboardRate: number;
}

/** Retry schedule after 429/5xx/network errors: first retry within 50 ms, never more than 2 s apart. */
const RETRY = Object.freeze({ baseMs: 50, capMs: 2000 });
/** An observation is retried at most this often (a suggestion left open is what a crashed user leaves). */
const OBSERVE_ATTEMPTS = 4;
/** A client gives up after this many consecutive failures (the server is gone). */
const MAX_CONSECUTIVE_FAILURES = 50;

interface Opened {
  readonly id: string;
  readonly assignments: Record<string, unknown>;
  readonly ms: number;
}

/**
 * One simulated user: works its experiments round robin, each turn opening as many suggestions as
 * the experiment's parallel bandwidth, evaluating them concurrently (seeded objective, optional
 * delay, failures and noise), reporting each as an observation, and now and then reading the
 * experiment like a dashboard. Stops when the run control says so or the server stays unreachable.
 */
export class SimulatedClient {
  private failures = 0;
  private turn = 0;

  constructor(
    private readonly http: SimHttpClient,
    private readonly recorder: RunRecorder,
    private readonly control: RunControl,
    private readonly experiments: readonly LiveExperiment[],
    private readonly behaviour: ClientBehaviour,
    private readonly rng: Rng,
  ) {}

  /** Runs until the control stops the run. */
  async run(): Promise<void> {
    if (this.experiments.length === 0) return;
    while (!this.control.stopped) {
      const exp = this.experiments[this.turn++ % this.experiments.length]!;
      const granted = this.control.reserve(exp.plan.bandwidth);
      if (granted === 0) return;
      const completed = await this.cycleBatch(exp, granted);
      this.control.release(granted - completed);
      if (this.failures >= MAX_CONSECUTIVE_FAILURES) {
        this.control.stop('errors');
        return;
      }
      if (!this.control.stopped && this.rng.next() < this.behaviour.dashboardRate) await this.dashboard(exp);
    }
  }

  /** Opens `n` suggestions, evaluates them in parallel, observes each; returns completed cycles. */
  private async cycleBatch(exp: LiveExperiment, n: number): Promise<number> {
    const opened: Opened[] = [];
    for (let i = 0; i < n && !this.control.stopped; i++) {
      const s = await this.suggest(exp);
      if (s) opened.push(s);
    }
    const results = await Promise.all(opened.map((s) => this.evaluateAndObserve(exp, s)));
    return results.filter(Boolean).length;
  }

  private async suggest(exp: LiveExperiment): Promise<Opened | null> {
    for (let attempt = 0; !this.control.stopped; attempt++) {
      const r = await this.http.send('POST', `/v1/experiments/${exp.id}/suggestions`, {});
      this.recorder.request('suggestion.create', r.status, r.ms);
      if (r.status === 200 || r.status === 201) {
        this.failures = 0;
        const body = r.body as { id: string; assignments: Record<string, unknown> };
        return { id: body.id, assignments: body.assignments, ms: r.ms };
      }
      if (!(await this.afterFailure(r, attempt))) return null;
    }
    return null;
  }

  private async evaluateAndObserve(exp: LiveExperiment, s: Opened): Promise<boolean> {
    const { evalMs, failureRate, noise } = this.behaviour;
    // ±50 % jitter keeps clients from marching in lockstep.
    if (evalMs > 0) await this.control.sleep(evalMs * (0.5 + this.rng.next()));
    const failed = this.rng.next() < failureRate;
    const body = failed
      ? { suggestion: s.id, failed: true }
      : { suggestion: s.id, values: exp.plan.evaluate(s.assignments, noise, this.rng) };
    // Observations are still sent after the deadline: a run that ends leaves no half-finished bookkeeping.
    for (let attempt = 0; attempt < OBSERVE_ATTEMPTS; attempt++) {
      const r = await this.http.send('POST', `/v1/experiments/${exp.id}/observations`, body);
      this.recorder.request('observation.create', r.status, r.ms);
      if (r.status === 200 || r.status === 201) {
        this.failures = 0;
        this.recorder.cycle(s.ms + r.ms);
        this.control.complete();
        return true;
      }
      if (!(await this.afterFailure(r, attempt, true))) return false;
      if (r.status <= 0) {
        // A timeout or lost connection may have stored it: look before sending it again (src/client/lost-observation.ts).
        const found = await this.findLost(exp, s.id);
        if (found === 'unknown') return false;
        if (found) {
          this.failures = 0;
          this.recorder.cycle(s.ms + r.ms);
          this.control.complete();
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the observation of suggestion `sid` is stored; 'unknown' when the list cannot be read. */
  private async findLost(exp: LiveExperiment, sid: string): Promise<boolean | 'unknown'> {
    const readPage = async (before: string | undefined) => {
      const query = `limit=${LOST_CHECK_PAGE_SIZE}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const r = await this.http.send('GET', `/v1/experiments/${exp.id}/observations?${query}`);
      this.recorder.request('observation.list', r.status, r.ms);
      if (r.status !== 200) throw new Error(`observation list answered ${r.status}`);
      const body = r.body as { data?: { suggestion?: string | null }[]; paging?: { before?: string | null } };
      return { data: body.data ?? [], paging: { before: body.paging?.before ?? null } };
    };
    return findObservationOfSuggestion(readPage, sid).then(
      (found) => found !== null,
      () => 'unknown' as const,
    );
  }

  /** What a dashboard loads: the experiment with its progress, the best assignments, sometimes history. */
  private async dashboard(exp: LiveExperiment): Promise<void> {
    const reads: [string, string][] = [
      ['experiment.get', `/v1/experiments/${exp.id}`],
      ['experiment.best_assignments', `/v1/experiments/${exp.id}/best_assignments`],
    ];
    if (this.rng.next() < 0.25) reads.push(['observation.list', `/v1/experiments/${exp.id}/observations?limit=100`]);
    for (const [endpoint, path] of reads) {
      const r = await this.http.send('GET', path);
      this.recorder.request(endpoint, r.status, r.ms);
    }
  }

  /**
   * Waits before a retry; false when the error is not worth retrying (4xx other than 429) or the
   * run is over (`evenAfterStop`: observations of opened suggestions are still delivered).
   */
  private async afterFailure(r: SimResponse, attempt: number, evenAfterStop = false): Promise<boolean> {
    this.failures++;
    const retryable = r.status === 429 || r.status >= 500 || r.status <= 0;
    if (!retryable || this.failures >= MAX_CONSECUTIVE_FAILURES) return false;
    const jitter = backoffDelay(attempt, RETRY, () => this.rng.next());
    // Honour Retry-After but keep full jitter on top of it, so throttled clients do not return together.
    const wait = r.status === 429 && r.retryAfter !== undefined ? Math.min(10_000, r.retryAfter * 1000) + jitter : jitter;
    await this.control.sleep(wait);
    return !this.control.stopped || evenAfterStop;
  }
}
