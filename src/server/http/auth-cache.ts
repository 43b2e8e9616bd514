import { createHash } from 'node:crypto';
import type { Principal } from '../../domain/access/principal.ts';
import { type Clock, systemClock } from '../../domain/ports/clock.ts';

/** A cached authenticate function plus a way to forget everything (after token changes). */
export interface CachedAuthenticate {
  (token: string): Promise<Principal>;
  clear(): void;
}

/** At most this many tokens are remembered; the oldest entry goes first beyond it. */
const MAX_ENTRIES = 10_000;

/**
 * Remembers successful token lookups for `ttlMs()` milliseconds (0 disables), so a client's burst
 * of requests costs one database round trip instead of one per request — the load simulator found
 * the per-request token query to be the most expensive statement. The price is that a revoked or
 * rotated token, or a changed role, takes effect in other API processes up to one TTL later; this
 * process clears its cache on its own token changes. Failures are never cached, and a cached
 * principal whose token expires in the meantime is looked up again.
 */
export function cacheAuthentication(
  authenticate: (token: string) => Promise<Principal>,
  ttlMs: () => number,
  clock: Clock = systemClock,
): CachedAuthenticate {
  const entries = new Map<string, { principal: Principal; until: number }>();
  const cached = (async (token: string): Promise<Principal> => {
    const ttl = ttlMs();
    if (ttl <= 0) return authenticate(token);
    // Keys are hashes so the cache never holds token values themselves.
    const key = createHash('sha256').update(token).digest('base64');
    const now = clock.nowMs();
    const hit = entries.get(key);
    const expires = hit?.principal.token.expires;
    if (hit && hit.until > now && (expires === null || expires === undefined || expires * 1000 > now)) return hit.principal;
    const principal = await authenticate(token);
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.delete(key);
    entries.set(key, { principal, until: now + ttl });
    return principal;
  }) as CachedAuthenticate;
  cached.clear = () => entries.clear();
  return cached;
}
