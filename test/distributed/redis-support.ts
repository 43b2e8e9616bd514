import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisConnection } from '../../src/cache/redis/connect-redis.ts';

/** The shared Redis of the test machine (never restarted by tests). */
export const testRedisUrl = process.env.SEXTANT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let probe: string | false | undefined;

/**
 * Synchronous reachability probe (suites decide `describe.skipIf` at collection time): false when
 * Redis answers, else the reason. With SEXTANT_REQUIRE_SERVICES=1 an unreachable Redis fails.
 */
export function redisUnavailable(): string | false {
  if (probe !== undefined) return probe;
  const script =
    "const {Redis}=require('ioredis');const r=new Redis(process.argv[1],{lazyConnect:true,connectTimeout:3000,maxRetriesPerRequest:0,retryStrategy:()=>null});" +
    'r.connect().then(()=>r.ping()).then(()=>r.quit()).then(()=>process.exit(0),e=>{console.error(e.message);process.exit(1)})';
  const r = spawnSync(process.execPath, ['-e', script, testRedisUrl], { encoding: 'utf8', timeout: 10_000 });
  probe = r.status === 0 ? false : `Redis at ${testRedisUrl} is unreachable (${(r.stderr || r.error?.message || 'timeout').trim()})`;
  if (probe) {
    if (process.env.SEXTANT_REQUIRE_SERVICES === '1') throw new Error(`${probe}; SEXTANT_REQUIRE_SERVICES=1 forbids skipping`);
    console.warn(
      `[sextant tests] skipping Redis suites: ${probe}. Start it with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`,
    );
  }
  return probe;
}

/** A key prefix no other test file uses (parallel files share the Redis). */
export function uniquePrefix(label: string): string {
  return `sextant-test-${label}-${randomBytes(5).toString('hex')}:`;
}

/** A connection to the test Redis. */
export function testRedis(maxRetriesPerRequest: number | null = 2): Redis {
  return createRedisConnection({ url: testRedisUrl, maxRetriesPerRequest });
}

/** Deletes every key under a prefix (SCAN, never KEYS on a shared server). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}
