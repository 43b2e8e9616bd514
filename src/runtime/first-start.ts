import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountService } from '../domain/services/account-service.ts';
import type { Store } from '../store/store.ts';

/** The tokens created when a server starts on an empty database (null otherwise). */
export interface FirstStartTokens {
  readonly apiToken: string | null;
  readonly developmentToken: string | null;
}

/**
 * Creates the first organization, team and tokens when the database has none. Embedded mode also
 * writes the tokens to the data dir (mode 0600) so `sextant serve` can show them on later starts.
 */
export async function bootstrapFirstStart(
  store: Store,
  accounts: AccountService,
  o: { readonly apiToken?: string; readonly tokenDir: string | null },
): Promise<FirstStartTokens> {
  if (await store.organizations.hasAny()) return { apiToken: null, developmentToken: null };
  const boot = await accounts.bootstrap(o.apiToken !== undefined ? { apiToken: o.apiToken } : {});
  if (o.tokenDir !== null) {
    await writeSecret(join(o.tokenDir, 'api-token'), `${boot.apiToken}\n`);
    await writeSecret(join(o.tokenDir, 'development-token'), `${boot.developmentToken}\n`);
  }
  return boot;
}

/** Reads the API token a previous first start wrote, if any. */
export async function readApiToken(dataDir: string): Promise<string | null> {
  try {
    return (await readFile(join(dataDir, 'api-token'), 'utf8')).trim();
  } catch {
    return null;
  }
}

async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
