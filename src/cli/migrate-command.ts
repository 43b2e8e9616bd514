import { Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { openStore } from '../store/open-store.ts';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';

/** `sextant migrate`: brings the database schema up to date (serve also does it on start). */
export function migrateCommand() {
  return new Command('migrate')
    .description('Apply database migrations and exit')
    .option('--data-dir <dir>', 'embedded database directory', process.env.SEXTANT_DATA_DIR ?? PROCESS_DEFAULTS.dataDir)
    .option('--database-url <url>', 'PostgreSQL URL instead of the embedded database', process.env.SEXTANT_DATABASE_URL)
    .action(async (o) => {
      const store = await openStore(o.databaseUrl ? { databaseUrl: o.databaseUrl } : { dataDir: join(o.dataDir, 'pgdata') });
      await store.close();
      process.stdout.write('Database schema is up to date.\n');
    });
}
