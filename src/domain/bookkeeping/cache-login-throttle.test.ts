import { describe, expect, it } from 'vitest';
import type { Cache } from '../../cache/cache.ts';
import { MemoryCache } from '../../cache/memory/memory-cache.ts';
import type { LoginLimits } from '../ports/login-throttle.ts';
import { createCacheLoginThrottle } from './cache-login-throttle.ts';

function setup(limits: LoginLimits, cache?: Cache) {
  let nowMs = 1_000_000;
  const clock = { now: () => Math.floor(nowMs / 1000), nowMs: () => nowMs };
  const store = cache ?? new MemoryCache({ clock });
  const errors: unknown[] = [];
  const throttle = createCacheLoginThrottle({ cache: store, clock, limits: () => limits, onError: (e) => errors.push(e) });
  return { throttle, errors, advance: (ms: number) => (nowMs += ms), cache: store };
}

describe('login throttle on the cache', () => {
  it('blocks an account after its failures until the window ends; other accounts are not affected', async () => {
    const { throttle, advance } = setup({ perAccount: 3, perAddress: 0, windowMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      expect(await throttle.blockedFor('Pat@Example.org', '10.0.0.1')).toBe(0);
      await throttle.recordFailure('pat@example.org', '10.0.0.1');
    }
    // Case does not matter, nor the address: the account itself is locked.
    const wait = await throttle.blockedFor('PAT@example.org', '10.0.0.2');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await throttle.blockedFor('someone@example.org', '10.0.0.1')).toBe(0);
    advance(wait * 1000);
    expect(await throttle.blockedFor('pat@example.org', '10.0.0.1')).toBe(0);
  });

  it('blocks an address after failures across accounts and sign-ups (account null)', async () => {
    const { throttle } = setup({ perAccount: 0, perAddress: 2, windowMs: 60_000 });
    await throttle.recordFailure('a@example.org', '10.0.0.9');
    await throttle.recordFailure(null, '10.0.0.9');
    expect(await throttle.blockedFor('c@example.org', '10.0.0.9')).toBeGreaterThan(0);
    expect(await throttle.blockedFor('c@example.org', '10.0.0.8')).toBe(0);
  });

  it('a successful login clears the account count, not the address count', async () => {
    const { throttle } = setup({ perAccount: 2, perAddress: 3, windowMs: 60_000 });
    await throttle.recordFailure('p@example.org', '10.0.0.1');
    await throttle.recordFailure('p@example.org', '10.0.0.1');
    expect(await throttle.blockedFor('p@example.org', '10.0.0.2')).toBeGreaterThan(0);
    await throttle.recordSuccess('p@example.org');
    expect(await throttle.blockedFor('p@example.org', '10.0.0.2')).toBe(0);
    await throttle.recordFailure('q@example.org', '10.0.0.1');
    expect(await throttle.blockedFor('r@example.org', '10.0.0.1')).toBeGreaterThan(0);
  });

  it('keeps neither emails nor addresses in cache keys', async () => {
    const keys: string[] = [];
    const inner = new MemoryCache();
    const spy = new Proxy(inner, {
      get: (target, prop) => {
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function'
          ? (key: string, ...rest: unknown[]) => (keys.push(key), (v as (...a: unknown[]) => unknown).call(target, key, ...rest))
          : v;
      },
    });
    const { throttle } = setup({ perAccount: 5, perAddress: 5, windowMs: 60_000 }, spy);
    await throttle.recordFailure('pat@example.org', '192.0.2.7');
    await throttle.blockedFor('pat@example.org', '192.0.2.7');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/pat|example|192\.0/);
  });

  it('an unreachable cache lets attempts through and reports the error', async () => {
    const down = new Proxy({} as Cache, { get: () => () => Promise.reject(new Error('down')) });
    const { throttle, errors } = setup({ perAccount: 1, perAddress: 1, windowMs: 60_000 }, down);
    await throttle.recordFailure('p@example.org', '10.0.0.1');
    expect(await throttle.blockedFor('p@example.org', '10.0.0.1')).toBe(0);
    await throttle.recordSuccess('p@example.org');
    expect(errors).toHaveLength(3);
  });
});
