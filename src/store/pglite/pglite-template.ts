import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { migrateToLatest } from '../migrations/migrate-to-latest.ts';
import type { Database } from '../schema.ts';
import { PgliteDialect } from './pglite-dialect.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

/** Content hash of the migration sources: a template built from older migrations is never reused. */
function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir).sort()) h.update(f).update(readFileSync(join(migrationsDir, f)));
  return h.digest('hex').slice(0, 16);
}

let cached: Promise<Blob> | undefined;

/**
 * A tarball of a freshly initialized and migrated PGlite data directory. initdb dominates PGlite's
 * start (seconds on a busy machine); loading this dump instead takes well under one, which keeps
 * test suites that open many isolated databases fast. Cached per process and on disk in the OS
 * temp directory, keyed by the migrations' content hash, written atomically (rename).
 */
export function pgliteTemplate(): Promise<Blob> {
  cached ??= (async () => {
    const file = join(tmpdir(), `sextant-pglite-template-${migrationsHash()}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const pg = await PGlite.create();
    const db = new Kysely<Database>({ dialect: new PgliteDialect(pg) });
    await migrateToLatest(db);
    const dump = await pg.dumpDataDir('none');
    await db.destroy();
    const tmp = `${file}.${process.pid}.${Date.now()}`;
    writeFileSync(tmp, new Uint8Array(await dump.arrayBuffer()));
    renameSync(tmp, file);
    return dump;
  })();
  return cached;
}
