/**
 * Mutual exclusion per key (e.g. one suggestion generated at a time per experiment, so that two
 * concurrent requests never receive the same point). Embedded mode uses the in-process
 * implementation below; a distributed deployment provides one backed by the shared cache.
 */
export interface KeyedLock {
  /** Runs `fn` holding the key's lock; rejects with {@link LockTimeoutError} when it could not be had in time. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * The lock was not acquired within its bound (a stuck or slow holder elsewhere). A port-level
 * failure, not an HTTP one: the HTTP layer answers it with 503 and Retry-After.
 */
export class LockTimeoutError extends Error {
  constructor(
    readonly key: string,
    readonly waitedMs: number,
  ) {
    super(`lock ${key} not acquired within ${waitedMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

/** Promise-chain lock: callers on one key run strictly one after another, in arrival order. */
export function createInProcessLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(fn, fn);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      try {
        return await result;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
  };
}
