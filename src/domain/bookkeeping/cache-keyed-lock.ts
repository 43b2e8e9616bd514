import { randomUUID } from 'node:crypto';
import { type BackoffPolicy, backoffDelay } from '../../common/backoff.ts';
import { type Clock, systemClock } from '../ports/clock.ts';
import { createInProcessLock, type KeyedLock, LockTimeoutError } from '../ports/keyed-lock.ts';
import type { Cache } from '../../cache/cache.ts';

/** Options of {@link createCacheKeyedLock}. */
export interface CacheKeyedLockOptions {
  readonly cache: Cache;
  /**
   * Lease of a held lock; renewed every third of it while the holder runs, so it only expires
   * when the holder's process died (then another process may take over after at most this long).
   */
  readonly leaseMs?: number;
  /** Give up waiting after this long with a LockTimeoutError (a stuck holder must not pile up requests). */
  readonly maxWaitMs?: number;
  /** Polling schedule while another process holds the lock. */
  readonly retry?: BackoffPolicy;
  readonly random?: () => number;
  /** Clock of `maxWaitMs`; default the system clock. */
  readonly clock?: Clock;
  /**
   * The cache failed (Redis down). The critical section then runs under the in-process lock only:
   * the API keeps answering during a cache outage, at the price of cross-process exclusion until
   * the cache is back (the store's checks still reject exact duplicates of observations).
   */
  onCacheError?(error: unknown): void;
}

/**
 * A {@link KeyedLock} across processes, on the shared cache (SET NX PX with a unique owner token,
 * compare-and-delete release). Callers in the same process first queue on an in-process lock, so
 * only one of them at a time polls the cache; across processes waiters poll with jittered backoff.
 */
export function createCacheKeyedLock(opts: CacheKeyedLockOptions): KeyedLock {
  const { cache } = opts;
  // Short lease, renewed while held: a crashed holder blocks its experiment for at most ~5 s.
  const leaseMs = opts.leaseMs ?? 5_000;
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  const retry = opts.retry ?? { baseMs: 4, capMs: 100 };
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? systemClock;
  const local = createInProcessLock();
  const lockKey = (key: string) => `lock:${key}`;

  /** True when held in the cache; false when the cache is unreachable (degraded, see onCacheError). */
  async function acquire(key: string, owner: string): Promise<boolean> {
    const started = clock.nowMs();
    for (let attempt = 0; ; attempt++) {
      let acquired: boolean;
      try {
        acquired = await cache.acquireLock(lockKey(key), owner, leaseMs);
      } catch (error) {
        opts.onCacheError?.(error);
        return false;
      }
      if (acquired) return true;
      if (clock.nowMs() - started > maxWaitMs) {
        throw new LockTimeoutError(key, clock.nowMs() - started);
      }
      await sleep(backoffDelay(attempt, retry, random) + 1);
    }
  }

  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      return local.run(key, async () => {
        const owner = randomUUID();
        if (!(await acquire(key, owner))) return fn();
        const renew = setInterval(
          () => {
            void cache.extendLock(lockKey(key), owner, leaseMs).catch(() => {});
          },
          Math.max(1, Math.floor(leaseMs / 3)),
        );
        try {
          return await fn();
        } finally {
          clearInterval(renew);
          await cache.releaseLock(lockKey(key), owner).catch(() => {});
        }
      });
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
