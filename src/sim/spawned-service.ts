import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { deploymentSizing } from '../config/deployment-sizing.ts';

/** What `--spawn` starts. */
export interface SpawnOptions {
  readonly mode: 'embedded' | 'distributed';
  /** Distributed: PostgreSQL URL (with freshDatabase: the server a new database is created on). */
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  /** Distributed: create a new database for this run (dropped at stop unless keep). */
  readonly freshDatabase?: boolean;
  /** Distributed: API processes (`serve --processes`; unset: serve's default for this machine). */
  readonly processes?: number;
  /** Distributed: `sextant worker` processes (default 1) and their `--concurrency` (unset: the worker's default). */
  readonly workers?: number;
  readonly workerConcurrency?: number;
  /**
   * Distributed: resolve only when every API process listens (`serve --processes`: the primary's
   * "N API processes listening" line) and every worker consumes jobs (its ready line), not as soon
   * as the first API process listens. Workers and further API processes take seconds to start;
   * without this the first seconds of a run measure a partial fleet (fallback points only, one API
   * process). Default false (earlier behaviour).
   */
  readonly waitUntilReady?: boolean;
  /** Engine threads (embedded server, or each worker; unset: the command's default). */
  readonly engineThreads?: number;
  /** Extra `serve` arguments (e.g. `--config file.json`). */
  readonly serverArgs?: readonly string[];
  /**
   * Environment of every spawned process, over the defaults. The defaults switch the per-token rate
   * limits off (SEXTANT_RATE_LIMIT_*_PER_SECOND=0): a simulation sends one tenant's token for what
   * would be many tenants, so the limit would measure itself, not the service. Set them here to
   * measure with limits.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra node arguments of the API process (e.g. `--cpu-prof --cpu-prof-dir=prof`). */
  readonly nodeArgs?: readonly string[];
  /** API token to install at first start (distributed: required by the run; generated when absent). */
  readonly token?: string;
  /** Keep the embedded data directory / fresh database after stop. */
  readonly keep?: boolean;
  /**
   * Distributed: at stop, delete the Redis keys under this run's unique prefix (pools, counters,
   * job queue). Default false (earlier behaviour: the keys stay). Ignored with `keep`.
   */
  readonly cleanRedis?: boolean;
  /** Server start time limit (ms). Default 180 s: PGlite's first start is slow on a loaded machine. */
  readonly startTimeoutMs?: number;
  /** Lines the children print (stderr and unparsed stdout), for diagnostics. */
  log?(line: string): void;
}

