import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Waiting for a pooled connection (pool exhausted, or PostgreSQL not accepting) gives up after
 * this long: the request then fails with node-postgres' connect timeout, which the HTTP layer
 * answers as 503 + Retry-After instead of hanging while the database is unreachable.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5000;

/**
 * Opens a node-postgres pool behind Kysely's PostgresDialect. node-postgres already returns int8
 * as strings and JSONB parsed, matching the PGlite adapter; the pool is per process, so size it
 * for the process (API processes × poolSize must stay under the server's max_connections).
 */
export function openPostgres(databaseUrl: string, poolSize = 10): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    // A peer that vanishes without closing (host down, partition) is noticed by TCP keepalive
    // instead of leaving a checked-out connection waiting forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle client losing its connection (server restart) must not crash the process; the
  // pool drops it, the next checkout reconnects, and the failing query surfaces as a normal error.
  pool.on('error', () => {});
  // The same for a client that is checked out but between statements when the server goes away
  // (the pool only listens on idle clients): without a listener node-postgres' 'error' event kills
  // the process. A CI chaos run lost a worker this way during a PostgreSQL crash-restart.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
