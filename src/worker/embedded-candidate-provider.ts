import type { CandidateProvider } from '../domain/ports/candidate-provider.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ExperimentRecord } from '../domain/records.ts';
import type { Candidate, EngineInput, EngineOutput } from '../optimizer/engine-types.ts';
import type { Store } from '../store/store.ts';
import { loadEngineInput } from './load-engine-input.ts';

/** Runs the engine somewhere else (worker threads): the API's event loop never fits a model. */
export interface EngineRunner {
  suggest(input: EngineInput): Promise<EngineOutput>;
}

export interface EmbeddedCandidateOptions {
  readonly store: Store;
  readonly engine: EngineRunner;
  readonly clock: Clock;
  /**
   * How long a suggestion request waits for fresh candidates before the random fallback; a getter
   * is read per request so a live setting change applies to the next suggestion.
   */
  readonly waitMs: number | (() => number);
  /** Upper bound on candidates per refresh (the pool); read per refresh. Default 10. */
  readonly poolSize?: () => number;
  /** Candidates beyond the parallel bandwidth per refresh (served when a refresh is late). Default 0. */
  readonly spares?: () => number;
  /** Called after each refresh (metrics, logs). */
  onRefresh?(experimentId: string, outcome: { ms: number; strategy: string; error?: unknown }): void;
}

interface Pool {
  /** The observation generation the candidates were computed for. */
  readonly generation: number;
  readonly candidates: Candidate[];
}

/**
 * Candidate pools for embedded mode (DESIGN §3): one pool per experiment, refreshed in the
 * background after observation writes (coalesced: at most one refresh per experiment at a time,
 * rerun once if observations changed meanwhile). A request takes a fresh candidate, or waits at
 * most `waitMs` for the refresh under way, and otherwise gets null so the caller falls back.
 */
export class EmbeddedCandidateProvider implements CandidateProvider {
  private readonly generations = new Map<string, number>();
  private readonly pools = new Map<string, Pool>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly rerun = new Set<string>();
  private closed = false;

  constructor(private readonly opts: EmbeddedCandidateOptions) {}

  async take(experiment: ExperimentRecord, isTaken: (c: Candidate) => boolean): Promise<Candidate | null> {
    const fresh = this.popFresh(experiment.id, isTaken);
    if (fresh) return fresh;
    const refresh = this.refresh(experiment.id);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      const { waitMs } = this.opts;
      timer = setTimeout(resolve, typeof waitMs === 'function' ? waitMs() : waitMs);
    });
    await Promise.race([refresh, timeout]);
    clearTimeout(timer);
    // Still computing: a leftover of the previous pool (it saw the newest points as pending) is
    // better guidance than a random fallback.
    return this.popFresh(experiment.id, isTaken) ?? this.popLeftover(experiment.id, isTaken);
  }

  observationsChanged(experimentId: string): void {
    this.generations.set(experimentId, this.generation(experimentId) + 1);
    void this.refresh(experimentId);
  }

  async reset(experimentId: string): Promise<void> {
    this.generations.set(experimentId, this.generation(experimentId) + 1);
    this.pools.delete(experimentId);
    await this.opts.store.optimizerState.delete(experimentId);
  }

  /** Refreshes running now (metrics: the embedded analogue of queue depth). */
  get refreshesInFlight(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private generation(id: string): number {
    return this.generations.get(id) ?? 0;
  }

  private popFresh(id: string, isTaken: (c: Candidate) => boolean): Candidate | null {
    const pool = this.pools.get(id);
    if (!pool || pool.generation !== this.generation(id)) return null;
    while (pool.candidates.length > 0) {
      const c = pool.candidates.shift() as Candidate;
      if (!isTaken(c)) return c;
    }
    return null;
  }

  private popLeftover(id: string, isTaken: (c: Candidate) => boolean): Candidate | null {
    const pool = this.pools.get(id);
    while (pool && pool.candidates.length > 0) {
      const c = pool.candidates.shift() as Candidate;
      if (!isTaken(c)) return c;
    }
    return null;
  }

  /** Starts a refresh (or marks the running one for a rerun); resolves when a current one ends. */
  private refresh(id: string): Promise<void> {
    const current = this.running.get(id);
    if (current) {
      this.rerun.add(id);
      return current;
    }
    if (this.closed) return Promise.resolve();
    const run = (async () => {
      try {
        do {
          this.rerun.delete(id);
          await this.computeOnce(id);
        } while (this.rerun.has(id) && !this.closed);
      } finally {
        this.running.delete(id);
      }
    })();
    this.running.set(id, run);
    return run;
  }

  private async computeOnce(id: string): Promise<void> {
    const { store, engine, clock } = this.opts;
    const generation = this.generation(id);
    const started = clock.nowMs();
    try {
      const input = await loadEngineInput(store, id, generation, {
        poolSize: this.opts.poolSize?.() ?? 10,
        spares: this.opts.spares?.() ?? 0,
      });
      if (!input) return;
      const output = await engine.suggest(input);
      if (generation === this.generation(id)) {
        this.pools.set(id, { generation, candidates: [...output.candidates] });
        await store.optimizerState.put({ experimentId: id, state: output.state, updated: clock.now() });
      }
      this.opts.onRefresh?.(id, { ms: clock.nowMs() - started, strategy: output.diagnostics.strategy });
    } catch (error) {
      this.opts.onRefresh?.(id, { ms: clock.nowMs() - started, strategy: 'error', error });
    }
  }
}
