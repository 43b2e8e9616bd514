/**
 * Mutual exclusion per key (e.g. one suggestion generated at a time per experiment, so that two
 * concurrent requests never receive the same point). Embedded mode uses the in-process
 * implementation below; a distributed deployment provides one backed by the shared cache.
 */
export interface KeyedLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
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
