import type { Cache } from './cache.ts';

/** What a read was for; the label set stays bounded whatever the keys are. */
export type CacheReadKind = 'pool' | 'generation' | 'counter' | 'other';

/** Called once per read that could find a value or not. */
export type CacheReadObserver = (kind: CacheReadKind, hit: boolean) => void;

/**
 * The kind of a key, from its leading segment (src/worker/pool-keys.ts: `pool:<id>:<gen>`,
 * `gen:<id>`; the bookkeeping counters: `progress:<id>`, `expcount:<client>:…`, `queued:<id>`). Keys
 * of other features fall into `other` until they are given a kind here.
 */
export function cacheReadKindOf(key: string): CacheReadKind {
  if (key.startsWith('pool:')) return 'pool';
  if (key.startsWith('gen:')) return 'generation';
  if (key.startsWith('progress:') || key.startsWith('expcount:') || key.startsWith('queued:')) return 'counter';
  return 'other';
}

/**
 * Wraps a {@link Cache} so every read reports whether it found a value (metrics: the hit ratio an
 * operator watches for a cold or evicting cache). Reads are `get` and `popList` (hit = a value
 * came back) and `incrementIfPresent` (hit = the counter existed; a miss means a rebuild from the
 * database), the latter always of kind `counter`. Writes, locks, windows and pub/sub pass through
 * uncounted. A failing read is not counted: it is neither a hit nor a miss.
 */
export function instrumentCache(cache: Cache, observe: CacheReadObserver): Cache {
  return {
    async get(key) {
      const value = await cache.get(key);
      observe(cacheReadKindOf(key), value !== null);
      return value;
    },
    set: (key, value, opts) => cache.set(key, value, opts),
    delete: (key) => cache.delete(key),
    increment: (key, by) => cache.increment(key, by),
    async incrementIfPresent(key, by) {
      const value = await cache.incrementIfPresent(key, by);
      observe('counter', value !== null);
      return value;
    },
    hitWindow: (key, windowMs) => cache.hitWindow(key, windowMs),
    replaceList: (key, values, ttlMs) => cache.replaceList(key, values, ttlMs),
    async popList(key) {
      const value = await cache.popList(key);
      observe(cacheReadKindOf(key), value !== null);
      return value;
    },
    listLength: (key) => cache.listLength(key),
    acquireLock: (key, owner, ttlMs) => cache.acquireLock(key, owner, ttlMs),
    extendLock: (key, owner, ttlMs) => cache.extendLock(key, owner, ttlMs),
    releaseLock: (key, owner) => cache.releaseLock(key, owner),
    publish: (channel, message) => cache.publish(channel, message),
    subscribe: (channel, onMessage) => cache.subscribe(channel, onMessage),
    ping: () => cache.ping(),
    close: () => cache.close(),
  };
}
