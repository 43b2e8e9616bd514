import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type SextantServer, startServer } from '../../src/runtime/api-process.ts';
import { createTestDatabaseUrl, testStores } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { type RedisProcess, spawnRedis, spawnWorker, type WorkerProcess } from './fleet.ts';
import { redisServerUnavailable } from './private-redis.ts';

const skip = redisServerUnavailable() || testStores().find((b) => b.name === 'postgres')?.skip || false;

/**
 * Redis crashes (data lost) in the middle of a run and comes back on the same port: the API keeps
 * answering meanwhile (fallback points, no cross-process lock), and model suggestions resume after.
 * Uses a private redis-server, never the shared one.
 */
describe.skipIf(skip)('Redis restarted mid-run', () => {
  let redis: RedisProcess | null = null;
  let server: SextantServer | null = null;
  let worker: WorkerProcess | null = null;
  let drop = async () => {};
  let db: pg.Pool | null = null;
  afterAll(async () => {
    worker?.kill();
    await server?.close();
    await redis?.kill();
    await db?.end();
    await drop();
  }, 60_000);

  it('the API keeps answering while Redis is down, and suggestions resume after', async () => {
    const port = await freePort();
    redis = await spawnRedis(port);
    const database = await createTestDatabaseUrl();
    drop = database.drop;
    db = new pg.Pool({ connectionString: database.databaseUrl, max: 1 });
    const TOKEN = 'redis-restart-token-0123456789';
    server = await startServer({
      port: 0,
      databaseUrl: database.databaseUrl,
      redisUrl: redis.url,
      apiToken: TOKEN,
      settings: { 'suggestion.wait_ms': 3000 },
      logger: false,
    });
    worker = await spawnWorker({ databaseUrl: database.databaseUrl, redisUrl: redis.url, redisPrefix: 'sextant:', jobLockMs: 2000 });
    const api = new SigoptClient(server.url, TOKEN);
    const created = await api.request('POST', '/v1/experiments', {
      name: 'redis restart',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
      metrics: [{ name: 'f' }],
      observation_budget: 30,
    });
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    const step = async () => {
      const s = await api.request('POST', `/v1/experiments/${id}/suggestions`, {});
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      const o = await api.request('POST', `/v1/experiments/${id}/observations`, {
        suggestion: s.body.id,
        values: [{ name: 'f', value: -((s.body.assignments.x - 0.3) ** 2) }],
      });
      expect(o.status, JSON.stringify(o.body)).toBe(200);
    };
    const modelCount = async () =>
      Number(
        (await db!.query(`SELECT count(*) AS n FROM suggestions WHERE experiment_id = $1 AND source IN ('fresh', 'stale')`, [id])).rows[0]
          .n,
      );

    // Until the worker's first model candidates arrive (bounded: a loaded CI machine fits slowly).
    let steps = 0;
    while (steps < 8 || ((await modelCount()) === 0 && steps < 40)) {
      await step();
      steps++;
    }
    expect(await modelCount(), worker.output()).toBeGreaterThan(0);

    await redis.kill();
    for (let i = 0; i < 4; i++) await step();
    const exp = await api.request('GET', `/v1/experiments/${id}`);
    expect(exp.status).toBe(200);
    expect(exp.body.progress.observation_count).toBe(steps + 4);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);

    redis = await spawnRedis(port);
    // Reconnects are jittered backoff: the process reports ready again by itself (bounded poll).
    let readyAgain = false;
    for (let i = 0; i < 120 && !readyAgain; i++) {
      readyAgain = (await fetch(`${server.url}/ready`)).status === 200;
      if (!readyAgain) await new Promise((r) => setTimeout(r, 250));
    }
    expect(readyAgain).toBe(true);
    const before = await modelCount();
    for (let i = 0; i < 10 && (await modelCount()) === before; i++) await step();
    expect(await modelCount(), worker.output()).toBeGreaterThan(before);
  }, 240_000);
});
