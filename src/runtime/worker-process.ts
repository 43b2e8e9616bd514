import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import pino, { type DestinationStream, type Logger } from 'pino';
import { createCacheSettingsBus } from '../cache/cache-settings-bus.ts';
import { instrumentCache } from '../cache/instrumented-cache.ts';
import { createExperimentSnapshotCache } from '../domain/bookkeeping/experiment-snapshot-cache.ts';
import { createRedisConnection, waitForRedis } from '../cache/redis/connect-redis.ts';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { RedisCache } from '../cache/redis/redis-cache.ts';
import { openStoreWithBackoff } from '../common/open-store-with-backoff.ts';
import { resolveBaseLayers } from '../config/base-layers.ts';
import { LiveSettings } from '../config/live-settings.ts';
import { type Clock, systemClock } from '../domain/ports/clock.ts';
import { createLogger } from '../observability/create-logger.ts';
import { SextantMetrics } from '../observability/sextant-metrics.ts';
import { BullmqJobQueue, startBullmqConsumer } from '../queue/bullmq/bullmq-job-queue.ts';
import type { JobConsumer } from '../queue/job-queue.ts';
import { instrumentStore } from '../store/instrumented-store.ts';
import type { Store } from '../store/store.ts';
import { createEnginePool, type EnginePool } from '../worker/engine-pool.ts';
import { createRefreshHandler, liveRefreshSettings } from '../worker/refresh-job-handler.ts';
import { forgetWorker, startWorkerHeartbeat } from '../worker/worker-heartbeat.ts';
import { type MetricsListener, startMetricsListener } from './metrics-listener.ts';

/** Everything `sextant worker` can be told. */
export interface OptimizerWorkerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Same prefix as the API processes of the deployment; default `sextant:`. */
  readonly redisPrefix?: string;
  /** Refresh jobs run at once (different experiments). */
  readonly concurrency: number;
  /** Engine threads; default = concurrency (one thread per running job). */
  readonly engineThreads?: number;
  /** Job ownership lease: a killed worker's job moves to another worker after about this long. */
  readonly lockDurationMs?: number;
  readonly configFile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /**
   * Where JSON log lines (pino, as in the API processes) go, at the `log.level` setting; the CLI
   * passes stderr. Absent: no log output (tests running a worker in-process).
   */
  readonly logDestination?: DestinationStream;
  /** Serve `/metrics`, `/ready` and `/health` on this port (0: a free one); absent: no listener. */
  readonly metricsPort?: number;
  /** Interface of the metrics listener; default 127.0.0.1 (the endpoints need no token). */
  readonly metricsHost?: string;
}

/** A running optimizer worker. */
export interface OptimizerWorker {
  readonly id: string;
  readonly logger: Logger;
  /** This process's series (refreshes, statements, cache reads, settings, Node process figures). */
  readonly metrics: SextantMetrics;
  /** `http://host:port` of the metrics listener, null without `metricsPort`. */
  readonly metricsUrl: string | null;
  /** Stops taking jobs, finishes the running ones, then closes threads and connections. */
  close(): Promise<void>;
}

/**
 * Composition root of `sextant worker` (DESIGN §2): PostgreSQL + Redis with startup backoff, an
 * engine thread pool, and a BullMQ consumer whose jobs load experiment state, run the engine,
 * fill the experiment's candidate pool in Redis and save the model state in PostgreSQL. Holds no
 * state of its own: kill it at any point and another worker retries the job.
 */
