import type { Kysely } from 'kysely';
import { KyselyStore } from './kysely/kysely-store.ts';
import { migrateToLatest } from './migrations/migrate-to-latest.ts';
import { openPglite } from './pglite/open-pglite.ts';
import { openPostgres } from './postgres/open-postgres.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

/** Where the data lives. `databaseUrl` wins; otherwise PGlite in `dataDir`, or in memory. */
export interface OpenStoreOptions {
  readonly databaseUrl?: string | undefined;
  readonly dataDir?: string | undefined;
  /** node-postgres pool size per process (PostgreSQL only); default 10. */
  readonly poolSize?: number | undefined;
  /** Skip migrations (e.g. a `--no-migrate` deployment that migrates separately). Default false. */
  readonly skipMigrations?: boolean | undefined;
}

/** Opens the store on the chosen backend and brings the schema up to date. */
export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  let db: Kysely<Database>;
  let backend: Store['backend'];
  if (opts.databaseUrl) {
    db = openPostgres(opts.databaseUrl, opts.poolSize);
    backend = 'postgres';
  } else {
    db = await openPglite(opts.dataDir);
    backend = 'pglite';
  }
  try {
    if (!opts.skipMigrations) await migrateToLatest(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return new KyselyStore(db, backend);
}
