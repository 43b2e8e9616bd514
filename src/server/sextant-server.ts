import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { resolveBaseLayers } from '../config/base-layers.ts';
import { LiveSettings } from '../config/live-settings.ts';
import type { SettingsBus } from '../config/settings-bus.ts';
import type { SettingValues } from '../config/settings-registry.ts';
import { createLogger } from '../observability/create-logger.ts';
import { createRequestObserver } from '../observability/request-observer.ts';
import { lookupHitCounter } from '../observability/lookup-hit-counter.ts';
import { SextantMetrics } from '../observability/sextant-metrics.ts';
import { createInProcessLock } from '../domain/ports/keyed-lock.ts';
import { type Clock, systemClock } from '../domain/ports/clock.ts';
import { AccountService } from '../domain/services/account-service.ts';
import type { DomainDeps, DomainSettings } from '../domain/services/domain-deps.ts';
import { ExperimentService } from '../domain/services/experiment-service.ts';
import { InsightService } from '../domain/services/insight-service.ts';
import { ObservationService } from '../domain/services/observation-service.ts';
import { ProjectService } from '../domain/services/project-service.ts';
import { TenancyAdminService } from '../domain/services/tenancy-admin-service.ts';
import { TokenService } from '../domain/services/token-service.ts';
import { openStoreWithBackoff } from '../common/open-store-with-backoff.ts';
import { createCacheProgressTracker } from '../domain/bookkeeping/cache-progress-tracker.ts';
import { createCacheExperimentCounts } from '../domain/bookkeeping/cache-experiment-counts.ts';
import { createCacheQueueHint } from '../domain/bookkeeping/cache-queue-hint.ts';
import { createExperimentSnapshotCache } from '../domain/bookkeeping/experiment-snapshot-cache.ts';
import { MemoryCache } from '../cache/memory/memory-cache.ts';
import type { CacheReadObserver } from '../cache/instrumented-cache.ts';
import { instrumentStore, type StatementObserver } from '../store/instrumented-store.ts';
import type { Store } from '../store/store.ts';
import { PooledCandidateProvider } from '../worker/pooled-candidate-provider.ts';
import { startEmbeddedRefreshes } from './embedded-refreshes.ts';
import cluster from 'node:cluster';
import { clusterMetricsExposition } from '../observability/cluster-metrics.ts';
import { buildApp } from './app.ts';
import { cacheAuthentication } from './http/auth-cache.ts';
import { registerDashboardAssets } from './http/dashboard-assets.ts';
import { type DistributedRuntime, openDistributedRuntime } from './distributed-mode.ts';
import { registerRateLimit } from './rate-limit.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { authHelp } from './http/basic-auth.ts';
import { MeteredSuggestionService } from './metered-suggestion-service.ts';
import { registerOperationalRoutes } from './routes/operational-routes.ts';
import { routeTable } from './routes/route-table.ts';
import type { Services } from './routes/services.ts';

/** Everything `sextant serve` can be told. */
export interface ServerOptions {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Embedded PGlite data directory (ignored with databaseUrl); also holds the api-token file. */
  readonly dataDir?: string;
  /** PostgreSQL URL; when absent the embedded PGlite is used. */
  readonly databaseUrl?: string;
  /**
   * Redis URL: distributed mode (Redis cache and lock, BullMQ refresh queue; `sextant worker`
   * processes run the engine). Absent: everything in-process (embedded mode).
   */
  readonly redisUrl?: string;
  /** Key prefix in Redis, shared by the API processes and workers of one deployment. */
  readonly redisPrefix?: string;
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
  /**
   * false: no log output at all (tests). Otherwise JSON lines to `logDestination` or stdout at
   * the `log.level` setting; a `{ level }` object is the command line's `--log-level`.
   */
  readonly logger?: boolean | { readonly level?: string };
  /** Where log lines go (tests capture them here); implies logging. */
  readonly logDestination?: DestinationStream;
  /** Settings layers (src/config): JSON config file, environment (default process.env), command line. */
  readonly configFile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly settings?: Readonly<Partial<SettingValues>>;
  /** Announces setting changes to other processes (distributed mode); default: this process only. */
  readonly settingsBus?: SettingsBus;
  /** Uniform [0, 1) for log sampling; injected so tests are exact. */
  readonly random?: () => number;
  readonly clock?: Clock;
  /** Print progress lines (first-start token, URL). */
  log?(line: string): void;
}