export async function startOptimizerWorker(opts: OptimizerWorkerOptions): Promise<OptimizerWorker> {
  const clock = opts.clock ?? systemClock;
  const base = { configFile: opts.configFile, env: opts.env ?? process.env };
  // Node process figures only where someone can scrape them.
  const metrics = new SextantMetrics({ processMetrics: opts.metricsPort !== undefined });
  // Until the live settings are open, the level of the static layers (file, environment).
  const logger = opts.logDestination
    ? createLogger({
        level: String(resolveBaseLayers(base).get('log.level')?.value ?? 'info'),
        destination: opts.logDestination,
        onBytes: (n) => metrics.countLogBytes(n),
      })
    : pino({ level: 'silent' });
  const prefix = opts.redisPrefix ?? PROCESS_DEFAULTS.redisPrefix;
  const id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const concurrency = Math.max(1, Math.floor(opts.concurrency));
  const onRetry = (what: string) => (error: unknown, attempt: number, delayMs: number) =>
    logger.warn({ err: errorText(error), retry: attempt + 1, delayMs }, `${what} unreachable`);

  const connections: Redis[] = [];
  const connect = (name: string) => {
    const c = createRedisConnection({ url: opts.redisUrl, name, maxRetriesPerRequest: null });
    connections.push(c);
    return c;
  };
  let store: Store | null = null;
  let engine: EnginePool | null = null;
  let settings: LiveSettings | null = null;
  let consumer: JobConsumer | null = null;
  let stopHeartbeat = () => {};
  let stopBacklog = async () => {};
  let closeSnapshots = async () => {};
  let openedCache: RedisCache | null = null;
  let listener: MetricsListener | null = null;
  const shutdown = async () => {
    stopHeartbeat();
    await consumer?.close().catch(() => {});
    await stopBacklog();
    await closeSnapshots().catch(() => {});
    // A worker that stops on purpose leaves the registry (no staleness alert for it); a crashed
    // one stays listed with its last time, which is what the alert watches.
    if (openedCache) await forgetWorker(openedCache, id).catch(() => {});
    await engine?.close().catch(() => {});
    settings?.close();
    // Closes the settings bus's subscriber connection too (not among `connections`).
    await openedCache?.close().catch(() => {});
    await store?.close().catch(() => {});
    await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    await listener?.close().catch(() => {});
  };
  try {
    // One connection per running job plus headroom for heartbeats and settings.
    // Slow statements are logged by name (never parameters) over database.slow_query_ms, as in the API.
    store = instrumentStore(
      await openStoreWithBackoff({ databaseUrl: opts.databaseUrl, poolSize: concurrency + 2 }, { onRetry: onRetry('PostgreSQL') }),
      (statement, seconds) => {
        const slow = settings !== null && seconds * 1000 >= settings.get('database.slow_query_ms');
        metrics.observeQuery(statement, seconds, slow);
        // Name and duration only, never parameters.
        if (slow) logger.warn({ statement, ms: Math.round(seconds * 10_000) / 10 }, 'slow query');
      },
    );
    const commands = connect('sextant-worker');
    await waitForRedis(commands, { onRetry: onRetry('Redis') });
    const redisCache = new RedisCache({ redis: commands, prefix });
    openedCache = redisCache;
    const cache = instrumentCache(redisCache, (kind, hit) => metrics.countCacheRead(kind, hit));
    const bus = createCacheSettingsBus(cache);
    const live = await LiveSettings.open({
      store,
      clock,
      base,
      bus,
      warn: (message) => logger.warn(message),
    });
    settings = live;
    if (opts.logDestination) logger.level = live.get('log.level');
    // Live changes reach workers through the same bus as the API processes; say so in the log.
    live.onChange((changed, values) => {
      if (opts.logDestination && changed.includes('log.level')) logger.level = values['log.level'];
      metrics.settingsChanged(changed, live.activeProfile()?.name ?? null);
      logger.info({ changed: Object.fromEntries(changed.map((k) => [k, values[k]])) }, 'settings changed');
    });
    metrics.settingsChanged([], live.activeProfile()?.name ?? null);
    // The fleet's backlog, polled: refreshes search thoroughly only while no job waits.
    const queueView = new BullmqJobQueue({ connection: connect('sextant-worker-queue'), prefix: `${prefix}bull` });
    let backlog = 0;
    const pollBacklog = setInterval(() => {
      void queueView.waitingCount().then(
        (n) => (backlog = n),
        () => (backlog = 1),
      );
    }, 500);
    stopBacklog = async () => {
      clearInterval(pollBacklog);
      await queueView.close().catch(() => {});
    };
    engine = createEnginePool({
      threads: opts.engineThreads ?? concurrency,
      warmModelMb: live.get('engine.warm_model_mb'),
    });
    // Experiment records through a snapshot invalidated by the API processes' change broadcasts.
    const experiments = createExperimentSnapshotCache({ store, bus: cache, maxAgeMs: () => live.get('experiment.cache_ms'), clock });
    closeSnapshots = () => experiments.close();
    const handler = createRefreshHandler({
      store,
      experiments,
      cache,
      engine,
      clock,
      ...liveRefreshSettings(live),
      backlog: () => backlog,
      // The same series and line as an embedded API process's refreshes (api-services.ts).
      onRefresh: (experimentId, outcome) => {
        metrics.observeRefresh(outcome.strategy, outcome.ms / 1000, outcome.error !== undefined);
        if (outcome.error !== undefined) logger.error({ err: outcome.error, experimentId }, 'optimizer refresh failed');
      },
    });
    consumer = await startBullmqConsumer({
      connection: connect('sextant-worker-jobs'),
      prefix: `${prefix}bull`,
      handler,
      concurrency,
      ...(opts.lockDurationMs !== undefined ? { lockDurationMs: opts.lockDurationMs } : {}),
      onFailed: (experimentId, error) => logger.error({ err: error, experimentId }, 'optimizer refresh gave up after retries'),
    });
    // Last-seen time in the cache: API processes expose it per worker (SextantWorkerHeartbeatMissing).
    stopHeartbeat = startWorkerHeartbeat({
      cache,
      workerId: id,
      now: () => clock.now(),
      intervalMs: () => live.get('worker.heartbeat_interval_ms'),
      onError: (error) => logger.warn({ err: error }, 'heartbeat not recorded'),
    });
    if (opts.metricsPort !== undefined) {
      const checked = store;
      listener = await startMetricsListener({
        host: opts.metricsHost ?? PROCESS_DEFAULTS.workerMetricsHost,
        port: opts.metricsPort,
        metrics,
        readiness: { database: () => checked.ping(), cache: () => redisCache.ping() },
      });
    }
    logger.info(
      { worker: id, concurrency, engineThreads: opts.engineThreads ?? concurrency, metrics: listener?.url ?? null },
      'worker started',
    );
  } catch (error) {
    await shutdown();
    throw error;
  }
  let closing: Promise<void> | null = null;
  return { id, logger, metrics, metricsUrl: listener?.url ?? null, close: () => (closing ??= shutdown()) };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
