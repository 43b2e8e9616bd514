import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerOptions, type SextantServer, startServer } from '../../src/runtime/api-process.ts';
import type { Store } from '../../src/store/store.ts';
import { createTestDatabaseUrl, testStores } from './databases.ts';
import { distributedSidecar } from '../distributed/distributed-test-mode.ts';
import { redisUnavailable } from '../distributed/redis-support.ts';

/**
 * Where a test server keeps its data: embedded PGlite, PostgreSQL, or PostgreSQL + Redis in
 * distributed mode (Redis cache, lock and BullMQ queue under a private prefix, plus an optimizer
 * worker), so every HTTP suite checks that distributed mode keeps the embedded semantics.
 */
export type Backend = 'pglite' | 'postgres' | 'distributed';

/** A server on a free port with a fresh database, and the tokens its first start created. */
export interface TestServer {
  readonly url: string;
  readonly token: string;
  readonly devToken: string;
  readonly server: SextantServer;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Whether PostgreSQL tests should run (they are skipped with a message when it is unreachable). */
export const POSTGRES_REQUIRED = process.env.SEXTANT_REQUIRE_SERVICES === '1';

/**
 * Starts a real server (real socket) on the chosen backend with a fresh database. The API token is
 * fixed so tests can also use it from the environment.
 */
export async function startTestServer(backend: Backend, opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sextant-test-'));
  let drop = async () => {};
  let databaseUrl: string | undefined;
  let store: Store | undefined;
  if (backend === 'postgres' || backend === 'distributed') {
    const db = await createTestDatabaseUrl();
    databaseUrl = db.databaseUrl;
    drop = db.drop;
  } else {
    // A fresh in-memory PGlite copied from a migrated template: no initdb per test file.
    const pglite = testStores().find((b) => b.name === 'pglite');
    store = (await pglite?.open())?.store;
  }
  const sidecar = backend === 'distributed' ? distributedSidecar() : null;
  const server = await startServer({
    port: 0,
    dataDir,
    apiToken: 'test-api-token-0123456789',
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(store ? { store } : {}),
    ...(sidecar ? { redisUrl: sidecar.redisUrl, redisPrefix: sidecar.redisPrefix } : {}),
    ...opts,
    // Rate limiting (docs/api-compatibility.md#rate-limits) is off in tests unless a test sets it.
    settings: { 'rate_limit.reads_per_second': 0, 'rate_limit.writes_per_second': 0, 'suggestion.wait_ms': 2000, ...(opts.settings ?? {}) },
  });
  if (sidecar && databaseUrl) await sidecar.startWorker(databaseUrl);
  return {
    url: server.url,
    token: server.createdApiToken ?? 'test-api-token-0123456789',
    devToken: server.developmentToken ?? '',
    server,
    dataDir,
    close: async () => {
      await server.close();
      await sidecar?.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The backends HTTP suites run against; each carries a skip reason when its services are unreachable. */
export function httpBackends(): { readonly name: Backend; readonly skip: string | false }[] {
  const pg = testStores().find((b) => b.name === 'postgres')?.skip ?? 'no postgres backend';
  return [
    { name: 'pglite', skip: false },
    { name: 'postgres', skip: pg },
    { name: 'distributed', skip: pg || redisUnavailable() },
  ];
}
