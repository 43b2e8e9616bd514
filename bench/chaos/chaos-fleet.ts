import { get as httpGet } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type ApiClusterProcess, spawnApiCluster } from '../../test/distributed/api-cluster-process.ts';
import { type RedisProcess, spawnRedis, spawnWorker, type WorkerProcess } from '../../test/distributed/fleet.ts';
import { freePort } from '../../test/support/free-port.ts';
import { type PrivatePostgres, startPrivatePostgres } from '../../test/support/private-postgres.ts';
import type { ChaosLedger, FaultWindow } from './chaos-ledger.ts';

/** Shape of the deployment under test. */
export interface ChaosFleetOptions {
  /** `serve --processes`. */
  readonly apiProcesses: number;
  /** `sextant worker` processes. */
  readonly workers: number;
  readonly suggestionWaitMs: number;
  /** Worker job lease: a killed worker's job is retried elsewhere after it expires. */
  readonly jobLockMs: number;
  log(line: string): void;
}

/**
 * A whole distributed deployment on private services: a throwaway PostgreSQL cluster and
 * redis-server (never the machine's shared ones, which other suites use), `sextant serve
 * --processes N` and M `sextant worker` processes — plus the faults the campaign injects into it.
 * Every fault records its window in the ledger, from injection until the part is back.
 */
export class ChaosFleet {
  private constructor(
    readonly postgres: PrivatePostgres,
    private redis: RedisProcess | null,
    private readonly redisPort: number,
    readonly api: ApiClusterProcess,
    readonly workers: WorkerProcess[],
    readonly token: string,
    private readonly opts: ChaosFleetOptions,
  ) {}

