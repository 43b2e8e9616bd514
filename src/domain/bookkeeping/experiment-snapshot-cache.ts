import { type Clock, systemClock } from '../ports/clock.ts';
import type { ExperimentSnapshots } from '../ports/experiment-snapshots.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';
import type { Store } from '../../store/store.ts';
import type { Cache } from '../../cache/cache.ts';

/** Options of {@link createExperimentSnapshotCache}. */
export interface ExperimentSnapshotCacheOptions {
  readonly store: Store;
  /** Carries "experiment changed" to every process (pub/sub of the shared cache). */
  readonly bus: Cache;
  /** Lifetime of a snapshot; read per lookup (live setting). 0 disables the cache. */
  readonly maxAgeMs: () => number;
  /** Entries kept per process (oldest dropped first). Default 10 000. */
  readonly maxEntries?: number;
  /** Clock of the lifetimes; default the system clock. */
  readonly clock?: Clock;
  onBusError?(error: unknown): void;
}

const CHANNEL = 'experiment-changed';

/**
 * {@link ExperimentSnapshots} as a per-process map with a lifetime, invalidated in this process at
 * once and in the others through the cache's pub/sub. A read racing with a change is not kept (its
 * value may predate the change), so within a process a snapshot is never older than the last change.
 */
export function createExperimentSnapshotCache(opts: ExperimentSnapshotCacheOptions): ExperimentSnapshots & { close(): Promise<void> } {
  const clock = opts.clock ?? systemClock;
  const maxEntries = opts.maxEntries ?? 10_000;
  const entries = new Map<string, { readonly record: ExperimentRecord; readonly at: number }>();
  /** Changes seen per id while reads were in flight (a read keeps its result only if unchanged). */
  const changes = new Map<string, number>();
  const inFlight = new Map<string, number>();

  const forget = (id: string) => {
    entries.delete(id);
    if (inFlight.has(id)) changes.set(id, (changes.get(id) ?? 0) + 1);
  };
  const subscription = opts.bus.subscribe(CHANNEL, forget).catch((error: unknown) => {
    opts.onBusError?.(error);
    return async () => {};
  });

  return {
    async get(id) {
      const maxAge = opts.maxAgeMs();
      const hit = entries.get(id);
      if (hit && clock.nowMs() - hit.at < maxAge) return hit.record;
      const changesBefore = changes.get(id) ?? 0;
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      try {
        const record = await opts.store.experiments.get(id);
        if (record && maxAge > 0 && (changes.get(id) ?? 0) === changesBefore) {
          entries.delete(id);
          entries.set(id, { record, at: clock.nowMs() });
          if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
        }
        return record;
      } finally {
        const left = (inFlight.get(id) ?? 1) - 1;
        if (left > 0) inFlight.set(id, left);
        else {
          inFlight.delete(id);
          changes.delete(id);
        }
      }
    },

    async changed(id) {
      forget(id);
      try {
        await opts.bus.publish(CHANNEL, id);
      } catch (error) {
        // Other processes see the change when their snapshot expires.
        opts.onBusError?.(error);
      }
    },

    async close() {
      await (await subscription)();
    },
  };
}
