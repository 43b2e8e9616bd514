import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot, stopGracefully } from './fleet.ts';

/** A running `sextant serve --processes N` primary. */
export interface ApiClusterProcess {
  readonly url: string;
  readonly primaryPid: number;
  /** Everything the primary and its API processes wrote (diagnostics). */
  output(): string;
  /** Pids of the live API processes (the primary's children). */
  apiPids(): number[];
  /** Resolves when `pattern` appears in the output written after `from` (an output length). */
  waitForOutput(pattern: RegExp, from: number, withinMs: number): Promise<void>;
  /** SIGTERM (graceful: in-flight requests finish), SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node --import tsx src/cli/main.ts serve --processes N` on a fixed port and resolves once
 * every API process listens, or rejects with the output when it exits or `readyWithinMs` passes.
 * Rate limits are off (one token stands for many clients).
 */
export async function spawnApiCluster(args: {
  readonly processes: number;
  readonly port: number;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly token: string;
  readonly suggestionWaitMs?: number;
  readonly readyWithinMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}): Promise<ApiClusterProcess> {
  const cli = ['serve', '--processes', String(args.processes), '--port', String(args.port), '--database-url', args.databaseUrl];
  cli.push('--redis-url', args.redisUrl, '--redis-prefix', args.redisPrefix, '--log-level', 'warn');
  if (args.suggestionWaitMs !== undefined) cli.push('--suggestion-wait-ms', String(args.suggestionWaitMs));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...cli], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SEXTANT_API_TOKEN: args.token,
      SEXTANT_RATE_LIMIT_WRITES_PER_SECOND: '0',
      SEXTANT_RATE_LIMIT_READS_PER_SECOND: '0',
      ...args.env,
    },
  });
  let out = '';
  const waiters = new Set<() => void>();
  const append = (d: Buffer) => {
    out += d.toString();
    for (const w of waiters) w();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const alive = () => child.exitCode === null && child.signalCode === null;

  const waitForOutput = (pattern: RegExp, from: number, withinMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(out.slice(from))) finish(null);
        else if (!alive())
          finish(new Error(`serve exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${out.slice(-4000)}`));
      };
      const timer = setTimeout(() => finish(new Error(`${pattern} not seen within ${withinMs} ms:\n${out.slice(-4000)}`)), withinMs);
      const finish = (err: Error | null) => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('exit', check);
        if (err) reject(err);
        else resolve();
      };
      waiters.add(check);
      child.once('exit', check);
      check();
    });

  const handle: ApiClusterProcess = {
    url: `http://127.0.0.1:${args.port}`,
    primaryPid: child.pid ?? -1,
    output: () => out,
    apiPids: () => {
      try {
        const text = execFileSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' });
        // Only node:cluster API processes (same entry script); tsx may have its own esbuild child.
        return text
          .split('\n')
          .map((s) => Number(s.trim()))
          .filter((n) => Number.isInteger(n) && n > 0 && commandLine(n).includes('src/cli/main.ts'));
      } catch {
        return []; // ps exits 1 when there are none
      }
    },
    waitForOutput,
    stop: (graceMs = 20_000) => stopGracefully(child, graceMs),
  };
  try {
    await waitForOutput(/API processes listening/, 0, args.readyWithinMs ?? 120_000);
  } catch (err) {
    if (alive()) child.kill('SIGKILL');
    throw err;
  }
  return handle;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}
