import { startOptimizerWorker } from '../../src/runtime/worker-process.ts';
import { deletePrefix, testRedis, testRedisUrl, uniquePrefix } from './redis-support.ts';

/**
 * Redis coordinates for one distributed-mode test server (the `distributed` HTTP backend of
 * test/support/server.ts) and the optimizer worker to start once the server migrated.
 */
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
