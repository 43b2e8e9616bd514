import { startOptimizerWorker } from '../../src/worker/optimizer-worker.ts';
import { deletePrefix, redisUnavailable, testRedis, testRedisUrl, uniquePrefix } from './redis-support.ts';

/**
 * `SEXTANT_TEST_DISTRIBUTED=1`: HTTP suites run their PostgreSQL servers in distributed mode
 * (Redis cache, lock and queue under a private prefix, plus an in-process optimizer worker), so
 * the whole conformance suite checks that distributed mode keeps the embedded semantics.
 */
export function distributedTestMode(): boolean {
  return process.env.SEXTANT_TEST_DISTRIBUTED === '1' && redisUnavailable() === false;
}

/** Redis coordinates for one test server, and the worker to start once the server migrated. */
export interface DistributedSidecar {
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** Starts the optimizer worker (after the server created the schema). */
  startWorker(databaseUrl: string): Promise<void>;
  close(): Promise<void>;
}

export function distributedSidecar(): DistributedSidecar {
  const redisPrefix = uniquePrefix('http');
  let close = async () => {};
  return {
    redisUrl: testRedisUrl,
    redisPrefix,
    async startWorker(databaseUrl) {
      const worker = await startOptimizerWorker({ databaseUrl, redisUrl: testRedisUrl, redisPrefix, concurrency: 1, env: {} });
      close = () => worker.close();
    },
    async close() {
      await close();
      const admin = testRedis();
      await deletePrefix(admin, redisPrefix);
      await admin.quit();
    },
  };
}
