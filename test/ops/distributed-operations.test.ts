import { type ChildProcess, spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, spawnWorker, stopGracefully, type WorkerProcess } from '../distributed/fleet.ts';
import { deletePrefix, redisUnavailable, testRedis, testRedisUrl, uniquePrefix } from '../distributed/redis-support.ts';
import { createTestDatabaseUrl, testStores } from '../support/databases.ts';
import { runCli } from './run-cli.ts';

const skip = redisUnavailable() || testStores().find((b) => b.name === 'postgres')?.skip || false;

/** GET on a new connection each time, so node:cluster hands successive calls to different processes. */
function get(target: string, token?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = token ? { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` } : {};
  return new Promise((resolve, reject) => {
    const req = httpGet(target, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** Polls `check` every 50 ms until it holds or `ms` pass; the error names what was last seen. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${ms} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** The worker's stderr: one JSON object per line (pino). */
function logLines(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The value of one sample of the cluster-wide /metrics (null when the series is absent). */
function sample(metricsText: string, series: string): number | null {
  const line = metricsText.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

/**
 * Issue 6: "in distributed mode the change reaches every API process and worker within a second".
 * Two API processes (`serve --processes 2`) and one `sextant worker` on PostgreSQL + Redis; the
 * change is made with `sextant config` against one process. Observation points: /metrics is the
 * cluster merge of every API process's registry (counters and the profile gauge are summed per
 * process, so 2 means both processes applied it), and the worker logs each change it applies.
 */
describe.skipIf(skip)('distributed mode operations: live settings and worker heartbeats', () => {
  const prefix = uniquePrefix('live-config');
  const TOKEN = 'live-config-distributed-token-0123';
  let primary: ChildProcess | null = null;
  let worker: WorkerProcess | null = null;
  let crashed: WorkerProcess | null = null;
  let url = '';
  let databaseUrl = '';
  let drop = async () => {};
  afterAll(async () => {
    await worker?.stop();
    crashed?.kill();
    await stopGracefully(primary);
    const admin = testRedis();
    await deletePrefix(admin, prefix);
    await admin.quit();
    await drop();
  }, 60_000);

  it('config set and profile apply reach both API processes and the worker', async () => {
    const db = await createTestDatabaseUrl();
    drop = db.drop;
    databaseUrl = db.databaseUrl;
    let out = '';
    primary = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--processes', '2', '--port', '0', '--database-url', db.databaseUrl, '--redis-url', testRedisUrl, '--redis-prefix', prefix, '--log-level', 'silent'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SEXTANT_API_TOKEN: TOKEN } },
    );
    primary.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    primary.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(async () => out, (o) => o.includes('2 API processes listening'), 90_000, 'cluster start').catch((err: Error) => {
      throw new Error(`${err.message}\n${out}`);
    });
    url = /Sextant is listening on (http:\/\/\S+)/.exec(out)?.[1] as string;
    expect(url).toBeDefined();

    // At info level: the worker logs each applied change as a JSON line.
    worker = await spawnWorker({ databaseUrl: db.databaseUrl, redisUrl: testRedisUrl, redisPrefix: prefix, logLevel: 'info' });
    const workerId = /Sextant worker (\S+) is consuming/.exec(worker.output())?.[1] as string;
    expect(workerId).toBeDefined();
    const metrics = async () => (await get(`${url}/metrics`)).body;

    // The worker's heartbeat and the queue lag are on the API's /metrics (read from Redis).
    const beat = `sextant_worker_last_heartbeat_timestamp_seconds{worker="${workerId}"}`;
    const first = await eventually(metrics, (m) => sample(m, beat) !== null, 5000, 'worker heartbeat on /metrics');
    expect(Math.abs((sample(first, beat) as number) - Date.now() / 1000)).toBeLessThan(60);
    expect(sample(first, 'sextant_queue_oldest_job_age_seconds')).toBe(0);

    // A single setting, changed through one process.
    const changes = (m: string) => sample(m, 'sextant_settings_changes_total{key="suggestion.pool_size"}') ?? 0;
    expect(changes(await metrics())).toBe(0);
    const set = await runCli(['config', '--url', url, 'set', 'suggestion.pool_size', '17'], { SEXTANT_API_TOKEN: TOKEN });
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    // One count per API process: the one that made the change and the one the bus told.
    await eventually(metrics, (m) => changes(m) === 2, 5000, 'the change in both API processes');
    const workerChanges = async () =>
      logLines(worker?.stderr() ?? '')
        .filter((l) => l.msg === 'settings changed')
        .map((l) => l.changed as Record<string, unknown>);
    await eventually(workerChanges, (c) => c.some((x) => x['suggestion.pool_size'] === 17), 5000, 'the change in the worker');
    // Every process answers with the new value (new connections are spread over both).
    for (let i = 0; i < 6; i++) {
      const r = await get(`${url}/v1/admin/settings/suggestion.pool_size`, TOKEN);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toMatchObject({ value: 17, source: 'override' });
    }

    // A profile: each process's gauge is 1 for the profile it applies, so the merge counts processes.
    const profile = (m: string, name: string) => sample(m, `sextant_load_profile_active{profile="${name}"}`) ?? 0;
    expect(profile(await metrics(), 'none')).toBe(2);
    const apply = await runCli(['config', '--url', url, 'profile', 'apply', 'high-load'], { SEXTANT_API_TOKEN: TOKEN });
    expect(apply.code, apply.stderr).toBe(0);
    await eventually(metrics, (m) => profile(m, 'high-load') === 2 && profile(m, 'none') === 0, 5000, 'high-load in both API processes');
    await eventually(workerChanges, (c) => c.some((x) => x['suggestion.pool_size'] === 25), 5000, 'the profile in the worker');
  }, 240_000);

  it('a worker stopped with SIGTERM leaves /metrics; a killed one stays with its last heartbeat (the alert fires on it)', async () => {
    expect(url).not.toBe('');
    const metrics = async () => (await get(`${url}/metrics`)).body;
    const idOf = (w: WorkerProcess) => /Sextant worker (\S+) is consuming/.exec(w.output())?.[1] as string;
    const series = (id: string) => `sextant_worker_last_heartbeat_timestamp_seconds{worker="${id}"}`;
    crashed = await spawnWorker({ databaseUrl, redisUrl: testRedisUrl, redisPrefix: prefix });
    const stopped = worker as WorkerProcess;
    const [crashedId, stoppedId] = [idOf(crashed), idOf(stopped)];
    await eventually(metrics, (m) => sample(m, series(crashedId)) !== null && sample(m, series(stoppedId)) !== null, 5000, 'both workers');

    crashed.kill();
    await new Promise<void>((resolve) => (crashed?.child.exitCode !== null || crashed?.child.signalCode !== null ? resolve() : crashed?.child.once('exit', () => resolve())));
    const killedAt = Date.now() / 1000;
    await stopped.stop();
    worker = null;
    const after = await eventually(metrics, (m) => sample(m, series(stoppedId)) === null, 5000, 'the stopped worker leaving');
    const last = sample(after, series(crashedId));
    expect(last).not.toBeNull();
    expect(last as number).toBeLessThanOrEqual(Math.ceil(killedAt));
  }, 120_000);
});
