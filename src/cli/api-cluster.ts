import cluster, { type Worker } from 'node:cluster';
import { backoffDelay, DEFAULT_BACKOFF } from '../common/backoff.ts';

/** Options of {@link runApiCluster}. */
export interface ApiClusterOptions {
  /** API processes to keep running. */
  readonly processes: number;
  log(line: string): void;
  /** Grace for a process to finish in-flight requests on SIGTERM before it is killed. */
  readonly stopTimeoutMs?: number;
}

/**
 * The primary of `sextant serve --processes N` (node:cluster): forks N stateless API processes
 * sharing the listening port. The first process starts alone (it migrates and bootstraps the first
 * organization), the others after it listens. A process that dies is replaced after a full-jitter
 * backoff delay (a crash loop does not spin). SIGHUP rolls the processes one at a time: a
 * replacement is forked and listening before the old one gets SIGTERM and finishes its in-flight
 * requests, so no request fails. SIGTERM/SIGINT stop everything gracefully.
 */
export async function runApiCluster(opts: ApiClusterOptions): Promise<void> {
  const stopTimeoutMs = opts.stopTimeoutMs ?? 30_000;
  const retiring = new Set<Worker>();
  let stopping = false;
  let crashes = 0;

  const fork = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const w = cluster.fork();
      const onExit = (code: number | null) => reject(new Error(`API process exited (${code}) before listening`));
      w.once('exit', onExit);
      w.once('listening', () => {
        w.off('exit', onExit);
        resolve(w);
      });
    });

  const stopWorker = (w: Worker): Promise<void> =>
    new Promise((resolve) => {
      if (w.isDead()) return resolve();
      retiring.add(w);
      const timer = setTimeout(() => w.process.kill('SIGKILL'), stopTimeoutMs);
      w.once('exit', () => {
        clearTimeout(timer);
        retiring.delete(w);
        resolve();
      });
      w.process.kill('SIGTERM');
    });

  cluster.on('exit', (w, code, signal) => {
    if (stopping || retiring.has(w)) return;
    const delay = backoffDelay(crashes++, DEFAULT_BACKOFF);
    opts.log(`API process ${w.process.pid} died (${signal ?? code}); replacing it in ${delay} ms`);
    setTimeout(() => {
      if (!stopping)
        fork().then(
          () => (crashes = 0),
          (err: unknown) => opts.log(String(err)),
        );
    }, delay);
  });

  const first = await fork();
  await Promise.all(Array.from({ length: Math.max(0, opts.processes - 1) }, () => fork()));
  opts.log(`${opts.processes} API processes listening (primary ${process.pid}, first ${first.process.pid}); SIGHUP rolls them`);

  let rolling = false;
  process.on('SIGHUP', () => {
    if (rolling || stopping) return;
    rolling = true;
    void (async () => {
      for (const old of Object.values(cluster.workers ?? {})) {
        if (!old || retiring.has(old) || old.isDead()) continue;
        await fork();
        await stopWorker(old);
      }
      opts.log('rolling restart done');
    })()
      .catch((err: unknown) => opts.log(`rolling restart failed: ${String(err)}`))
      .finally(() => (rolling = false));
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    opts.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} API processes…`);
    void Promise.all(Object.values(cluster.workers ?? {}).map((w) => (w ? stopWorker(w) : Promise.resolve()))).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
