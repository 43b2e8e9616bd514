import { afterAll, describe, expect, it } from 'vitest';
import type { Cache } from '../../src/cache/cache.ts';
import { createCacheKeyedLock } from '../../src/domain/bookkeeping/cache-keyed-lock.ts';
import { LockTimeoutError } from '../../src/domain/ports/keyed-lock.ts';
import { MemoryCache } from '../../src/cache/memory/memory-cache.ts';
import { RedisCache } from '../../src/cache/redis/redis-cache.ts';
import { deletePrefix, redisUnavailable, testRedis, uniquePrefix } from './redis-support.ts';

interface Adapter {
  readonly name: string;
  readonly skip: string | false;
  open(): Promise<Cache>;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

const adapters: Adapter[] = [
  { name: 'memory', skip: false, open: async () => new MemoryCache() },
  {
    name: 'redis',
    skip: redisUnavailable(),
    async open() {
      const prefix = uniquePrefix('cache');
      const cache = new RedisCache({ redis: testRedis(), prefix });
      cleanups.push(async () => {
        const admin = testRedis();
        await deletePrefix(admin, prefix);
        await admin.quit();
        await cache.close();
      });
      return cache;
    },
  },
];

function until(check: () => boolean, ms = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > ms) reject(new Error('condition not reached'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

for (const adapter of adapters) {
  describe.skipIf(adapter.skip)(`Cache contract: ${adapter.name}`, () => {
    it('gets, sets (only if absent), expires and deletes values', async () => {
      const cache = await adapter.open();
      expect(await cache.get('a')).toBeNull();
      expect(await cache.set('a', '1')).toBe(true);
      expect(await cache.set('a', '2', { onlyIfAbsent: true })).toBe(false);
      expect(await cache.get('a')).toBe('1');
      await cache.delete('a');
      expect(await cache.get('a')).toBeNull();
      await cache.set('short', 'x', { ttlMs: 30 });
      await until(() => false, 60).catch(() => {});
      expect(await cache.get('short')).toBeNull();
    });

    it('increments counters, fractional too, and incrementIfPresent never creates', async () => {
      const cache = await adapter.open();
      expect(await cache.increment('n')).toBe(1);
      expect(await cache.increment('n', 2)).toBe(3);
      expect(await cache.increment('f', 0.5)).toBe(0.5);
      expect(await cache.increment('f', 0.25)).toBe(0.75);
      expect(await cache.incrementIfPresent('missing', 1)).toBeNull();
      expect(await cache.get('missing')).toBeNull();
      expect(await cache.incrementIfPresent('n', -1)).toBe(2);
    });

    it('counts hits in fixed windows that reset after the window', async () => {
      const cache = await adapter.open();
      const first = await cache.hitWindow('w', 1000);
      expect(first.count).toBe(1);
      expect(first.resetMs).toBeGreaterThan(0);
      expect(first.resetMs).toBeLessThanOrEqual(1000);
      expect((await cache.hitWindow('w', 1000)).count).toBe(2);
      const hits = await Promise.all(Array.from({ length: 20 }, () => cache.hitWindow('w2', 1000)));
      expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await cache.hitWindow('w3', 30);
      await until(() => false, 60).catch(() => {});
      expect((await cache.hitWindow('w3', 30)).count).toBe(1);
    });

    it('replaces and pops lists', async () => {
      const cache = await adapter.open();
      expect(await cache.popList('l')).toBeNull();
      await cache.replaceList('l', ['a', 'b', 'c'], 10_000);
      expect(await cache.listLength('l')).toBe(3);
      expect(await cache.popList('l')).toBe('a');
      await cache.replaceList('l', ['x'], 10_000);
      expect(await cache.popList('l')).toBe('x');
      expect(await cache.popList('l')).toBeNull();
      await cache.replaceList('l', [], 10_000);
      expect(await cache.listLength('l')).toBe(0);
    });

    it('pops each element exactly once under concurrency', async () => {
      const cache = await adapter.open();
      const values = Array.from({ length: 50 }, (_, i) => String(i));
      await cache.replaceList('pool', values, 10_000);
      const popped = await Promise.all(Array.from({ length: 60 }, () => cache.popList('pool')));
      const got = popped.filter((v): v is string => v !== null);
      expect(got.sort()).toEqual([...values].sort());
    });

    it('locks: exclusive, owner-checked extend and release', async () => {
      const cache = await adapter.open();
      expect(await cache.acquireLock('k', 'me', 10_000)).toBe(true);
      expect(await cache.acquireLock('k', 'you', 10_000)).toBe(false);
      expect(await cache.extendLock('k', 'you', 10_000)).toBe(false);
      expect(await cache.releaseLock('k', 'you')).toBe(false);
      expect(await cache.extendLock('k', 'me', 10_000)).toBe(true);
      expect(await cache.releaseLock('k', 'me')).toBe(true);
      expect(await cache.acquireLock('k', 'you', 30)).toBe(true);
      await until(() => false, 60).catch(() => {});
      // An expired lease (holder died) can be taken over.
      expect(await cache.acquireLock('k', 'me', 10_000)).toBe(true);
    });

    it('publishes to every subscriber and stops after unsubscribe', async () => {
      const cache = await adapter.open();
      const a: string[] = [];
      const b: string[] = [];
      const offA = await cache.subscribe('ch', (m) => a.push(m));
      const offB = await cache.subscribe('ch', (m) => b.push(m));
      await cache.publish('ch', 'one');
      await until(() => a.length === 1 && b.length === 1);
      await offA();
      await cache.publish('ch', 'two');
      await until(() => b.length === 2);
      expect(a).toEqual(['one']);
      expect(b).toEqual(['one', 'two']);
      await offB();
    });

    it('keyed lock serializes critical sections across lock instances (processes)', async () => {
      const cache = await adapter.open();
      const locks = [createCacheKeyedLock({ cache }), createCacheKeyedLock({ cache }), createCacheKeyedLock({ cache })];
      let inside = 0;
      let maxInside = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          locks[i % 3]?.run('exp-1', async () => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            await new Promise((r) => setTimeout(r, 2));
            order.push(i);
            inside--;
          }),
        ),
      );
      expect(maxInside).toBe(1);
      expect(order).toHaveLength(24);
    });

    it('keyed lock takes over the key of a holder that died (its lease expired)', async () => {
      const cache = await adapter.open();
      // A crashed process: it took the lock and never renews or releases it.
      expect(await cache.acquireLock('lock:dead', 'crashed-process', 150)).toBe(true);
      const lock = createCacheKeyedLock({ cache });
      expect(await lock.run('dead', async () => 'ran')).toBe('ran');
    });

    it('keyed lock gives up after maxWaitMs with a LockTimeoutError (a port error, not an HTTP one)', async () => {
      const cache = await adapter.open();
      // Another process holds the key and keeps renewing it.
      expect(await cache.acquireLock('lock:busy', 'other-process', 60_000)).toBe(true);
      const lock = createCacheKeyedLock({ cache, maxWaitMs: 50 });
      const err = await lock.run('busy', async () => 'ran').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LockTimeoutError);
      expect((err as LockTimeoutError).key).toBe('busy');
      await cache.releaseLock('lock:busy', 'other-process');
    });

    it('keyed lock releases on errors and returns values', async () => {
      const cache = await adapter.open();
      const lock = createCacheKeyedLock({ cache });
      await expect(lock.run('e', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await lock.run('e', async () => 42)).toBe(42);
    });
  });
}

describe('keyed lock with a failing cache', () => {
  it('runs the critical section under the in-process lock only, and reports the outage', async () => {
    const cache = new MemoryCache();
    cache.acquireLock = async () => {
      throw new Error('redis down');
    };
    const errors: unknown[] = [];
    const lock = createCacheKeyedLock({ cache, onCacheError: (e) => errors.push(e) });
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 5 }, () =>
        lock.run('k', async () => {
          maxInside = Math.max(maxInside, ++inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(errors).toHaveLength(5);
  });
});
