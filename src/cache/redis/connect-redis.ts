import { Redis, type RedisOptions } from 'ioredis';
import { type BackoffPolicy, backoffDelay, retryWithBackoff } from '../../common/backoff.ts';

/** Reconnects after a Redis restart: quick first retry, at most 5 s apart, jittered across the fleet. */
export const REDIS_RECONNECT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 50, capMs: 5_000 });

/** Options of {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  readonly url: string;
  /**
   * Per-command retries across reconnects before the command fails. API processes want a small
   * number (answer without the cache rather than hang); BullMQ workers need null (wait forever).
   */
  readonly maxRetriesPerRequest?: number | null;
  readonly random?: () => number;
  /** Connection name shown by CLIENT LIST (operators see which process holds which connection). */
  readonly name?: string;
  /**
   * false: commands fail at once while disconnected instead of waiting for a reconnect. API
   * processes want this (degrade to fallbacks within the request, never hang on an outage);
   * workers keep the default (wait for Redis, their jobs are not latency-bound).
   */
  readonly offlineQueue?: boolean;
  /**
   * Send the commands issued in one event-loop tick as one pipeline (one socket write): the API's
   * cache connection, where concurrent requests issue many small commands. Not for BullMQ's.
   */
  readonly autoPipelining?: boolean;
}

/**
 * An ioredis connection whose reconnects follow the shared full-jitter backoff (a fleet that loses
 * Redis together does not reconnect in lockstep). Connects in the background; use
 * {@link waitForRedis} at startup.
 */
export function createRedisConnection(opts: RedisConnectionOptions): Redis {
  const random = opts.random ?? Math.random;
  const options: RedisOptions = {
    maxRetriesPerRequest: opts.maxRetriesPerRequest === undefined ? 2 : opts.maxRetriesPerRequest,
    retryStrategy: (times) => Math.max(1, backoffDelay(times - 1, REDIS_RECONNECT_BACKOFF, random)),
    enableReadyCheck: true,
    enableOfflineQueue: opts.offlineQueue ?? true,
    enableAutoPipelining: opts.autoPipelining ?? false,
    ...(opts.name ? { connectionName: opts.name } : {}),
  };
  const redis = new Redis(opts.url, options);
  // Connection errors are retried by retryStrategy; a command that finally fails rejects on its own.
  redis.on('error', () => {});
  return redis;
}

/**
 * Startup registration: waits (full-jitter backoff, `deadlineMs` in total) until Redis answers
 * PING, so processes started before Redis, or together with many others, neither crash nor stampede.
 */
export async function waitForRedis(
  redis: Redis,
  opts: { readonly deadlineMs?: number; onRetry?(error: unknown, attempt: number, delayMs: number): void } = {},
): Promise<void> {
  await retryWithBackoff(async () => void (await redis.ping()), {
    deadlineMs: opts.deadlineMs ?? 60_000,
    ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
  });
}