  /** Starts everything; on failure stops what was started and rethrows. */
  static async start(opts: ChaosFleetOptions): Promise<ChaosFleet> {
    const token = `chaos-${Math.random().toString(36).slice(2)}-token`;
    let postgres: PrivatePostgres | null = null;
    let redis: RedisProcess | null = null;
    let api: ApiClusterProcess | null = null;
    const workers: WorkerProcess[] = [];
    try {
      postgres = await startPrivatePostgres();
      opts.log(`private PostgreSQL on :${postgres.port}`);
      const redisPort = await freePort();
      redis = await spawnRedis(redisPort);
      opts.log(`private Redis on :${redisPort}`);
      // The API migrates the schema first; workers join after (they wait for it with backoff anyway).
      api = await spawnApiCluster({
        processes: opts.apiProcesses,
        port: await freePort(),
        databaseUrl: postgres.url,
        redisUrl: redis.url,
        redisPrefix: 'chaos:',
        token,
        suggestionWaitMs: opts.suggestionWaitMs,
        readyWithinMs: 180_000,
      });
      opts.log(`serve --processes ${opts.apiProcesses} listening on ${api.url} (API pids ${api.apiPids().join(', ')})`);
      const started = await Promise.allSettled(Array.from({ length: opts.workers }, () => spawnChaosWorker(postgres!, redis!, opts)));
      for (const s of started) if (s.status === 'fulfilled') workers.push(s.value);
      const failed = started.find((s) => s.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      opts.log(`${workers.length} sextant worker processes consuming jobs`);
      return new ChaosFleet(postgres, redis, redisPort, api, workers, token, opts);
    } catch (err) {
      for (const w of workers) w.kill();
      await api?.stop(5000);
      await redis?.kill();
      await postgres?.destroy();
      throw err;
    }
  }

  get url(): string {
    return this.api.url;
  }

  /** kill -9 one API process (never the primary); the window closes when the primary has replaced it. */
  async killApiProcess(ledger: ChaosLedger): Promise<FaultWindow> {
    const pids = this.api.apiPids();
    const victim = pids[0];
    if (victim === undefined) throw new Error(`no API process to kill:\n${this.api.output().slice(-2000)}`);
    const from = this.api.output().length;
    const fault = ledger.openFault('api-process-kill', `kill -9 API process ${victim} (of ${pids.join(', ')})`);
    process.kill(victim, 'SIGKILL');
    await this.api.waitForOutput(new RegExp(`API process ${victim} died \\(SIGKILL\\)`), from, 30_000);
    await waitUntil(
      () => {
        const now = this.api.apiPids();
        const replaced = now.length >= this.opts.apiProcesses && !now.includes(victim);
        if (replaced) fault.restartedMs = ledger.elapsed();
        return replaced;
      },
      90_000,
      'API process replacement',
    );
    // Forked is not listening yet: the replacement's listening line is not printed, so probe /health.
    await waitUntil(async () => (await fetch(`${this.url}/health`).catch(() => null))?.status === 200, 90_000, 'health');
    fault.endMs = ledger.elapsed();
    return fault;
  }

  /** kill -9 one `sextant worker`, then start a replacement (what a supervisor does). */
  async killWorker(ledger: ChaosLedger): Promise<FaultWindow> {
    const victim = this.workers.shift();
    if (!victim) throw new Error('no worker to kill');
    const fault = ledger.openFault('worker-kill', `kill -9 sextant worker ${victim.child.pid}, start a replacement`);
    victim.kill();
    fault.restartedMs = ledger.elapsed();
    this.workers.push(await spawnChaosWorker(this.postgres, this.redis!, this.opts));
    fault.endMs = ledger.elapsed();
    return fault;
  }

  /** redis-server killed (no persistence: every key is lost) and started again on the same port after `downMs`. */
  async restartRedis(ledger: ChaosLedger, downMs: number): Promise<FaultWindow> {
    const fault = ledger.openFault('redis-restart', `redis-server SIGKILL (data lost), ${downMs} ms down, started again`);
    await this.redis?.kill();
    this.redis = null;
    await sleep(downMs);
    this.redis = await spawnRedis(this.redisPort);
    fault.restartedMs = ledger.elapsed();
    await this.waitReady();
    fault.endMs = ledger.elapsed();
    return fault;
  }

  /** PostgreSQL stopped with `-m immediate` (a crash), started again after `downMs`; `whileDown` runs meanwhile. */
  async restartPostgres(ledger: ChaosLedger, downMs: number, whileDown?: () => Promise<void>): Promise<FaultWindow> {
    const fault = ledger.openFault('postgres-restart', `pg_ctl stop -m immediate, ${downMs} ms down, pg_ctl start`);
    await this.postgres.crash();
    await Promise.all([sleep(downMs), whileDown?.()]);
    await this.postgres.start();
    fault.restartedMs = ledger.elapsed();
    await this.waitReady();
    fault.endMs = ledger.elapsed();
    return fault;
  }

  /**
   * Until /ready answers 200 on fresh connections several times in a row (they land on either API
   * process): the service has reconnected by itself. Bounded; throws after 90 s.
   */
  async waitReady(): Promise<void> {
    await waitUntil(
      async () =>
        (await Promise.all(Array.from({ length: 2 * this.opts.apiProcesses }, () => readyOnNewConnection(this.url)))).every(
          (r) => r.status === 200,
        ),
      90_000,
      'ready again',
    );
  }

  /** The API cluster's output and every current worker's, for a failure report. */
  diagnostics(): string {
    const workers = this.workers.map((w) => `--- worker ${w.child.pid}\n${w.output().slice(-20_000)}`);
    return [`--- serve (primary ${this.api.primaryPid})`, this.api.output().slice(-200_000), ...workers].join('\n');
  }

  /** Stops every process and deletes the private services' data. Never throws. */
  async stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private stopping: Promise<void> | null = null;

  private async stopAll(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.stop()));
    if (!(await this.postgres.running().catch(() => true))) await this.postgres.start().catch(() => {});
    await this.api.stop().catch(() => {});
    await this.redis?.kill().catch(() => {});
    await this.postgres.destroy().catch(() => {});
  }
}

function spawnChaosWorker(postgres: PrivatePostgres, redis: RedisProcess, opts: ChaosFleetOptions): Promise<WorkerProcess> {
  return spawnWorker({
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    redisPrefix: 'chaos:',
    jobLockMs: opts.jobLockMs,
    readyWithinMs: 180_000,
  });
}

/** GET /ready on its own connection (no keep-alive), so successive calls can reach different processes. */
export function readyOnNewConnection(url: string): Promise<{ status: number; ms: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpGet(`${url}/ready`, { agent: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Math.round(performance.now() - started), body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: Math.round(performance.now() - started), body: '' }));
  });
}

/** Polls `check` every 200 ms until true, or throws after `withinMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${withinMs} ms`);
    await sleep(200);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
