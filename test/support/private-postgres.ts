import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL cluster (initdb into a temporary directory) that a fault test may stop
 * and start at will. The machine's shared PostgreSQL on 5432 serves every other suite in parallel
 * and must never be restarted; this one listens on its own port and socket directory.
 */
export interface PrivatePostgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication, loopback only). */
  readonly url: string;
  /** `pg_ctl stop -m immediate`: every backend dies at once, like a crashed or fenced host. */
  crash(): Promise<void>;
  /** `pg_ctl start -w`: same data directory and port; crash recovery runs first. */
  start(): Promise<void>;
  /** Whether the server runs (pg_ctl status). */
  running(): Promise<boolean>;
  /** Stops the server (if running) and deletes the data directory. Safe to call twice. */
  destroy(): Promise<void>;
}

let binDirProbe: string | null | undefined;

/** The directory holding initdb/pg_ctl/postgres, or null. */
function postgresBinDir(): string | null {
  if (binDirProbe !== undefined) return binDirProbe;
  const candidates: string[] = [];
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : [];
  for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  for (const p of (process.env.PATH ?? '').split(':')) if (p) candidates.push(p);
  binDirProbe = candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
  return binDirProbe;
}

/** Runs PostgreSQL tools as the `postgres` user when we are root (initdb refuses root). */
function asPostgresUser(bin: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, [...args]];
}

let probe: string | false | undefined;

/**
 * Synchronous availability probe (suites decide `describe.skipIf` at collection time): false when
 * initdb/pg_ctl can run, else the reason. With SEXTANT_REQUIRE_SERVICES=1 unavailability fails.
 */
export function privatePostgresUnavailable(): string | false {
  if (probe !== undefined) return probe;
  const dir = postgresBinDir();
  if (!dir) probe = 'initdb/pg_ctl not found (install postgresql server binaries)';
  else {
    const [cmd, args] = asPostgresUser(join(dir, 'initdb'), ['--version']);
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
    probe = r.status === 0 ? false : `initdb cannot run (${(r.stderr || r.error?.message || 'timeout').trim()})`;
  }
  if (probe) {
    if (process.env.SEXTANT_REQUIRE_SERVICES === '1')
      throw new Error(`private PostgreSQL: ${probe}; SEXTANT_REQUIRE_SERVICES=1 forbids skipping`);
    console.warn(`[sextant tests] skipping suites that restart PostgreSQL: ${probe}`);
  }
  return probe;
}

/**
 * initdb + start a private cluster on a free port (fsync off: the data is thrown away after). Throws
 * when the binaries are missing — call {@link privatePostgresUnavailable} first in tests.
 */
export async function startPrivatePostgres(opts: { readonly port?: number } = {}): Promise<PrivatePostgres> {
  const dir = postgresBinDir();
  if (!dir) throw new Error('initdb/pg_ctl not found');
  const root = await mkdtemp(join(tmpdir(), 'sextant-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  if (process.getuid?.() === 0) {
    const info = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    await chown(root, Number(info.stdout.trim()), Number(gid.stdout.trim()));
  }
  const port = opts.port ?? (await freePort());
  const tool = async (name: string, args: readonly string[], timeout = 60_000) => {
    const [cmd, full] = asPostgresUser(join(dir, name), args);
    return run(cmd, full, { timeout, encoding: 'utf8' });
  };
  // fsync off only skips flushing the OS cache (lost on a host crash, never on a killed server);
  // synchronous_commit stays on: an acknowledged commit is in the WAL before the client hears of it,
  // so `crash()` loses nothing that was committed — exactly what the fault tests check.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const pgCtl = (args: readonly string[]) => tool('pg_ctl', ['-D', dataDir, ...args]);
  const withLog = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`${what} failed: ${(err as Error).message}\n${log.slice(-2000)}`);
    }
  };
  let destroyed = false;
  const handle: PrivatePostgres = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: () => withLog('pg_ctl stop', () => pgCtl(['stop', '-m', 'immediate', '-w'])),
    start: () => withLog('pg_ctl start', () => pgCtl(['start', '-w', '-t', '60', '-l', logFile, '-o', serverOptions])),
    running: async () => {
      try {
        await pgCtl(['status']);
        return true;
      } catch {
        return false;
      }
    },
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      if (await handle.running()) await pgCtl(['stop', '-m', 'immediate', '-w']).catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    await tool('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C'], 120_000);
    await handle.start();
  } catch (err) {
    await handle.destroy().catch(() => {});
    throw err;
  }
  return handle;
}
