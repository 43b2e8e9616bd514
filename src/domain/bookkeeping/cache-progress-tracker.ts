import { advanceProgress, computeProgress, type Progress, progressFingerprint } from '../experiments/progress.ts';
import type { KeyedLock } from '../ports/keyed-lock.ts';
import type { ProgressTracker } from '../ports/progress-tracker.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';
import type { Store } from '../../store/store.ts';
import type { Cache } from '../../cache/cache.ts';

/** Options of {@link createCacheProgressTracker}. */
export interface CacheProgressTrackerOptions {
  readonly cache: Cache;
  /** Rebuilds read the live observations from here. */
  readonly store: Store;
  /** Serializes writes and rebuilds per experiment (across processes in distributed mode). */
  readonly lock: KeyedLock;
  /**
   * Lifetime of a cached progress without writes (idle experiments free their cache memory; a
   * figure left wrong by a cache failure in the middle of a write heals after at most this long).
   */
  readonly ttlMs?: number;
  /** The cache failed; the tracker then answers from the store (slower, still correct). */
  onCacheError?(error: unknown): void;
}

interface Cached {
  readonly fingerprint: string;
  readonly progress: Progress;
}

/**
 * {@link ProgressTracker} on the shared cache: one JSON value per experiment, advanced under the
 * experiment's progress lock after each committed observation write and rebuilt from the live
 * observations (one indexed scan) when missing, expired, or computed for other metric thresholds
 * or task costs — by the read that missed, which answers from its own scan, and in the background
 * under the lock for the cache. Without a reachable cache every read is such a scan.
 */
export function createCacheProgressTracker(opts: CacheProgressTrackerOptions): ProgressTracker {
  const { cache, store, lock } = opts;
  const ttlMs = opts.ttlMs ?? 600_000;
  const key = (experimentId: string) => `progress:${experimentId}`;
  const lockKey = (experimentId: string) => `progress:${experimentId}`;

  async function cached(experiment: ExperimentRecord): Promise<Progress | null> {
    let raw: string | null;
    try {
      raw = await cache.get(key(experiment.id));
    } catch (error) {
      opts.onCacheError?.(error);
      return null;
    }
    if (raw === null) return null;
    const value = JSON.parse(raw) as Cached;
    return value.fingerprint === progressFingerprint(experiment.spec) ? value.progress : null;
  }

  async function keep(experiment: ExperimentRecord, progress: Progress): Promise<void> {
    const value: Cached = { fingerprint: progressFingerprint(experiment.spec), progress };
    try {
      await cache.set(key(experiment.id), JSON.stringify(value), { ttlMs });
    } catch (error) {
      opts.onCacheError?.(error);
      await forget(experiment.id);
    }
  }

  async function forget(experimentId: string): Promise<void> {
    try {
      await cache.delete(key(experimentId));
    } catch (error) {
      // Unreachable: the value (if the cache kept it) expires within ttlMs.
      opts.onCacheError?.(error);
    }
  }

  const rebuilding = new Set<string>();
  function rebuildInBackground(experiment: ExperimentRecord): void {
    if (rebuilding.has(experiment.id)) return;
    rebuilding.add(experiment.id);
    void lock
      .run(lockKey(experiment.id), async () => {
        if (await cached(experiment)) return;
        await keep(experiment, computeProgress(experiment, await store.observations.listLive(experiment.id)));
      })
      .catch((error: unknown) => opts.onCacheError?.(error))
      .finally(() => rebuilding.delete(experiment.id));
  }

  return {
    async progress(experiment) {
      const hit = await cached(experiment);
      if (hit) return hit;
      // A reader never queues behind the experiment's writes (during a database outage those can
      // hold the lock for seconds): it answers from the store itself and leaves caching to one
      // background rebuild per experiment under the lock.
      const fresh = computeProgress(experiment, await store.observations.listLive(experiment.id));
      rebuildInBackground(experiment);
      return fresh;
    },

    record(experiment, write, change) {
      return lock.run(lockKey(experiment.id), async () => {
        const result = await write();
        const effect = change(result);
        if (effect === 'rebuild') {
          await forget(experiment.id);
          return { result, progress: null };
        }
        const before = await cached(experiment);
        if (!before) {
          await forget(experiment.id);
          return { result, progress: null };
        }
        const after = advanceProgress(experiment.spec, before, effect.created);
        if (after !== before) await keep(experiment, after);
        return { result, progress: after };
      });
    },
  };
}
