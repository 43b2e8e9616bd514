import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { LiveSettings } from '../config/live-settings.ts';
import type { SettingsBus } from '../config/settings-bus.ts';
import type { SettingValues } from '../config/settings-registry.ts';
import { type Clock, systemClock } from '../domain/ports/clock.ts';
import { createLogger } from '../observability/create-logger.ts';
import { SextantMetrics } from '../observability/sextant-metrics.ts';
import type { Store } from '../store/store.ts';
import { openApiAdapters } from './api-adapters.ts';
import { buildApiHttpApp } from './api-http-app.ts';
import { type ApiServices, buildApiServices } from './api-services.ts';
import { bootstrapFirstStart } from './first-start.ts';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';

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

/**
 * The API process's composition root, used by `sextant serve` and by tests. Three phases: open the
 * adapters (store with migrations, Redis in distributed mode, live settings), build the domain
 * services on them (plus the first start's organization and tokens), build the HTTP app; then listen.
 */
export async function startServer(opts: ServerOptions = {}): Promise<SextantServer> {
  const clock = opts.clock ?? systemClock;
  const dataDir = opts.dataDir ?? PROCESS_DEFAULTS.dataDir;
  const adapters = await openApiAdapters({
    clock,
    dataDir,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
    ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
    ...(opts.redisPrefix ? { redisPrefix: opts.redisPrefix } : {}),
    ...(opts.store ? { store: opts.store } : {}),
    ...(opts.settingsBus ? { settingsBus: opts.settingsBus } : {}),
    base: { configFile: opts.configFile, env: opts.env ?? process.env, options: commandLineSettings(opts) },
  });
  const { store, settings, distributed } = adapters;

  let built: ApiServices | undefined;
  const metrics = new SextantMetrics({
    refreshesInFlight: () => built?.candidates.refreshesInFlight ?? 0,
    // Embedded: the in-process queue (read at scrape time only).
    queue: distributed?.queue ?? {
      depth: async () => (await built?.embedded?.queue.depth()) ?? 0,
      oldestWaitingAgeMs: async () => (await built?.embedded?.queue.oldestWaitingAgeMs()) ?? 0,
    },
    ...(distributed ? { workerHeartbeats: () => distributed.workerHeartbeats(clock.now()) } : {}),
  });
  const logging = Boolean(opts.logger) || opts.logDestination !== undefined;
  const logger = logging
    ? createLogger({
        level: settings.get('log.level'),
        ...(opts.logDestination ? { destination: opts.logDestination } : {}),
        onBytes: (n) => metrics.countLogBytes(n),
      })
    : undefined;
  adapters.observe({
    onStatement: (statement, seconds) => {
      const slow = seconds * 1000 >= settings.get('database.slow_query_ms');
      metrics.observeQuery(statement, seconds, slow);
      // Name and duration only, never parameters: they may hold token hashes or user data.
      if (slow) logger?.warn({ statement, ms: Math.round(seconds * 10_000) / 10 }, 'slow query');
    },
    onCacheRead: (kind, hit) => metrics.countCacheRead(kind, hit),
    onAdapterError: (err, context) => logger?.warn({ err }, `${context}: cache or queue unavailable`),
    onSettingWarning: (message) => logger?.warn(message),
  });
  settings.onChange((changed, values) => {
    if (logger && changed.includes('log.level')) logger.level = values['log.level'];
    metrics.settingsChanged(changed, settings.activeProfile()?.name ?? null);
    logger?.info({ changed: Object.fromEntries(changed.map((k) => [k, values[k]])) }, 'settings changed');
  });
  metrics.settingsChanged([], settings.activeProfile()?.name ?? null);

  const appUrl = 'https://app.sigopt.com';
  built = buildApiServices(adapters, { clock, appUrl, metrics, logger });
  const { services } = built;
  const tokens = await bootstrapFirstStart(store, services.accounts, {
    ...(opts.apiToken !== undefined ? { apiToken: opts.apiToken } : {}),
    tokenDir: opts.databaseUrl ? null : dataDir,
  });
  const app = buildApiHttpApp(adapters, { services, appUrl, metrics, logger, ...(opts.random ? { random: opts.random } : {}) });

  const host = opts.host ?? PROCESS_DEFAULTS.host;
  await app.listen({ host, port: opts.port ?? PROCESS_DEFAULTS.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? PROCESS_DEFAULTS.port);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    app,
    store,
    settings,
    metrics,
    createdApiToken: tokens.apiToken,
    developmentToken: tokens.developmentToken,
    close: () => {
      // In-flight requests finish (Fastify closes the listener first), then pools, then the store.
      closing ??= (async () => {
        await app.close();
        await built.close();
        await adapters.close();
      })();
      return closing;
    },
  };
}

/** The command-line settings layer: `settings`, plus the log level of `logger: { level }`. */
function commandLineSettings(opts: ServerOptions): Partial<SettingValues> {
  const level = typeof opts.logger === 'object' ? opts.logger.level : undefined;
  return { ...(opts.settings ?? {}), ...(level !== undefined ? { 'log.level': level } : {}) } as Partial<SettingValues>;
}
