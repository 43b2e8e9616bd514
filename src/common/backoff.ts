/**
 * Exponential backoff with full jitter and a cap — the one retry schedule of Sextant. Every
 * reconnect and startup registration (PostgreSQL, Redis, the job queue, lock acquisition, job
 * retries) draws its delays here, so a fleet that restarts together spreads its retries out
 * instead of stampeding the dependency that just came back ("full jitter": the delay is uniform in
 * [0, min(cap, base·2^attempt)), which decorrelates clients better than equal or no jitter).
 */

import type { Clock } from '../domain/ports/clock.ts';
import { systemClock } from './system-clock.ts';

/** The shape of a backoff schedule. */
export interface BackoffPolicy {
  /** Upper bound of the first delay (attempt 0), in ms. */
  readonly baseMs: number;
  /** No delay ever exceeds this, in ms. */
  readonly capMs: number;
}

/** Startup and reconnect default: first retry within 100 ms, never more than 10 s apart. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 100, capMs: 10_000 });

/** The window a delay is drawn from for an attempt (0-based): min(cap, base·2^attempt). */
export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 52);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/**
 * The delay before retry number `attempt` (0-based): uniform in [0, ceiling). `random` is a
 * uniform [0, 1) source, injected so tests can check the distribution with a seeded generator.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, policy));
}

/** Options of {@link retryWithBackoff}. */
export interface RetryOptions {
  readonly policy?: BackoffPolicy;
  /** Give up after this many attempts in total (default: unlimited until `deadlineMs`). */
  readonly maxAttempts?: number;
  /** Give up when the next wait would end after this many ms since the first attempt. */
  readonly deadlineMs?: number;
  readonly random?: () => number;
  /** Injected so tests need no timers. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock of `deadlineMs`; default the system clock. */
  readonly clock?: Clock;
  /** Stop early (process shutting down); the last error is thrown. */
  readonly signal?: AbortSignal;
  /** Called before each wait (log lines such as "database unreachable, retrying in …"). */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

/**
 * Runs `fn` until it resolves, waiting a full-jitter backoff delay between failures. Throws the
 * last error when attempts or the deadline run out. With neither limit it retries forever, which
 * is what a worker waiting for its database at boot wants.
 */
export async function retryWithBackoff<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const policy = opts.policy ?? DEFAULT_BACKOFF;
  const sleep = opts.sleep ?? defaultSleep;
  const clock = opts.clock ?? systemClock;
  const started = clock.nowMs();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const delay = backoffDelay(attempt, policy, opts.random);
      const outOfAttempts = opts.maxAttempts !== undefined && attempt + 1 >= opts.maxAttempts;
      const outOfTime = opts.deadlineMs !== undefined && clock.nowMs() + delay - started > opts.deadlineMs;
      if (outOfAttempts || outOfTime || opts.signal?.aborted) throw error;
      opts.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
