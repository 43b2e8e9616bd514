import type { Cache } from '../cache/cache.ts';
import type { CandidateProvider, TakenCandidate } from '../domain/ports/candidate-provider.ts';
import { type Clock, systemClock } from '../domain/ports/clock.ts';
import type { ExperimentRecord } from '../store/ports/records.ts';
import type { Candidate } from '../optimizer/engine-types.ts';
import type { JobQueue } from '../queue/job-queue.ts';
import type { Store } from '../store/store.ts';
import { parseGeneration, poolKeys } from './pool-keys.ts';

/** Options of {@link PooledCandidateProvider}. */
export interface PooledCandidateOptions {
  readonly store: Store;
  readonly cache: Cache;
  readonly queue: JobQueue;
  /** Bounded wait for a refill before the caller falls back; read per request (live setting). */
  readonly waitMs: () => number;
  /** Clock of the wait deadline, injected so tests are exact. Default the system clock. */
  readonly clock?: Clock;
  /** Cache or queue trouble (logged by the caller); the request path degrades to the fallback. */
  onError?(error: unknown, experimentId: string): void;
}

interface Waiter {
  readonly experimentId: string;
  readonly resolve: () => void;
}

/**
 * Candidate pools of both modes (DESIGN §3): generations, coalesced refreshes, bounded wait, with
 * the pool in the cache (memory when embedded, Redis when distributed) and the engine behind the
 * job queue (in-process engine threads, or the worker fleet). The request path never fits a model:
 * it pops a candidate of the current generation (fresh), and when there is none it enqueues a
 * refresh and waits (woken by the "pool filled" message) at most `waitMs`, then takes a leftover
 * of the newest filled pool (stale: computed before the latest observations) or returns null so
 * the caller answers with a space-filling point. Cache failures also end in null: suggestions
 * keep flowing without Redis.
 */
export class PooledCandidateProvider implements CandidateProvider {
  private readonly waiters = new Set<Waiter>();
  private subscription: Promise<() => Promise<void>> | null = null;
  private closed = false;

  constructor(private readonly opts: PooledCandidateOptions) {}

  async take(experiment: ExperimentRecord, isTaken: (c: Candidate) => boolean): Promise<TakenCandidate | null> {
    const id = experiment.id;
    try {
      await this.subscribe();
      const clock = this.opts.clock ?? systemClock;
      const deadline = clock.nowMs() + Math.max(0, this.opts.waitMs());
      for (let round = 0; ; round++) {
        // Listen before looking, so a fill landing in between is not missed.
        const filled = this.nextFill(id);
        const candidate = await this.popFresh(id, isTaken);
        if (candidate) {
          filled.cancel();
          return { candidate, fresh: true };
        }
        if (round === 0) await this.opts.queue.enqueueRefresh(id);
        const remaining = deadline - clock.nowMs();
        if (remaining <= 0 || this.closed) {
          filled.cancel();
          const leftover = await this.popLeftover(id, isTaken);
          return leftover === null ? null : { candidate: leftover, fresh: false };
        }
        await filled.within(remaining);
      }
    } catch (error) {
      this.opts.onError?.(error, id);
      return null;
    }
  }

  async observationsAdded(experimentId: string): Promise<void> {
    await this.bump(experimentId, false);
  }

  async observationsRewritten(experimentId: string): Promise<void> {
    await this.bump(experimentId, true);
  }

  async reset(experimentId: string): Promise<void> {
    await this.bump(experimentId, true, false);
    await this.opts.store.optimizerState.delete(experimentId);
  }

  /** New generation (and epoch): older pools become leftovers; then a refresh is requested. */
  private async bump(experimentId: string, rewrite: boolean, refresh = true): Promise<void> {
    const { cache, queue } = this.opts;
    try {
      await Promise.all([cache.increment(poolKeys.generation(experimentId)), rewrite ? cache.increment(poolKeys.epoch(experimentId)) : null]);
    } catch (error) {
      this.opts.onError?.(error, experimentId);
      return;
    }
    // The request is not awaited: the write that triggered it is acknowledged without the queue.
    if (refresh) void queue.enqueueRefresh(experimentId).catch((error: unknown) => this.opts.onError?.(error, experimentId));
  }

  /** Requests of this process waiting for a refill now (metrics: workers falling behind). */
  get refreshesInFlight(): number {
    return this.waiters.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters) w.resolve();
    this.waiters.clear();
    const sub = this.subscription;
    this.subscription = null;
    if (sub) await (await sub.catch(() => async () => {}))();
  }

  private subscribe(): Promise<unknown> {
    this.subscription ??= this.opts.cache.subscribe(poolKeys.filledChannel, (message) => {
      const experimentId = message.slice(0, message.lastIndexOf(':'));
      for (const w of [...this.waiters]) if (w.experimentId === experimentId) w.resolve();
    });
    // A failed subscription is retried by the next request rather than cached forever.
    this.subscription.catch(() => {
      this.subscription = null;
    });
    return this.subscription;
  }

  private nextFill(experimentId: string): { within(ms: number): Promise<void>; cancel(): void } {
    let resolve!: () => void;
    const signalled = new Promise<void>((r) => (resolve = r));
    const waiter: Waiter = { experimentId, resolve };
    this.waiters.add(waiter);
    const cancel = () => {
      this.waiters.delete(waiter);
      resolve();
    };
    return {
      cancel,
      within: async (ms) => {
        const timer = setTimeout(cancel, ms);
        await signalled;
        clearTimeout(timer);
        this.waiters.delete(waiter);
      },
    };
  }

  private async popFresh(id: string, isTaken: (c: Candidate) => boolean): Promise<Candidate | null> {
    const generation = parseGeneration(await this.opts.cache.get(poolKeys.generation(id)));
    return this.popFrom(poolKeys.pool(id, generation), isTaken);
  }

  /** A spare of the newest filled pool: computed before the latest observations, but a model point. */
  private async popLeftover(id: string, isTaken: (c: Candidate) => boolean): Promise<Candidate | null> {
    const last = await this.opts.cache.get(poolKeys.lastFilled(id));
    return last === null ? null : this.popFrom(poolKeys.pool(id, parseGeneration(last)), isTaken);
  }

  private async popFrom(key: string, isTaken: (c: Candidate) => boolean): Promise<Candidate | null> {
    const { cache } = this.opts;
    for (;;) {
      const raw = await cache.popList(key);
      if (raw === null) return null;
      const candidate = JSON.parse(raw) as Candidate;
      if (!isTaken(candidate)) return candidate;
    }
  }
}
