/**
 * The shared-cache port (DESIGN §2, §4): hot counters, candidate pools, rate-limit windows, locks,
 * pub/sub and short-lived key/values. Embedded mode uses the in-memory adapter; distributed mode
 * uses Redis, so every API process and worker sees the same values. Keys are given without the
 * deployment prefix; adapters add it (several deployments, or parallel tests, share one Redis).
 *
 * Nothing stored here is the source of truth: everything can be rebuilt from PostgreSQL or
 * recomputed, so losing the cache (Redis restart) costs time, never data.
 */
export interface Cache {
  get(key: string): Promise<string | null>;
  /** Sets a value; with `onlyIfAbsent` returns false (and writes nothing) when the key exists. */
  set(key: string, value: string, opts?: { readonly ttlMs?: number; readonly onlyIfAbsent?: boolean }): Promise<boolean>;
  delete(key: string): Promise<void>;

  /** Adds `by` (may be fractional or negative) to a number, creating it at 0; returns the new value. */
  increment(key: string, by?: number): Promise<number>;
  /**
   * Adds `by` only when the key exists and returns the new value, else null. Counters that are
   * rebuilt from the database when missing use this, so a write never creates a wrong partial count.
   */
  incrementIfPresent(key: string, by: number): Promise<number | null>;
  /**
   * One hit in a fixed window: increments the window's counter, giving it a lifetime of
   * `windowMs` when the hit creates it. Returns the count including this hit and the ms until the
   * window ends.
   */
  hitWindow(key: string, windowMs: number): Promise<{ readonly count: number; readonly resetMs: number }>;

  /** Replaces a list atomically (readers see the old or the new list, never a mix). */
  replaceList(key: string, values: readonly string[], ttlMs: number): Promise<void>;
  /** Removes and returns the first element, or null when the list is empty or absent. */
  popList(key: string): Promise<string | null>;
  listLength(key: string): Promise<number>;

  /** Takes a lock for `ttlMs` unless someone else holds it; `owner` is a unique token. */
  acquireLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Renews a held lock; false when `owner` no longer holds it (it expired and was taken). */
  extendLock(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Releases the lock if `owner` still holds it. */
  releaseLock(key: string, owner: string): Promise<boolean>;

  /** Fire-and-forget broadcast to every subscriber of every process (no delivery guarantee). */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `onMessage` for each message on the channel; resolves to an unsubscribe. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;

  /** Resolves when the cache answers (readiness probe); rejects when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
