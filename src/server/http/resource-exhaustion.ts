import { apiError, type ApiError } from '../../domain/errors.ts';

/** Which resource ran out under the database. */
export type ExhaustedResource = 'disk_full' | 'out_of_memory' | 'too_many_connections';

/**
 * PostgreSQL class 53 (insufficient resources): 53100 disk_full, 53200 out_of_memory,
 * 53300 too_many_connections. PGlite writes through Emscripten's file system, whose errors carry
 * errno 28 (ENOSPC) or say "No space left on device" when the disk fills up.
 */
const SQLSTATES: Readonly<Record<string, ExhaustedResource>> = {
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
};

/**
 * The resource a store error says ran out (looking through `cause` chains and AggregateErrors), or
 * null. A full disk used to answer every write with a generic 500 although nothing was lost and the
 * server recovered once space was freed: the client should retry later and the operator be told.
 */
export function exhaustedResource(err: unknown, depth = 0): ExhaustedResource | null {
  if (depth > 5 || err === null || typeof err !== 'object') return null;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && e.code in SQLSTATES) return SQLSTATES[e.code] ?? null;
  if (e.code === 'ENOSPC' || (e.errno === 28 && (err as Error).name === 'ErrnoError')) return 'disk_full';
  if (typeof e.message === 'string' && /No space left on device/i.test(e.message)) return 'disk_full';
  if (Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const found = exhaustedResource(inner, depth + 1);
      if (found) return found;
    }
  }
  return e.cause !== undefined && e.cause !== err ? exhaustedResource(e.cause, depth + 1) : null;
}

/** Seconds a client should wait before retrying a write refused for lack of resources. */
const RETRY_AFTER_SECONDS: Readonly<Record<ExhaustedResource, number>> = { disk_full: 30, out_of_memory: 5, too_many_connections: 1 };

/** The answer for an exhausted resource: 507 for a full disk, 503 otherwise, with Retry-After. */
export function resourceExhaustedError(resource: ExhaustedResource): ApiError {
  const headers = { 'retry-after': String(RETRY_AFTER_SECONDS[resource]) };
  if (resource === 'disk_full') return apiError('DISK_FULL', {}, { headers });
  if (resource === 'out_of_memory') return apiError('DATABASE_OUT_OF_MEMORY', {}, { headers });
  return apiError('DATABASE_TOO_MANY_CONNECTIONS', {}, { headers });
}