/** A running server. */
export interface SextantServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The effective settings (live overrides included). */
  readonly settings: LiveSettings;
  readonly metrics: SextantMetrics;
  /** The API token created at first start; null when the data dir already existed. */
  readonly createdApiToken: string | null;
  readonly developmentToken: string | null;
  close(): Promise<void>;
}

/** Where `sextant serve` listens and keeps its embedded data unless told otherwise (not live settings). */
export const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  dataDir: './sextant-data',
});

/**
 * The composition root: opens the store (running migrations), bootstraps the first organization,
 * wires services, candidate pools and routes, and listens. Used by `sextant serve` and by tests.
 */
export async function startServer(opts: ServerOptions = {}): Promise<SextantServer> {
  const clock = opts.clock ?? systemClock;
  const dataDir = opts.dataDir ?? DEFAULTS.dataDir;
  if (!opts.databaseUrl) await mkdir(dataDir, { recursive: true });
  // PGlite is single-process: refuse a data directory another server is using.
  const unlock = opts.databaseUrl || opts.store ? async () => {} : await lockDataDir(dataDir);
  const base = { configFile: opts.configFile, env: opts.env ?? process.env, options: commandLineSettings(opts) };
  // Settings read before the database is opened come from the static layers only.
  const poolSize = resolveBaseLayers(base).get('database.pool_size')?.value as number;
  // Every repository call is timed under its statement name (`observations.listLive`); the
  // observer is bound once metrics, logger and settings exist (the settings load itself goes unrecorded).
  let onStatement: StatementObserver = () => {};
  let onCacheRead: CacheReadObserver = () => {};
  const store = instrumentStore(
    opts.store ??
      (await openStoreWithBackoff(opts.databaseUrl ? { databaseUrl: opts.databaseUrl, poolSize } : { dataDir: join(dataDir, 'pgdata') })),
    (statement, seconds) => onStatement(statement, seconds),
  );

  const logging = Boolean(opts.logger) || opts.logDestination !== undefined;
  // Stored overrides that no longer validate are reported once the logger (whose level is itself a setting) exists.
  const warnings: string[] = [];
  let logger: Logger | undefined;
  let settings: LiveSettings;
  let distributed: DistributedRuntime | null = null;
  try {
    if (opts.redisUrl) {
      distributed = await openDistributedRuntime({
        redisUrl: opts.redisUrl,
        ...(opts.redisPrefix ? { redisPrefix: opts.redisPrefix } : {}),
        store,
        waitMs: () => settings.get('suggestion.wait_ms'),
        onError: (err, context) => logger?.warn({ err }, `${context}: cache or queue unavailable`),
        // Bound to the metrics once they exist (reads before that go uncounted).
        onCacheRead: (kind, hit) => onCacheRead(kind, hit),
      });
    }
    const bus = opts.settingsBus ?? distributed?.settingsBus;
    settings = await LiveSettings.open({
      store,
      clock,
      base,
      ...(bus ? { bus } : {}),
      warn: (m) => (logger ? logger.warn(m) : warnings.push(m)),
    });
  } catch (err) {
    await distributed?.close();
    if (!opts.store) await store.close();
    await unlock();
    throw err;
  }
  const metrics = new SextantMetrics({
    refreshesInFlight: () => candidates.refreshesInFlight,
    // Embedded: the in-process queue, created below (read at scrape time only).
    queue: distributed?.queue ?? {
      depth: async () => (await embedded?.queue.depth()) ?? 0,
      oldestWaitingAgeMs: async () => (await embedded?.queue.oldestWaitingAgeMs()) ?? 0,
    },
    ...(distributed ? { workerHeartbeats: () => distributed.workerHeartbeats(clock.now()) } : {}),
  });
  logger = logging
    ? createLogger({
        level: settings.get('log.level'),
        ...(opts.logDestination ? { destination: opts.logDestination } : {}),
        onBytes: (n) => metrics.countLogBytes(n),
      })
    : undefined;
  for (const w of warnings.splice(0)) logger?.warn(w);
  onCacheRead = (kind, hit) => metrics.countCacheRead(kind, hit);
  onStatement = (statement, seconds) => {
    const slow = seconds * 1000 >= settings.get('database.slow_query_ms');
    metrics.observeQuery(statement, seconds, slow);
    // Name and duration only, never parameters: they may hold token hashes or user data.
    if (slow) logger?.warn({ statement, ms: Math.round(seconds * 10_000) / 10 }, 'slow query');
  };
  settings.onChange((changed, values) => {
    if (logger && changed.includes('log.level')) logger.level = values['log.level'];
    metrics.settingsChanged(changed, settings.activeProfile()?.name ?? null);
    logger?.info({ changed: Object.fromEntries(changed.map((k) => [k, values[k]])) }, 'settings changed');
  });
  metrics.settingsChanged([], settings.activeProfile()?.name ?? null);

  // Progress counters, candidate pools and hints live in the shared cache (Redis), or in this process when embedded.
  const sharedCache = distributed?.cache ?? new MemoryCache();
  // Distributed API processes never fit models: the worker fleet fills the pools. Embedded mode runs
  // the same refresh handler on an in-process queue with engine threads here.
  // Experiment records are read through a per-process snapshot (invalidated on change) by requests and embedded refreshes alike.
  const snapshots = createExperimentSnapshotCache({
    store,
    bus: sharedCache,
    maxAgeMs: () => settings.get('experiment.cache_ms'),
    onBusError: (err) => logger?.warn({ err }, 'experiment change broadcast unavailable'),
  });
  const embedded = distributed
    ? null
    : startEmbeddedRefreshes(store, snapshots, sharedCache, settings, clock, (experimentId, outcome) => {
        metrics.observeRefresh(outcome.strategy, outcome.ms / 1000, outcome.error !== undefined);
        if (outcome.error !== undefined) logger?.error({ err: outcome.error, experimentId }, 'optimizer refresh failed');
      });
  const candidates =
    distributed?.candidates ??
    new PooledCandidateProvider({
      store,
      cache: sharedCache,
      queue: embedded!.queue,
      waitMs: () => settings.get('suggestion.wait_ms'),
      onError: (err, experimentId) => logger?.warn({ err, experimentId }, 'candidate pool unavailable'),
    });
  const lock = distributed?.lock ?? createInProcessLock();
  const progress = createCacheProgressTracker({ cache: sharedCache, store, lock });
  const queueHint = createCacheQueueHint(sharedCache);
  const counts = createCacheExperimentCounts({ cache: sharedCache, lock });
  const deps: DomainDeps = {
    store,
    clock,
    settings: liveDomainSettings(settings),
    candidates,
    lock,
    progress,
    queueHint,
    snapshots,
    counts,
  };
  const appUrl = 'https://app.sigopt.com';
  const services: Services = {
    accounts: new AccountService(deps, authHelp(appUrl)),
    experiments: new ExperimentService(deps),
    suggestions: new MeteredSuggestionService(deps, (source) => metrics.countSuggestion(source)),
    observations: new ObservationService(deps),
    projects: new ProjectService(deps),
    insights: new InsightService(deps),
    tokens: new TokenService(deps),
    admin: new TenancyAdminService(deps),
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

  // Token lookups served from the per-process memo count as auth hits of sextant_cache_requests_total.
  const authLookups = lookupHitCounter((hit) => metrics.countCacheRead('auth', hit));
  const memoAuth = cacheAuthentication(
    authLookups.source((token: string) => services.accounts.authenticate(token)),
    () => settings.get('auth.cache_ms'),
  );
  const authenticate = Object.assign(authLookups.memo(memoAuth), { clear: () => memoAuth.clear() });
  const app = buildApp({
    routes: routeTable(
      services,
      { settings, requireOperator: (p) => services.admin.requireOperator(p) },
      { batchBodyLimit: settings.get('http.batch_body_limit_bytes') },
    ),
    authenticate,
    bodyLimit: settings.get('http.body_limit_bytes'),
    appUrl,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    observeRequest: createRequestObserver({
      metrics,
      settings: () => {
        const v = settings.snapshot();
        return {
          successSampleRate: v['log.success_sample_rate'],
          clientErrorSampleRate: v['log.client_error_sample_rate'],
          slowRequestMs: v['log.slow_request_ms'],
          requestSizes: v['log.request_sizes'],
        };
      },
      allowanceMs: (route) => (route === 'suggestion.create' ? settings.get('suggestion.wait_ms') : 0),
      ...(opts.random ? { random: opts.random } : {}),
    }),
    extend: (instance) => {
      // Token and membership changes made through this process apply here at once (others within the TTL).
      instance.addHook('onResponse', async (req) => {
        if (req.method !== 'GET' && /^\/v1\/(tokens|admin)\b/.test(req.url)) authenticate.clear();
      });
      // In `serve --processes N` every process answers /metrics for the whole cluster.
      const exposition = cluster.isWorker ? clusterMetricsExposition(metrics) : metrics;
      registerOperationalRoutes(instance, {
        metrics: exposition,
        readiness: { database: () => store.ping(), ...(distributed ? { cache: distributed.cache.ping.bind(distributed.cache) } : {}) },
      });
      // The web dashboard at `/` (browser navigations only; API clients keep the JSON routes).
      registerDashboardAssets(instance);
      // Per-token windows in the shared cache (all API processes), or in this process when embedded.
      registerRateLimit(instance, {
        cache: distributed?.cache ?? new MemoryCache(),
        appUrl,
        limits: () => ({
          readsPerSecond: settings.get('rate_limit.reads_per_second'),
          writesPerSecond: settings.get('rate_limit.writes_per_second'),
        }),
        onError: (err) => logger?.warn({ err }, 'rate limit: cache unavailable, request let through'),
      });
    },
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
    settings,
    metrics,
    createdApiToken,
    developmentToken,
    close: () => {
      // In-flight requests finish (Fastify closes the listener first), then pools, then the store.
      closing ??= (async () => {
        await app.close();
        await candidates.close();
        await snapshots.close();
        await embedded?.close();
        settings.close();
        await distributed?.close();
        await store.close();
        await unlock();
      })();
      return closing;
    },
  };
}

/** The individual ServerOptions that predate the registry, as command-line settings. */
function commandLineSettings(opts: ServerOptions): Partial<SettingValues> {
  const out: Record<string, unknown> = { ...(opts.settings ?? {}) };
  const put = (key: keyof SettingValues, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  put('suggestion.wait_ms', opts.suggestionWaitMs);
  put('http.body_limit_bytes', opts.bodyLimit);
  put('http.batch_body_limit_bytes', opts.batchBodyLimit);
  // 0 used to mean "inline"; the pool always has at least one thread.
  put('engine.threads', opts.engineThreads === undefined ? undefined : Math.max(1, opts.engineThreads));
  put('limits.max_optimized_metrics', opts.domain?.maxOptimizedMetrics);
  put('limits.max_batch_observations', opts.domain?.maxBatchObservations);
  put('tokens.guest_token_days', opts.domain?.guestTokenDays);
  if (typeof opts.logger === 'object' && opts.logger.level !== undefined) put('log.level', opts.logger.level);
  return out as Partial<SettingValues>;
}

/** Domain settings read through to the live values at each use (services read them per call). */
function liveDomainSettings(settings: LiveSettings): DomainSettings {
  return Object.freeze(
    Object.defineProperties({} as DomainSettings, {
      maxOptimizedMetrics: { enumerable: true, get: () => settings.get('limits.max_optimized_metrics') },
      maxBatchObservations: { enumerable: true, get: () => settings.get('limits.max_batch_observations') },
      guestTokenDays: { enumerable: true, get: () => settings.get('tokens.guest_token_days') },
    }),
  );
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