/** A started service. */
export interface SpawnedService {
  readonly url: string;
  readonly token: string;
  readonly mode: 'embedded' | 'distributed';
  readonly details: Readonly<Record<string, unknown>>;
  /** Exact suggestion counts by source for these experiments (distributed: from PostgreSQL). */
  readonly sourceMix?: (experimentIds: readonly string[]) => Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** See {@link SpawnOptions.env}. */
export const SPAWN_DEFAULT_ENV = Object.freeze({ SEXTANT_RATE_LIMIT_READS_PER_SECOND: '0', SEXTANT_RATE_LIMIT_WRITES_PER_SECOND: '0' });

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/sextant.js');

/**
 * Starts a local Sextant for a simulation: one embedded `sextant serve` on a free port with a
 * temporary data directory, or a distributed fleet (`serve --database-url --redis-url` plus
 * `sextant worker` processes) sharing a Redis key prefix unique to this run. The service runs in
 * child processes so the load generator's CPU use is not mixed into the server's event loop.
 */
export async function spawnService(opts: SpawnOptions): Promise<SpawnedService> {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const log = opts.log ?? (() => {});
  const stop = async () => {
    await Promise.all(children.map((c) => stopChild(c)));
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };
  try {
    if (opts.mode === 'embedded') {
      const dataDir = await mkdtemp(join(tmpdir(), 'sextant-sim-'));
      if (!opts.keep) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const args = ['serve', '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'];
      if (opts.engineThreads !== undefined) args.push('--engine-threads', String(opts.engineThreads));
      const env: Record<string, string> = { ...SPAWN_DEFAULT_ENV, ...opts.env, ...(opts.token ? { SEXTANT_API_TOKEN: opts.token } : {}) };
      const { child, url, token } = await startServe(args, env, opts, log);
      children.push(child);
      return {
        url,
        token: token ?? opts.token ?? '',
        mode: 'embedded',
        details: { dataDir, pid: child.pid, kept: Boolean(opts.keep) },
        stop,
      };
    }
    if (!opts.databaseUrl || !opts.redisUrl) throw new Error('--spawn distributed needs --database-url and --redis-url');
    let databaseUrl = opts.databaseUrl;
    if (opts.freshDatabase) {
      const name = `sextant_sim_${Date.now()}_${randomBytes(3).toString('hex')}`;
      await adminQuery(opts.databaseUrl, `CREATE DATABASE ${name}`);
      const u = new URL(opts.databaseUrl);
      u.pathname = `/${name}`;
      databaseUrl = u.toString();
      if (!opts.keep) cleanups.push(() => adminQuery(opts.databaseUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    const token = opts.token ?? randomBytes(16).toString('hex');
    const prefix = `sextant-sim-${randomBytes(4).toString('hex')}:`;
    const env = { ...SPAWN_DEFAULT_ENV, ...opts.env, SEXTANT_API_TOKEN: token, SEXTANT_REDIS_PREFIX: prefix };
    if (opts.cleanRedis && !opts.keep) cleanups.push(() => deleteRedisPrefix(opts.redisUrl!, prefix));
    const args = ['serve', '--port', '0', '--log-level', 'warn', '--database-url', databaseUrl, '--redis-url', opts.redisUrl];
    if (opts.processes !== undefined) args.push('--processes', String(opts.processes));
    const sizing = deploymentSizing();
    const wholeCluster = Boolean(opts.waitUntilReady) && (opts.processes ?? sizing.apiProcesses) > 1;
    const server = await startServe(args, env, opts, log, wholeCluster);
    children.push(server.child);
    const workersReady: Promise<void>[] = [];
    for (let i = 0; i < (opts.workers ?? 1); i++) {
      const wargs = [
        'worker',
        '--database-url',
        databaseUrl,
        '--redis-url',
        opts.redisUrl,
        '--redis-prefix',
        prefix,
      ];
      if (opts.workerConcurrency !== undefined) wargs.push('--concurrency', String(opts.workerConcurrency));
      if (opts.engineThreads !== undefined) wargs.push('--engine-threads', String(opts.engineThreads));
      const w = spawn(process.execPath, [BIN, ...wargs], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(w);
      workersReady.push(
        new Promise<void>((resolveReady, rejectReady) => {
          pipeLines(w, (l) => {
            if (/is consuming refresh jobs/.test(l)) resolveReady();
            log(`worker ${i + 1}: ${l}`);
          });
          w.once('exit', (code, signal) => rejectReady(new Error(`sextant worker ${i + 1} exited before it was ready (code ${code}, signal ${signal})`)));
        }),
      );
    }
    if (opts.waitUntilReady) await withTimeout(Promise.all(workersReady), opts.startTimeoutMs ?? 180_000, 'sextant worker did not start');
    // Not awaited otherwise: a worker that dies later is the run's business (its log lines show why).
    else for (const ready of workersReady) ready.catch(() => {});
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    // Idle connections die when the fresh database is dropped; that is expected, not a crash.
    pool.on('error', () => {});
    // Cleanups run in reverse: the pool closes before its database is dropped.
    cleanups.push(() => pool.end());
    return {
      url: server.url,
      token: server.token ?? token,
      mode: 'distributed',
      details: {
        processes: opts.processes ?? sizing.apiProcesses,
        workers: opts.workers ?? 1,
        workerConcurrency: opts.workerConcurrency ?? sizing.workerConcurrency,
        workerEngineThreads: opts.engineThreads ?? opts.workerConcurrency ?? sizing.workerConcurrency,
        serverPid: server.child.pid,
        workerPids: children.slice(1).map((c) => c.pid),
        redisPrefix: prefix,
        database: new URL(databaseUrl).pathname.slice(1),
      },
      sourceMix: async (ids) => {
        const r = await pool.query<{ source: string; n: string }>(
          'SELECT source, count(*) AS n FROM suggestions WHERE experiment_id = ANY($1::bigint[]) GROUP BY source',
          [ids],
        );
        return Object.fromEntries(r.rows.map((row) => [row.source, Number(row.n)]));
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts `sextant serve` and waits for its "listening on" line (and a printed token, if any), and
 * with `wholeCluster` also for the cluster primary's "N API processes listening" line.
 */
async function startServe(
  args: string[],
  env: Record<string, string>,
  opts: SpawnOptions,
  log: (line: string) => void,
  wholeCluster = false,
): Promise<{ child: ChildProcess; url: string; token: string | null }> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args, ...(opts.serverArgs ?? [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let url: string | null = null;
  let token: string | null = null;
  let clusterUp = !wholeCluster;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`sextant serve did not start within ${opts.startTimeoutMs ?? 180_000} ms`));
    }, opts.startTimeoutMs ?? 180_000);
    const check = () => {
      // The token line follows the URL line on first start; give it a moment, it comes in the same write.
      if (url && clusterUp && (token || env.SEXTANT_API_TOKEN)) {
        clearTimeout(timer);
        resolvePromise({ child, url, token });
      }
    };
    pipeLines(child, (line, stream) => {
      const listening = /listening on (http:\/\/\S+)/.exec(line);
      const tok = /SIGOPT_API_TOKEN=(\S+)/.exec(line);
      if (/^\d+ API processes listening/.test(line)) clusterUp = true;
      if (listening) url = listening[1]!;
      else if (tok) token = tok[1]!;
      else if (stream === 'stderr' || !/SIGOPT_API_URL|First start|development token/.test(line)) log(`server: ${line}`);
      check();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sextant serve exited before it was ready (code ${code}, signal ${signal})`));
    });
  });
}

function pipeLines(child: ChildProcess, onLine: (line: string, stream: 'stdout' | 'stderr') => void): void {
  for (const stream of ['stdout', 'stderr'] as const) {
    let buffered = '';
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, nl), stream);
        buffered = buffered.slice(nl + 1);
      }
    });
  }
}

/** SIGTERM (graceful: in-flight requests finish, the database closes), SIGKILL after 20 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolvePromise();
    });
    child.kill('SIGTERM');
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Deletes the keys under `prefix` (SCAN + UNLINK, 1000 at a time; bounded at 10^4 rounds). */
export async function deleteRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    for (let round = 0; round < 10_000; round++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

async function adminQuery(databaseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
