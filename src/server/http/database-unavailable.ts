import { apiError, ApiError } from '../../domain/errors.ts';

/**
 * Recognises "the database cannot be reached right now" among the errors a store call may throw,
 * so the HTTP layer answers 503 with Retry-After (retry later) instead of 500 (a bug). This is the
 * one place that knows node-postgres' and PostgreSQL's outage signatures; routes and services
 * stay unaware. A store call fails this way when PostgreSQL is down or restarting (connection
 * refused, terminated mid-query, "the database system is starting up"), when the pool cannot get
 * a connection within its connect timeout, or when the server refuses more connections.
 */

/** Socket-level failures of a TCP connection to a dependency. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs meaning "not now": 57P01 admin_shutdown, 57P02 crash_shutdown,
 * 57P03 cannot_connect_now (starting up / shutting down / in recovery); class 08 (connection
 * exception) is matched by prefix. Class 53 (resources ran out) has its own answers: resource-exhaustion.ts.
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** node-postgres messages for a connection lost, never made, or not obtained from the pool in time. */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/** Seconds a client should wait before retrying (Retry-After); jittered backoff on top is expected. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * True when `err` (or an error in its `cause` chain, or one of an AggregateError's errors — Node
 * reports a refused dual-stack connect that way) is a database outage signature.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 5 || err === null || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || (code.length === 5 && code.startsWith('08'))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (PG_MESSAGES.some((m) => message.startsWith(m))) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause, depth + 1);
}

/** The 503 answered for a database outage (SigOpt-shaped body, Retry-After). */
export function databaseUnavailableError(): ApiError {
  return apiError('DATABASE_UNAVAILABLE', {}, { headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } });
}
