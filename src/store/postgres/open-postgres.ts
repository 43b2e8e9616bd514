import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../schema.ts';

/**
 * Opens a node-postgres pool behind Kysely's PostgresDialect. node-postgres already returns int8
 * as strings and JSONB parsed, matching the PGlite adapter; the pool is per process, so size it
 * for the process (API processes × poolSize must stay under the server's max_connections).
 */
export function openPostgres(databaseUrl: string, poolSize = 10): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  // An idle client losing its connection (server restart) must not crash the process; the
  // next checkout reconnects and the failing query surfaces as a normal error.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
