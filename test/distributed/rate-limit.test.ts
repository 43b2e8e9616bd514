import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCache } from '../../src/cache/memory/memory-cache.ts';
import { buildApp } from '../../src/server/app.ts';
import { ERROR_CATALOG } from '../../src/domain/error-catalog.ts';
import { registerRateLimit } from '../../src/server/rate-limit.ts';
import { type SextantServer, startServer } from '../../src/runtime/api-process.ts';
import { createTestDatabaseUrl, testStores } from '../support/databases.ts';
import { manualClock } from '../support/manual-clock.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { deletePrefix, redisUnavailable, testRedis, testRedisUrl, uniquePrefix } from './redis-support.ts';

const auth = (token: string) => ({ authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` });

describe('rate limiting, exact windows with an injected clock', () => {
  const clock = manualClock(5_000_250);
  let limits = { readsPerSecond: 3, writesPerSecond: 2 };
  const app = buildApp({
    routes: [],
    authenticate: async () => {
      throw new Error('not used');
    },
    bodyLimit: 1024,
    appUrl: 'https://app.sigopt.com',
    extend: (instance) =>
      registerRateLimit(instance, {
        cache: new MemoryCache({ clock }),
        limits: () => limits,
        appUrl: 'https://app.sigopt.com',
        clock,
      }),
  });
  afterAll(() => app.close());

  const get = (token = 'tok-a') => app.inject({ method: 'GET', url: '/v1/anything', headers: auth(token) });
  const post = (token = 'tok-a') => app.inject({ method: 'POST', url: '/v1/anything', headers: auth(token), payload: '{}' });

  it('allows the limit per window, then answers 429 with the SigOpt message and Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await get()).statusCode).toBe(404);
    const limited = await get();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ message: ERROR_CATALOG.RATE_LIMITED.message, status: 429 });
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.headers['content-type']).toMatch(/^application\/json/);
  });

  it('counts reads and writes separately, and tokens separately', async () => {
    expect((await post()).statusCode).toBe(404);
    expect((await post()).statusCode).toBe(404);
    expect((await post()).statusCode).toBe(429);
    expect((await get('tok-b')).statusCode).toBe(404);
    expect((await post('tok-b')).statusCode).toBe(404);
  });

  it('starts over in the next one-second window', async () => {
    clock.advance(1000);
    expect((await get()).statusCode).toBe(404);
    expect((await post()).statusCode).toBe(404);
  });

  it('leaves requests without a token to authentication, and 0 disables a limit', async () => {
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/v1/anything' })).statusCode).toBe(404);
    clock.advance(1000);
    limits = { readsPerSecond: 0, writesPerSecond: 2 };
    for (let i = 0; i < 10; i++) expect((await get()).statusCode).toBe(404);
  });
});

const skipFleet = redisUnavailable() || testStores().find((b) => b.name === 'postgres')?.skip || false;

describe.skipIf(skipFleet)('rate limiting across API processes through Redis', () => {
  const TOKEN = 'rate-limit-token-0123456789';
  const prefix = uniquePrefix('ratelimit');
  const servers: SextantServer[] = [];
  let drop = async () => {};

  beforeAll(async () => {
    const db = await createTestDatabaseUrl();
    drop = db.drop;
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer({
          port: 0,
          databaseUrl: db.databaseUrl,
          redisUrl: testRedisUrl,
          redisPrefix: prefix,
          apiToken: TOKEN,
          logger: false,
          settings: { 'rate_limit.reads_per_second': 1000, 'rate_limit.writes_per_second': 3 },
        }),
      );
    }
  }, 120_000);
  afterAll(async () => {
    for (const s of servers) await s.close();
    const admin = testRedis();
    await deletePrefix(admin, prefix);
    await admin.quit();
    await drop();
  });

  it('one budget for a token over all processes', async () => {
    const clients = servers.map((s) => new SigoptClient(s.url, TOKEN));
    // 7 writes spread over two processes: per-process windows would allow them all even within one
    // second (3 + 3 per window, two windows at most), a shared budget allows at most 3 per window.
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => clients[i % 2]!.request('POST', '/v1/experiments', {})));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(limited[0]?.body.message).toBe(ERROR_CATALOG.RATE_LIMITED.message);
    expect(limited[0]?.headers.get('retry-after')).toMatch(/^\d+$/);
    // Reads have their own, larger budget.
    expect((await clients[0]!.request('GET', '/v1/experiments')).status).toBe(200);
  });
});
