import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SextantServer, startServer } from '../../src/runtime/api-process.ts';
import { createTestDatabaseUrl, testStores } from '../support/databases.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { spawnWorker, type WorkerProcess } from './fleet.ts';
import { deletePrefix, redisUnavailable, testRedis, testRedisUrl, uniquePrefix } from './redis-support.ts';

const skip = redisUnavailable() || testStores().find((b) => b.name === 'postgres')?.skip || false;
const TOKEN = 'worker-observability-token-0123456789';

/** Polls `read` every 100 ms until `check` holds or `ms` pass; the error shows the last value. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

/** Sum of every sample of a series (all label sets) in a Prometheus text exposition. */
function total(metricsText: string, series: string): number {
  return metricsText
    .split('\n')
    .filter((l) => l.startsWith(`${series} `) || l.startsWith(`${series}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * Issue 15: `sextant worker` logs JSON lines through pino and serves Prometheus metrics on
 * `--metrics-port`, with the refresh series an embedded API process records for its own refreshes.
 */
describe.skipIf(skip)('sextant worker: JSON logs and /metrics', () => {
  const prefix = uniquePrefix('worker-obs');
  let server: SextantServer | null = null;
  let worker: WorkerProcess | null = null;
  let drop = async () => {};

  beforeAll(async () => {
    const db = await createTestDatabaseUrl();
    drop = db.drop;
    server = await startServer({
      port: 0,
      databaseUrl: db.databaseUrl,
      redisUrl: testRedisUrl,
      redisPrefix: prefix,
      apiToken: TOKEN,
      logger: false,
      settings: { 'rate_limit.reads_per_second': 0, 'rate_limit.writes_per_second': 0 },
    });
    worker = await spawnWorker({
      databaseUrl: db.databaseUrl,
      redisUrl: testRedisUrl,
      redisPrefix: prefix,
      logLevel: 'info',
      metricsPort: 0,
    });
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    const admin = testRedis();
    await deletePrefix(admin, prefix);
    await admin.quit();
    await drop();
  }, 60_000);

  it('counts the refreshes it ran on its own /metrics, and every stderr line is a JSON log line', async () => {
    const w = worker as WorkerProcess;
    const metricsUrl = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(w.output())?.[1];
    expect(metricsUrl, w.output()).toBeDefined();
    const scrape = async () => {
      const res = await fetch(metricsUrl as string);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const before = await scrape();
    expect(total(before, 'sextant_engine_refresh_duration_seconds_count')).toBe(0);
    // Node process figures, as on an API process's /metrics.
    expect(before).toMatch(/^process_cpu_user_seconds_total /m);
    expect(before).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);

    // Observations past the initial design (2·d = 4 points) enqueue refresh jobs for the worker.
    const client = new SigoptClient((server as SextantServer).url, TOKEN);
    const exp = await client.request('POST', '/v1/experiments', {
      name: 'worker metrics',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: -2, max: 2 } },
        { name: 'y', type: 'double', bounds: { min: -2, max: 2 } },
      ],
      metrics: [{ name: 'f', objective: 'minimize' }],
      observation_budget: 20,
    });
    expect(exp.status, JSON.stringify(exp.body)).toBe(200);
    for (let i = 0; i < 7; i++) {
      const s = await client.request('POST', `/v1/experiments/${exp.body.id}/suggestions`, {});
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      const { x, y } = s.body.assignments as { x: number; y: number };
      const o = await client.request('POST', `/v1/experiments/${exp.body.id}/observations`, {
        suggestion: s.body.id,
        values: [{ name: 'f', value: x * x + y * y }],
      });
      expect(o.status, JSON.stringify(o.body)).toBe(200);
    }

    const after = await eventually(
      scrape,
      (m) => total(m, 'sextant_engine_refresh_duration_seconds_count') > 0,
      60_000,
      'a refresh on the worker',
    );
    expect(total(after, 'sextant_engine_refresh_duration_seconds_count{strategy="error",outcome="error"}')).toBe(0);
    // Its own statements and cache reads (the refresh loads observations and writes the pool).
    expect(total(after, 'sextant_db_query_duration_seconds_count')).toBeGreaterThan(0);
    expect((await fetch(metricsUrl!.replace(/\/metrics$/, '/ready'))).status).toBe(200);

    const lines = w
      .stderr()
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry, line).toMatchObject({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) });
    }
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toContain('worker started');
  }, 180_000);
});
