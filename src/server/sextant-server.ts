import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createInProcessLock } from '../domain/ports/keyed-lock.ts';
import { type Clock, systemClock } from '../domain/ports/clock.ts';
import { AccountService } from '../domain/services/account-service.ts';
import { DEFAULT_DOMAIN_SETTINGS, type DomainDeps, type DomainSettings } from '../domain/services/domain-deps.ts';
import { ExperimentService } from '../domain/services/experiment-service.ts';
import { InsightService } from '../domain/services/insight-service.ts';
import { ObservationService } from '../domain/services/observation-service.ts';
import { ProjectService } from '../domain/services/project-service.ts';
import { SuggestionService } from '../domain/services/suggestion-service.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { EmbeddedCandidateProvider, type EngineRunner } from '../worker/embedded-candidate-provider.ts';
import { createEnginePool } from '../worker/engine-pool.ts';
import { buildApp } from './app.ts';
import { authHelp } from './http/basic-auth.ts';
import { accountRoutes } from './routes/account-routes.ts';
import { experimentRoutes } from './routes/experiment-routes.ts';
import { observationRoutes } from './routes/observation-routes.ts';
import { projectRoutes } from './routes/project-routes.ts';
import type { Services } from './routes/services.ts';
import { suggestionRoutes } from './routes/suggestion-routes.ts';

/** Everything `sextant serve` can be told. */
export interface ServerOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Embedded PGlite data directory (ignored with databaseUrl); also holds the api-token file. */
  readonly dataDir?: string;
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  readonly databaseUrl?: string;
  /** An already opened store (tests: a fresh in-memory PGlite); the server closes it. */
  readonly store?: Store;
  /** Becomes the client API token at first start (scripted deployments, tests). */
  readonly apiToken?: string;
  readonly bodyLimit?: number;
  readonly batchBodyLimit?: number;
  /** How long a suggestion waits for the model before the random fallback. */
  readonly suggestionWaitMs?: number;
  /** Engine worker threads (0 = run the engine inline, for tests of the pure path). */
  readonly engineThreads?: number;
  readonly domain?: Partial<DomainSettings>;
  readonly logger?: boolean | Record<string, unknown>;
  readonly clock?: Clock;
  /** Print progress lines (first-start token, URL). */
  log?(line: string): void;
}

/** A running server. */
export interface SextantServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The API token created at first start; null when the data dir already existed. */
  readonly createdApiToken: string | null;
  readonly developmentToken: string | null;
  close(): Promise<void>;
}

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  dataDir: './sextant-data',
  bodyLimit: 1024 * 1024,
  batchBodyLimit: 32 * 1024 * 1024,
  suggestionWaitMs: 3000,
  engineThreads: 1,
});

/**
 * The composition root: opens the store (running migrations), bootstraps the first organization,
 * wires services, candidate pools and routes, and listens. Used by `sextant serve` and by tests.
 */
export async function startServer(opts: ServerOptions = {}): Promise<SextantServer> {
  const clock = opts.clock ?? systemClock;
  const dataDir = opts.dataDir ?? DEFAULTS.dataDir;
  if (!opts.databaseUrl) await mkdir(dataDir, { recursive: true });
  const store =
    opts.store ?? (await openStore(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : { dataDir: join(dataDir, 'pgdata') }));

  const threads = opts.engineThreads ?? DEFAULTS.engineThreads;
  const enginePool = createEnginePool({ threads: Math.max(1, threads) });
  const engine: EngineRunner = enginePool;
  const candidates = new EmbeddedCandidateProvider({
    store,
    engine,
    clock,
    waitMs: opts.suggestionWaitMs ?? DEFAULTS.suggestionWaitMs,
  });
  const deps: DomainDeps = {
    store,
    clock,
    settings: { ...DEFAULT_DOMAIN_SETTINGS, ...(opts.domain ?? {}) },
    candidates,
    lock: createInProcessLock(),
  };
  const appUrl = 'https://app.sigopt.com';
  const services: Services = {
    accounts: new AccountService(deps, authHelp(appUrl)),
    experiments: new ExperimentService(deps),
    suggestions: new SuggestionService(deps),
    observations: new ObservationService(deps),
    projects: new ProjectService(deps),
    insights: new InsightService(deps),
    clock,
  };

  let createdApiToken: string | null = null;
  let developmentToken: string | null = null;
  if (!(await store.organizations.hasAny())) {
    const boot = await services.accounts.bootstrap(opts.apiToken !== undefined ? { apiToken: opts.apiToken } : {});
    createdApiToken = boot.apiToken;
    developmentToken = boot.developmentToken;
    if (!opts.databaseUrl) {
      await writeSecret(join(dataDir, 'api-token'), `${boot.apiToken}\n`);
      await writeSecret(join(dataDir, 'development-token'), `${boot.developmentToken}\n`);
    }
  }

  const app = buildApp({
    routes: [
      ...accountRoutes(services),
      ...experimentRoutes(services),
      ...suggestionRoutes(services),
      ...observationRoutes(services, { batchBodyLimit: opts.batchBodyLimit ?? DEFAULTS.batchBodyLimit }),
      ...projectRoutes(services),
    ],
    authenticate: (token) => services.accounts.authenticate(token),
    bodyLimit: opts.bodyLimit ?? DEFAULTS.bodyLimit,
    appUrl,
    logger: opts.logger ?? false,
  });
  await app.listen({ host: opts.host ?? DEFAULTS.host, port: opts.port ?? DEFAULTS.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? DEFAULTS.port);
  const host = opts.host ?? DEFAULTS.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    app,
    store,
    createdApiToken,
    developmentToken,
    close: () => {
      // In-flight requests finish (Fastify closes the listener first), then pools, then the store.
      closing ??= (async () => {
        await app.close();
        await candidates.close();
        await enginePool.close();
        await store.close();
      })();
      return closing;
    },
  };
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
