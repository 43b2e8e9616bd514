import { AsyncLocalStorage } from 'node:async_hooks';

/** Wrappers that count hits of a memoizing lookup without touching its code. */
export interface LookupHitCounter {
  /** Wraps the underlying lookup (what the memo calls on a miss). */
  source<A extends unknown[], R>(lookup: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
  /**
   * Wraps the memoized lookup: each call reports a hit when it finished without calling the
   * source, else a miss (failures included: they are never memoized).
   */
  memo<A extends unknown[], R>(lookup: (...args: A) => Promise<R>): (...args: A) => Promise<R>;
}

/**
 * Counts hits of a per-process memo (the token lookup cache of src/server/http/auth-cache.ts) from
 * the outside: the memoized call runs in an async context that the source call marks, so
 * concurrent lookups never mix up their outcomes.
 */
export function lookupHitCounter(observe: (hit: boolean) => void): LookupHitCounter {
  const calls = new AsyncLocalStorage<{ missed: boolean }>();
  return {
    source:
      (lookup) =>
      (...args) => {
        const call = calls.getStore();
        if (call) call.missed = true;
        return lookup(...args);
      },
    memo:
      (lookup) =>
      (...args) => {
        const call = { missed: false };
        return calls.run(call, () => lookup(...args)).finally(() => observe(!call.missed));
      },
  };
}
