import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (children run the CLI from the sources through tsx). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A `sextant worker` child process. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Everything the child wrote (diagnostics when a test fails). */
  output(): string;
  /** What it wrote to stderr only: its JSON log lines. */
  stderr(): string;
  /** SIGKILL: no cleanup at all, like a crashed host. */
  kill(): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `node --import tsx src/cli/main.ts worker …` and resolves once it consumes jobs (its
 * readiness line), or rejects with its output when it exits or `readyWithinMs` passes.
 */
export function spawnWorker(args: {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly concurrency?: number;
  readonly jobLockMs?: number;
  readonly readyWithinMs?: number;
  /** The `log.level` setting of the child; default warn. */
  readonly logLevel?: string;
  /** `--metrics-port` (0: any free port; the readiness line names the URL); default: none. */
  readonly metricsPort?: number;
}): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'worker',
      '--database-url',
      args.databaseUrl,
      '--redis-url',
      args.redisUrl,
      '--redis-prefix',
      args.redisPrefix,
      '--concurrency',
      String(args.concurrency ?? 1),
      '--job-lock-ms',
      String(args.jobLockMs ?? 3000),
      ...(args.metricsPort !== undefined ? ['--metrics-port', String(args.metricsPort)] : []),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SEXTANT_LOG_LEVEL: args.logLevel ?? 'warn' } },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
    err += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: WorkerProcess = {
    child,
    output: () => out,
    stderr: () => err,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker not ready within ${args.readyWithinMs ?? 60_000} ms:\n${out}`));
    }, args.readyWithinMs ?? 60_000);
    child.stdout?.on('data', () => {
      if (out.includes('is consuming refresh jobs')) {
        clearTimeout(timer);
        resolve(handle);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

/** A private redis-server child (tests that restart Redis must never touch the shared one). */
export interface RedisProcess {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: data gone, like a crash without persistence). */
  kill(): Promise<void>;
}

/** Starts `redis-server` on `port` without persistence and waits until it accepts connections. */
export async function spawnRedis(port: number): Promise<RedisProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 15_000);
    child.stdout?.on('data', () => {
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}):\n${out}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** SIGTERM (graceful shutdown), SIGKILL if it has not exited after `graceMs`; resolves once it is gone. */
export async function stopGracefully(child: ChildProcess | null, graceMs = 20_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
