import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SextantServer, startServer } from '../../src/runtime/api-process.ts';
import { createTestDatabaseUrl, testStores } from '../support/databases.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { spawnWorker, type WorkerProcess } from './fleet.ts';
import { deletePrefix, redisUnavailable, testRedis, testRedisUrl, uniquePrefix } from './redis-support.ts';

const skip = redisUnavailable() || testStores().find((b) => b.name === 'postgres')?.skip || false;
const TOKEN = 'distributed-test-token-0123456789';

/**
 * Distributed mode end to end: two API servers (separate Redis connections, locks and pools — as
 * separate processes would have) share one PostgreSQL database and one Redis prefix; the engine
 * runs only in `sextant worker` child processes.
 */
describe.skipIf(skip)('distributed mode: API servers + sextant worker processes', () => {
  let databaseUrl = '';
  let drop = async () => {};
  const prefix = uniquePrefix('fleet');
  const servers: SextantServer[] = [];
  const workers: WorkerProcess[] = [];
  let clients: SigoptClient[] = [];
  let db: pg.Pool;

  beforeAll(async () => {
    ({ databaseUrl, drop } = await createTestDatabaseUrl());
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer({
          port: 0,
          databaseUrl,
          redisUrl: testRedisUrl,
          redisPrefix: prefix,
          apiToken: TOKEN,
          logger: false,
          settings: { 'rate_limit.reads_per_second': 0, 'rate_limit.writes_per_second': 0, 'suggestion.wait_ms': 4000 },
        }),
      );
    }
    clients = servers.map((s) => new SigoptClient(s.url, TOKEN));
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.kill();
    for (const s of servers) await s.close();
    await db?.end();
    const admin = testRedis();
    await deletePrefix(admin, prefix);
    await admin.quit();
    await drop();
  }, 60_000);

  async function createExperiment(name: string, bandwidth: number, budget: number): Promise<string> {
    const res = await clients[0]!.request('POST', '/v1/experiments', {
      name,
      parameters: [
        { name: 'x', type: 'double', bounds: { min: -2, max: 2 } },
        { name: 'y', type: 'double', bounds: { min: -2, max: 2 } },
      ],
      metrics: [{ name: 'f', objective: 'minimize' }],
      observation_budget: budget,
      parallel_bandwidth: bandwidth,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id as string;
  }

  /** One client's loop: suggest (alternating API servers), evaluate, observe; returns acknowledged ids. */
  async function clientLoop(experimentId: string, steps: number, offset: number, served: string[]): Promise<string[]> {
    const acknowledged: string[] = [];
    for (let i = 0; i < steps; i++) {
      const api = clients[(i + offset) % clients.length]!;
      const s = await api.request('POST', `/v1/experiments/${experimentId}/suggestions`, {});
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      served.push(JSON.stringify(s.body.assignments));
      const { x, y } = s.body.assignments as { x: number; y: number };
      const other = clients[(i + offset + 1) % clients.length]!;
      const o = await other.request('POST', `/v1/experiments/${experimentId}/observations`, {
        suggestion: s.body.id,
        values: [{ name: 'f', value: (x - 0.5) ** 2 + (y + 0.25) ** 2 }],
      });
      expect(o.status, JSON.stringify(o.body)).toBe(200);
      acknowledged.push(o.body.id as string);
    }
    return acknowledged;
  }

  async function sources(experimentId: string): Promise<Record<string, number>> {
    const r = await db.query<{ source: string; n: string }>(
      'SELECT source, count(*) AS n FROM suggestions WHERE experiment_id = $1 GROUP BY source',
      [experimentId],
    );
    return Object.fromEntries(r.rows.map((row) => [row.source, Number(row.n)]));
  }

  async function storedObservationIds(experimentId: string): Promise<Set<string>> {
    const r = await db.query<{ id: string }>('SELECT id FROM observations WHERE experiment_id = $1', [experimentId]);
    return new Set(r.rows.map((row) => row.id));
  }

  it('parallel clients run experiments to completion: every acknowledged observation stored, no suggestion served twice', async () => {
    workers.push(await spawnWorker({ databaseUrl, redisUrl: testRedisUrl, redisPrefix: prefix, concurrency: 2 }));
    const experiments = await Promise.all([createExperiment('fleet a', 3, 24), createExperiment('fleet b', 3, 24)]);
    for (const id of experiments) {
      const served: string[] = [];
      // Three clients per experiment, all at once, spread over both API servers.
      const acked = (await Promise.all([0, 1, 2].map((c) => clientLoop(id, 8, c, served)))).flat();
      expect(new Set(served).size, 'a suggestion was served twice').toBe(served.length);
      const stored = await storedObservationIds(id);
      for (const ack of acked) expect(stored.has(ack), `acknowledged observation ${ack} missing`).toBe(true);
      expect(stored.size).toBe(24);
      const bySource = await sources(id);
      // After the initial design the worker fleet's model candidates are served.
      expect(modelServed(bySource), JSON.stringify(bySource)).toBeGreaterThan(0);
      const exp = await clients[1]!.request('GET', `/v1/experiments/${id}`);
      expect(exp.body.progress.observation_count).toBe(24);
    }
    // The model state the worker saved is in PostgreSQL.
    const saved = await db.query('SELECT count(*)::int AS n FROM optimizer_state WHERE experiment_id = ANY($1::bigint[])', [experiments]);
    expect(saved.rows[0].n).toBeGreaterThan(0);
  }, 300_000);

  it('a worker killed with SIGKILL mid-run: the run completes and model suggestions resume with a new worker', async () => {
    for (const w of workers.splice(0)) await w.stop();
    const first = await spawnWorker({ databaseUrl, redisUrl: testRedisUrl, redisPrefix: prefix, concurrency: 1, jobLockMs: 2000 });
    workers.push(first);
    const id = await createExperiment('crash', 1, 24);
    const served: string[] = [];
    const acked = await clientLoop(id, 10, 0, served);
    const beforeKill = modelServed(await sources(id));
    expect(beforeKill).toBeGreaterThan(0);
    // Kill while refresh jobs are being produced by the observations below.
    const more = clientLoop(id, 6, 1, served);
    await new Promise((r) => setTimeout(r, 300));
    first.kill();
    acked.push(...(await more));
    const second = await spawnWorker({ databaseUrl, redisUrl: testRedisUrl, redisPrefix: prefix, concurrency: 1, jobLockMs: 2000 });
    workers.push(second);
    const modelBefore = modelServed(await sources(id));
    acked.push(...(await clientLoop(id, 8, 0, served)));
    expect(new Set(served).size).toBe(served.length);
    const stored = await storedObservationIds(id);
    for (const ack of acked) expect(stored.has(ack)).toBe(true);
    expect(stored.size).toBe(24);
    const after = await sources(id);
    expect(modelServed(after), `${JSON.stringify(after)}\n${second.output()}`).toBeGreaterThan(modelBefore);
  }, 300_000);
});

/** Suggestions the model answered: fresh ones and stale spares. */
function modelServed(bySource: Record<string, number>): number {
  return (bySource.fresh ?? 0) + (bySource.stale ?? 0);
}
