import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { KyselyStore } from '../../src/store/kysely/kysely-store.ts';
import { openPglite } from '../../src/store/pglite/open-pglite.ts';
import { pgliteTemplate } from '../../src/store/pglite/pglite-template.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/store.ts';

/** The PostgreSQL database used to create and drop per-test databases. */
export const adminDatabaseUrl = process.env.SEXTANT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One opened, isolated test database. */
export interface OpenedTestStore {
  readonly store: Store;
  /** Set for PostgreSQL: the URL of this test's own database. */
  readonly databaseUrl?: string;
  /** Closes the store and drops the database. */
  close(): Promise<void>;
}

/** A backend the store tests run against. `skip` holds the reason when it is unavailable. */
export interface TestBackend {
  readonly name: 'pglite' | 'postgres';
  readonly skip: string | false;
  open(): Promise<OpenedTestStore>;
}

let probe: string | false | undefined;

/**
 * Synchronous reachability probe (test files decide `describe.skipIf` at collection time).
 * Runs a tiny node-postgres connect in a child process with a short timeout.
 */
function postgresUnavailable(): string | false {
  if (probe !== undefined) return probe;
  const script =
    "const pg=require('pg');const c=new pg.Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});" +
    "c.connect().then(()=>c.query('select 1')).then(()=>c.end()).then(()=>process.exit(0),e=>{console.error(e.message);process.exit(1)})";
  // cwd = repository root, so `require('pg')` resolves whatever directory the tests start from.
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  const r = spawnSync(process.execPath, ['-e', script, adminDatabaseUrl], { encoding: 'utf8', timeout: 10_000, cwd });
  probe = r.status === 0 ? false : `PostgreSQL at ${adminDatabaseUrl} is unreachable (${(r.stderr || r.error?.message || 'timeout').trim()})`;
  if (probe) {
    if (process.env.SEXTANT_REQUIRE_SERVICES === '1') throw new Error(`${probe}; SEXTANT_REQUIRE_SERVICES=1 forbids skipping`);
    console.warn(`[sextant tests] skipping PostgreSQL backend: ${probe}. Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`);
  }
  return probe;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty PostgreSQL database `sextant_t_<random>` next to the admin database and
 * returns its URL and a function that drops it (forcibly: leftover pool connections must not
 * keep it alive). Use it to start a whole server on a fresh database.
 */
export async function createTestDatabaseUrl(): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const name = `sextant_t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A temporary PGlite data directory already initialized and migrated (copied from the cached
 * template), so a server started on it skips initdb. `remove()` deletes it; the server must be
 * stopped first.
 */
export async function createTestDataDir(): Promise<{ dataDir: string; remove(): void }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sextant-test-data-'));
  const db = await openPglite(dataDir, { loadDataDir: await pgliteTemplate() });
  await db.destroy();
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * The two backends every store and HTTP integration suite runs against, each `open()` giving a
 * fresh, isolated, migrated database so test files may run in parallel:
 * PGlite in memory (from a cached migrated template), and PostgreSQL in its own database.
 */
export function testStores(): TestBackend[] {
  return [
    {
      name: 'pglite',
      skip: false,
      async open() {
        const db = await openPglite(undefined, { loadDataDir: await pgliteTemplate() });
        const store = new KyselyStore(db, 'pglite');
        return { store, close: () => store.close() };
      },
    },
    {
      name: 'postgres',
      skip: postgresUnavailable(),
      async open() {
        const { databaseUrl, drop } = await createTestDatabaseUrl();
        const store = await openStore({ databaseUrl, poolSize: 8 });
        return {
          store,
          databaseUrl,
          async close() {
            await store.close();
            await drop();
          },
        };
      },
    },
  ];
}
