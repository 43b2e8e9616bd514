import type { Redis } from 'ioredis';
import { createCacheKeyedLock } from '../domain/bookkeeping/cache-keyed-lock.ts';
import { createCacheSettingsBus } from '../cache/cache-settings-bus.ts';
import type { Cache } from '../cache/cache.ts';
import { type CacheReadObserver, instrumentCache } from '../cache/instrumented-cache.ts';
import { createRedisConnection, waitForRedis } from '../cache/redis/connect-redis.ts';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { RedisCache } from '../cache/redis/redis-cache.ts';
import type { SettingsBus } from '../config/settings-bus.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { KeyedLock } from '../domain/ports/keyed-lock.ts';
import { BullmqJobQueue } from '../queue/bullmq/bullmq-job-queue.ts';
import type { Store } from '../store/store.ts';
import { PooledCandidateProvider } from '../worker/pooled-candidate-provider.ts';
import { readWorkerHeartbeats, type WorkerHeartbeat } from '../worker/worker-heartbeat.ts';

/** Where the shared services are. */
export interface DistributedOptions {
  readonly redisUrl: string;
  /** Key prefix (deployments or tests sharing a Redis); default `sextant:`. */
  readonly redisPrefix?: string;
  readonly store: Store;
  /** Bounded suggestion wait, read per request. */
  readonly waitMs: () => number;
  /** The process's clock (suggestion wait deadline, lock wait); default the system clock. */
  readonly clock?: Clock;
  onError?(error: unknown, context: string): void;
  /** Every cache read that could hit or miss (metrics: hit ratio). */
  onCacheRead?: CacheReadObserver;
  /** Startup retries (Redis unreachable), for a log line. */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
}

/** The adapters an API process uses in distributed mode. */
export interface DistributedRuntime {
  readonly cache: Cache;
  readonly lock: KeyedLock;
  readonly queue: BullmqJobQueue;
  readonly candidates: PooledCandidateProvider;
  readonly settingsBus: SettingsBus;
  /** Optimizer workers' last-seen times recorded in the cache (metrics). */
  workerHeartbeats(nowSeconds: number): Promise<WorkerHeartbeat[]>;
  close(): Promise<void>;
}

/**
 * Connects an API process to Redis (startup registration with full-jitter backoff) and builds the
 * distributed adapters: the Redis cache, the cross-process suggestion lock, the BullMQ refresh
 * queue (this process only enqueues; `sextant worker` runs the engine) and the pool provider.
 */
export async function openDistributedRuntime(opts: DistributedOptions): Promise<DistributedRuntime> {
  const prefix = opts.redisPrefix ?? PROCESS_DEFAULTS.redisPrefix;
  const connections: Redis[] = [];
  const connect = (name: string, autoPipelining = false) => {
    // Fail fast while Redis is unreachable: requests degrade (fallback points, local lock) instead of hanging.
    const c = createRedisConnection({ url: opts.redisUrl, name, offlineQueue: false, autoPipelining });
    connections.push(c);
    return c;
  };
  try {
    const commands = connect('sextant-api', true);
    await waitForRedis(commands, opts.onRetry ? { onRetry: opts.onRetry } : {});
    const redisCache = new RedisCache({ redis: commands, prefix });
    const cache = opts.onCacheRead ? instrumentCache(redisCache, opts.onCacheRead) : redisCache;
    const queue = new BullmqJobQueue({ connection: connect('sextant-api-queue'), prefix: bullmqPrefix(prefix) });
    await queue.ready();
    const candidates = new PooledCandidateProvider({
      store: opts.store,
      cache,
      queue,
      waitMs: opts.waitMs,
      ...(opts.clock ? { clock: opts.clock } : {}),
      onError: (error, experimentId) => opts.onError?.(error, `candidate pool of experiment ${experimentId}`),
    });
    const settingsBus = createCacheSettingsBus(cache);
    return {
      cache,
      lock: createCacheKeyedLock({
        cache,
        ...(opts.clock ? { clock: opts.clock } : {}),
        onCacheError: (error) => opts.onError?.(error, 'suggestion lock (running without cross-process exclusion)'),
      }),
      queue,
      candidates,
      settingsBus,
      // Scrapes read the registry around the instrumentation: they are not traffic.
      workerHeartbeats: (nowSeconds) => readWorkerHeartbeats(redisCache, nowSeconds),
      async close() {
        await candidates.close();
        await settingsBus.close();
        await queue.close().catch(() => {});
        await cache.close();
        await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      },
    };
  } catch (error) {
    for (const c of connections) c.disconnect();
    throw error;
  }
}

/** BullMQ keys live under the deployment prefix too (`<prefix>bull:refresh:…`). */
export function bullmqPrefix(prefix: string): string {
  return `${prefix}bull`;
}
