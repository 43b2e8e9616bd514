import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Cache } from '../cache/cache.ts';
import { type Clock, systemClock } from '../domain/ports/clock.ts';
import { apiError } from '../domain/errors.ts';
import { parseBasicAuth } from './http/basic-auth.ts';

/** Per-token limits per one-second window; 0 (or less) disables that limit. */
export interface RateLimits {
  readonly readsPerSecond: number;
  readonly writesPerSecond: number;
}

/** Options of {@link registerRateLimit}. */
export interface RateLimitOptions {
  /** Where windows are counted: Redis in distributed mode (all processes share the count). */
  readonly cache: Cache;
  /** Read per request, so a live setting change applies at once. */
  limits(): RateLimits;
  readonly appUrl: string;
  /** Wall clock (default the system's): windows are aligned to whole seconds so every process agrees on them. */
  readonly clock?: Clock;
  /** The cache failed: the request is let through (a cache outage must not become an API outage). */
  onError?(error: unknown): void;
  /** A request was refused (metrics). */
  onLimited?(kind: 'read' | 'write'): void;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Per-token rate limiting (docs/api-compatibility.md#rate-limits): fixed one-second windows, separate budgets for reads and
 * writes, counted in the shared cache so the limit holds across all API processes. Excess
 * requests get 429 with the SigOpt message and `Retry-After` (whole seconds until the window ends).
 * Runs before authentication: the key is a hash of the presented token (the cache never holds
 * secrets), and requests without a parseable token are left to the auth errors.
 */
export function registerRateLimit(app: FastifyInstance, opts: RateLimitOptions): void {
  const clock = opts.clock ?? systemClock;
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const kind = READ_METHODS.has(req.method) ? 'read' : 'write';
    const limits = opts.limits();
    const limit = kind === 'read' ? limits.readsPerSecond : limits.writesPerSecond;
    if (!(limit > 0)) return;
    let token: string | null;
    try {
      token = parseBasicAuth(req.headers.authorization, opts.appUrl);
    } catch {
      return;
    }
    if (token === null) return;
    const now = clock.nowMs();
    const window = Math.floor(now / 1000);
    const key = `rl:${kind}:${createHash('sha256').update(token).digest('hex').slice(0, 32)}:${window}`;
    let count: number;
    try {
      // The key lives two windows so a slow clock on another host still finds it.
      ({ count } = await opts.cache.hitWindow(key, 2000));
    } catch (error) {
      opts.onError?.(error);
      return;
    }
    if (count > limit) {
      opts.onLimited?.(kind);
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * 1000 - now) / 1000));
      throw apiError('RATE_LIMITED', {}, { headers: { 'retry-after': String(retryAfter) } });
    }
  });
}
