import type { ExperimentCounts } from '../ports/experiment-counts.ts';
import type { KeyedLock } from '../ports/keyed-lock.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';
import type { ExperimentFilter } from '../../store/store.ts';
import type { Cache } from '../../cache/cache.ts';

type State = ExperimentFilter['state'];
type Split = 'any' | 'dev' | 'prod';

/** Options of {@link createCacheExperimentCounts}. */
export interface CacheExperimentCountsOptions {
  readonly cache: Cache;
  /** Serializes rebuilds of a client's counts (across processes): one COUNT per rebuild. */
  readonly lock: KeyedLock;
  /**
   * Lifetime of a rebuilt count (increments keep it): a count left wrong by a create that raced
   * with its rebuild, or by a cache failure mid-write, is recounted after at most this long.
   */
  readonly ttlMs?: number;
}

/**
 * {@link ExperimentCounts} as cache counters `expcount:<client>:<state>:<split>`. A write adds to the
 * counters that exist (incrementIfPresent, atomic, no lock: a team creating experiments from many
 * processes at once must not queue); a missing counter is rebuilt from the store under the client's
 * lock and lives `ttlMs`. A create committed while its counter is being rebuilt can be counted
 * twice or not at all until that counter is recounted (≤ ttlMs). Without a reachable cache, counts
 * come from the store.
 */
export function createCacheExperimentCounts(opts: CacheExperimentCountsOptions): ExperimentCounts {
  const { cache, lock } = opts;
  const ttlMs = opts.ttlMs ?? 30_000;
  const key = (clientId: string, state: State, split: Split) => `expcount:${clientId}:${state}:${split}`;
  const lockKey = (clientId: string) => `expcount:${clientId}`;

  /** The counter a plain filter reads, or null when the filter is not plain. */
  function counterOf(f: ExperimentFilter): string | null {
    const plain =
      f.clientIds?.length === 1 &&
      f.userId === undefined &&
      (f.search ?? '') === '' &&
      f.periodStart === undefined &&
      f.periodEnd === undefined &&
      f.projectId === undefined &&
      !f.includeRunsOnly;
    if (!plain) return null;
    const split: Split = f.development === undefined ? 'any' : f.development ? 'dev' : 'prod';
    return key(f.clientIds?.[0] as string, f.state, split);
  }

  /** Counters an experiment is counted in while in `state`. */
  function countersOf(e: ExperimentRecord, state: 'active' | 'deleted'): string[] {
    if (e.runsOnly) return [];
    const splits: Split[] = ['any', e.development ? 'dev' : 'prod'];
    return splits.flatMap((split) => [key(e.clientId, state, split), key(e.clientId, 'all', split)]);
  }

  async function add(keys: readonly string[], by: number): Promise<void> {
    for (const k of keys) {
      try {
        await cache.incrementIfPresent(k, by);
      } catch {
        await cache.delete(k).catch(() => {}); // expires within ttlMs if even this fails
      }
    }
  }

  const read = async (k: string): Promise<number | null> => {
    try {
      const v = await cache.get(k);
      return v === null ? null : Number(v);
    } catch {
      return null;
    }
  };

  return {
    async count(filter, countFresh) {
      const k = counterOf(filter);
      if (k === null) return null;
      const hit = await read(k);
      if (hit !== null) return hit;
      return lock.run(lockKey(filter.clientIds?.[0] as string), async () => {
        const again = await read(k);
        if (again !== null) return again;
        const n = await countFresh();
        await cache.set(k, String(n), { ttlMs }).catch(() => false);
        return n;
      });
    },

    async record(clientId, write, change) {
      const result = await write();
      const effect = change(result);
      if (effect === 'rebuild') {
        const states: State[] = ['active', 'deleted', 'all'];
        const splits: Split[] = ['any', 'dev', 'prod'];
        for (const k of states.flatMap((st) => splits.map((sp) => key(clientId, st, sp)))) await cache.delete(k).catch(() => {});
      } else if (effect && 'created' in effect) await add(countersOf(effect.created, 'active'), 1);
      else if (effect && 'deleted' in effect) {
        // Moves from active to deleted; the `all` counters net to zero.
        const was = new Set(countersOf(effect.deleted, 'active'));
        const now = new Set(countersOf(effect.deleted, 'deleted'));
        await add([...was].filter((k) => !now.has(k)), -1);
        await add([...now].filter((k) => !was.has(k)), 1);
      }
      return result;
    },
  };
}
