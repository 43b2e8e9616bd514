import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import type { Database } from '../schema.ts';
import { PgliteDialect } from './pglite-dialect.ts';

/** PostgreSQL type oid of int8. */
const INT8 = 20;

/**
 * Opens PGlite in `dataDir` (created on first use) or in memory when no directory is given, and
 * wraps it in Kysely. int8 is parsed as a decimal string, as node-postgres does, so both backends
 * return identical rows and 64-bit ids never lose precision.
 */
export async function openPglite(dataDir?: string, opts: { readonly loadDataDir?: Blob } = {}): Promise<Kysely<Database>> {
  const pg = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    // A dump of an initialized data dir skips initdb (about 10x faster; tests use it).
    ...(opts.loadDataDir === undefined ? {} : { loadDataDir: opts.loadDataDir }),
    parsers: { [INT8]: (value: string) => value },
  });
  const db = new Kysely<Database>({ dialect: new PgliteDialect(pg) });
  // Kysely initializes (and so later destroys) a driver only once a query ran; without this a
  // store closed unused would leave PGlite open and the process would never exit.
  await sql`SELECT 1`.execute(db);
  return db;
}
