import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initial } from './0001-initial.ts';
import { settings } from './0002-settings.ts';
import { trainingRuns } from './0003-training-runs.ts';
import { accounts } from './0004-accounts.ts';

/**
 * Migrations live in code (not discovered from the file system) so a bundled build and tsx run
 * the same list; names sort lexically, which is the order Kysely applies them in.
 */
const migrations: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-settings': settings,
  '0003-training-runs': trainingRuns,
  '0004-accounts': accounts,
};

const provider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

/**
 * Applies every pending migration. Kysely takes an advisory lock on PostgreSQL, so several API
 * processes starting together migrate once. Throws the first migration error.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  if (await isUpToDate(db)) return;
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const cause = error instanceof Error ? error : new Error(String(error));
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${cause.message}`, { cause });
  }
}

/**
 * Fast path for restarts: one read of Kysely's bookkeeping table instead of the Migrator's
 * lock-and-check sequence (about 100 ms of CPU on PGlite). Any doubt falls through to the Migrator.
 */
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return Object.keys(migrations).every((name) => applied.has(name));
  } catch {
    return false;
  }
}
