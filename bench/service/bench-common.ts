/**
 * Pieces the service benchmarks (capacity, sizing, model-quality, data-scale) share: command-line
 * options, machine description, per-role CPU readings from /proc, load profiles as environment,
 * and one spawned run with Ctrl-C handling and guaranteed clean-up.
 */
import { sourceShares } from '../../src/sim/source-shares.ts';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { findProfile, LOAD_PROFILES } from '../../src/config/load-profiles.ts';
import { envNameOf, type SettingKey } from '../../src/config/settings-registry.ts';
import { runSimulation } from '../../src/sim/simulation.ts';
import type { SimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import { type SpawnedService, type SpawnOptions, spawnService } from '../../src/sim/spawned-service.ts';
import { treeCpuSeconds } from './process-cpu.ts';

/** `--name value` from the command line, or the fallback. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

/** A numeric option; throws on anything but a finite number. */
export function numberOption(name: string, fallback: number): number {
  const v = Number(option(name, String(fallback)));
  if (!Number.isFinite(v)) throw new RangeError(`--${name} takes a number`);
  return v;
}

export const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
export const loadNow = () => loadavg().map((v) => Math.round(v * 100) / 100);
export const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

export function commitHash(): string {
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
}

export function machine(): { cpus: string; memoryGiB: number } {
  return { cpus: `${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}`, memoryGiB: Math.round(totalmem() / 2 ** 30) };
}

/** CPU seconds of the API tree and the workers, with the wall-clock time of the reading. */
export interface CpuReading {
  readonly at: number;
  readonly api: number | null;
  readonly workers: number | null;
  readonly generator: number;
}

export function readCpu(serverPid: number, workerPids: readonly number[]): CpuReading {
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    api: treeCpuSeconds([serverPid]),
    workers: treeCpuSeconds(workerPids),
    generator: (own.user + own.system) / 1e6,
  };
}

/** Cores a role used between two readings, or null. */
export function cores(from: CpuReading | null, to: CpuReading | null, key: 'api' | 'workers' | 'generator'): number | null {
  if (!from || !to || from[key] === null || to[key] === null || to.at <= from.at) return null;
  return round((to[key]! - from[key]!) / ((to.at - from.at) / 1000));
}

/**
 * The environment that puts a load profile's overrides (src/config/load-profiles.ts) in force in
 * spawned processes: every setting can be set as `SEXTANT_<KEY>` (the environment layer), which
 * the API processes and the workers read at start, so no live override is needed.
 */
export function profileEnv(name: string): Record<string, string> {
  const profile = findProfile(name);
  if (!profile) throw new RangeError(`unknown load profile ${name} (one of ${LOAD_PROFILES.map((p) => p.name).join(', ')})`);
  return Object.fromEntries(Object.entries(profile.overrides).map(([k, v]) => [envNameOf(k as SettingKey), String(v)]));
}

/** Cores used during the measured phase by the API tree, the workers and the load generator. */
export interface RunCpu {
  readonly apiCpuCores: number | null;
  readonly workerCpuCores: number | null;
  readonly loadGeneratorCpuCores: number | null;
}

/** What one spawned run produced. */
export interface SpawnedRun {
  readonly report: SimulationReport;
  readonly cpu: RunCpu;
  readonly service: Readonly<Record<string, unknown>>;
}

/**
 * Ctrl-C for a benchmark, installed by {@link handleInterrupt}: the first aborts the current run
 * (the simulator finishes its cycles and reports; spawned processes are stopped and databases
 * dropped in `finally` blocks); listeners on the signal cancel work in progress (a bulk load).
 */
export const interrupt = new AbortController();
let handling = false;

export function handleInterrupt(): AbortSignal {
  if (!handling) {
    handling = true;
    process.once('SIGINT', () => {
      log('interrupted: stopping the current run, cleaning up, writing what was measured');
      interrupt.abort();
    });
  }
  return interrupt.signal;
}

/**
 * Spawns a deployment, optionally prepares it (`prepare`: e.g. bulk-load its database), runs the
 * simulation with the measured phase's CPU bracketed, lets `afterRun` read the deployment (e.g. its
 * database) before it goes, and always stops the deployment (which drops
 * a fresh database) — also when preparing or the run fails or is interrupted.
 */
export async function spawnedRun(
  spawn: SpawnOptions,
  settings: SimulationSettings,
  prepare?: (service: SpawnedService) => Promise<void>,
  afterRun?: (service: SpawnedService) => Promise<void>,
): Promise<SpawnedRun> {
  let childLines = 0;
  const service = await spawnService({
    waitUntilReady: true,
    // A benchmark leaves nothing behind: its fresh database is dropped and its Redis prefix emptied.
    cleanRedis: true,
    ...spawn,
    // Child output is diagnostics only; a misbehaving deployment must not flood the progress lines.
    log: (line) => {
      if (!line.includes('slow ') && childLines++ < 20) log(`  ${line}`);
    },
  });
  try {
    if (interrupt.signal.aborted) throw new Error('interrupted');
    await prepare?.(service);
    if (interrupt.signal.aborted) throw new Error('interrupted');
    const serverPid = (service.details.serverPid ?? service.details.pid) as number;
    const workerPids = (service.details.workerPids ?? []) as number[];
    const cpu: [CpuReading | null, CpuReading | null] = [null, null];
    const report = await runSimulation(
      settings,
      {
        url: service.url,
        token: service.token,
        mode: service.mode,
        details: service.details,
        ...(service.sourceMix ? { sourceMix: service.sourceMix } : {}),
      },
      {
        signal: interrupt.signal,
        // The measured phase is bracketed by the first progress tick of 'running' and of 'verifying' (±1 s).
        onProgress: (p) => {
          if (p.phase === 'running' && !cpu[0]) cpu[0] = readCpu(serverPid, workerPids);
          if (p.phase === 'verifying' && !cpu[1]) cpu[1] = readCpu(serverPid, workerPids);
        },
      },
    );
    cpu[1] ??= readCpu(serverPid, workerPids);
    await afterRun?.(service);
    return {
      report,
      cpu: {
        apiCpuCores: cores(cpu[0], cpu[1], 'api'),
        workerCpuCores: workerPids.length > 0 ? cores(cpu[0], cpu[1], 'workers') : null,
        loadGeneratorCpuCores: cores(cpu[0], cpu[1], 'generator'),
      },
      service: service.details,
    };
  } finally {
    await service.stop();
  }
}

/** Model share as the issue defines it: model / (model + fallback) suggestions (initial and queued excluded). */
export function modelShare(counts: Readonly<Record<string, number>>): number | null {
  return sourceShares(counts).modelShare;
}

/** fresh / (fresh + stale + fallback): suggestions whose model had every stored observation. */
export function freshShare(counts: Readonly<Record<string, number>>): number | null {
  return sourceShares(counts).freshShare;
}
