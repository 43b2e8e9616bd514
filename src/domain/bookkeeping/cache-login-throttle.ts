import { createHash } from 'node:crypto';
import type { Cache } from '../../cache/cache.ts';
import type { Clock } from '../ports/clock.ts';
import type { LoginLimits, LoginThrottle } from '../ports/login-throttle.ts';

/**
 * {@link LoginThrottle} on the shared cache (Redis in distributed mode, so every API process
 * counts into the same windows). Keys hold SHA-256 digests of the lower-cased email and of the
 * address: the cache never holds an email address, and Redis keys stay short.
 *
 * Windows are fixed and aligned to the wall clock, like the request rate limit. A cache failure
 * lets the attempt through (reported through `onError`): the KDF cost and the failure delay still
 * slow guessing down, and a Redis outage must not lock every user out.
 */
export function createCacheLoginThrottle(opts: {
  readonly cache: Cache;
  readonly clock: Clock;
  limits(): LoginLimits;
  onError?(error: unknown): void;
}): LoginThrottle {
  const { cache, clock } = opts;
  const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
  const keys = (account: string | null, address: string) => {
    const { windowMs } = opts.limits();
    const nowMs = clock.nowMs();
    const window = Math.floor(nowMs / windowMs);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - nowMs) / 1000));
    return {
      account: account === null ? null : `login:acct:${digest(account.toLowerCase())}:${window}`,
      address: `login:addr:${digest(address)}:${window}`,
      windowMs,
      resetSeconds,
    };
  };
  const count = async (key: string | null) => (key === null ? 0 : Number((await cache.get(key)) ?? 0));
  return {
    async blockedFor(account, address) {
      const limits = opts.limits();
      const k = keys(account, address);
      try {
        const [a, b] = await Promise.all([count(k.account), count(k.address)]);
        const blocked = (limits.perAccount > 0 && a >= limits.perAccount) || (limits.perAddress > 0 && b >= limits.perAddress);
        return blocked ? k.resetSeconds : 0;
      } catch (error) {
        opts.onError?.(error);
        return 0;
      }
    },
    async recordFailure(account, address) {
      const k = keys(account, address);
      try {
        // Two windows of lifetime: a host whose clock runs behind still finds the key.
        await Promise.all([
          k.account !== null ? cache.hitWindow(k.account, 2 * k.windowMs) : null,
          cache.hitWindow(k.address, 2 * k.windowMs),
        ]);
      } catch (error) {
        opts.onError?.(error);
      }
    },
    async recordSuccess(account) {
      const k = keys(account, '');
      try {
        if (k.account !== null) await cache.delete(k.account);
      } catch (error) {
        opts.onError?.(error);
      }
    },
  };
}
