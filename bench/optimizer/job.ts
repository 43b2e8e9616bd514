import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OptimizerName } from './optimizers/bench-optimizer.ts';

/** Sequential (one worker) or four simulated asynchronous workers. */
export type RunMode = 'seq' | 'par4';

/** All modes, in report order. */
export const RUN_MODES: readonly RunMode[] = ['seq', 'par4'];

/** Workers simulated per mode. */
export const WORKERS: Readonly<Record<RunMode, number>> = { seq: 1, par4: 4 };

/** One optimization run of the quality benchmark. */
export interface Job {
  readonly optimizer: OptimizerName;
  readonly problem: string;
  readonly seed: number;
  readonly mode: RunMode;
  /** Identifies the code the result came from; a cached result with another one is recomputed. */
  readonly fingerprint: string;
}

/** Per-ask costs of a run, as parallel arrays (compact in JSON). */
export interface JobTimings {
  readonly wallMs: readonly number[];
  readonly fitMs: readonly (number | null)[];
  readonly acquisitionMs: readonly (number | null)[];
  /** strategy name → number of asks that used it. */
  readonly strategies: Readonly<Record<string, number>>;
}

/** What a run leaves in its cache file. `+∞` scores (nothing feasible yet) are stored as null. */
export interface JobResult extends Job {
  readonly format: 1;
  readonly budget: number;
  /** Scores of each evaluation in completion order. */
  readonly scores: readonly (readonly (number | null)[])[];
  readonly bestSoFar: readonly (number | null)[];
  readonly timings: JobTimings;
  readonly totalMs: number;
  /** Free-form facts about the optimizer (e.g. Optuna version, which random sampler). */
  readonly info: Readonly<Record<string, string>>;
  /** Set when the run failed; the other fields are then empty. */
  readonly error: string | null;
}

/** Repository root, resolved from this file so the harness works from any working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Folder of the per-run cache (gitignored). `SEXTANT_BENCH_CACHE_DIR` moves it (the tests use a
 * temporary folder so they never touch real results); child processes inherit the variable.
 */
export function cacheDir(): string {
  return process.env['SEXTANT_BENCH_CACHE_DIR'] ?? join(REPO_ROOT, 'bench/results/tmp/optimizer');
}

/** Stable identity of a job without its fingerprint. */
export function jobKey(job: Omit<Job, 'fingerprint'>): string {
  return `${job.optimizer}/${job.problem}-${job.mode}-s${job.seed}`;
}

/** Cache file of a job. */
export function cachePath(job: Omit<Job, 'fingerprint'>): string {
  return join(cacheDir(), `${jobKey(job)}.json`);
}

/** JSON number encoding that keeps +∞ as null (JSON has no infinities). */
export function encodeScore(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Inverse of {@link encodeScore}. */
export function decodeScore(v: number | null): number {
  return v === null ? Number.POSITIVE_INFINITY : v;
}

/** Reads a cached result if it exists, is complete and matches the job's fingerprint. */
export async function readCached(job: Job): Promise<JobResult | null> {
  try {
    const r = JSON.parse(await readFile(cachePath(job), 'utf8')) as JobResult;
    return r.format === 1 && r.fingerprint === job.fingerprint && r.error === null ? r : null;
  } catch {
    return null;
  }
}

/** Writes a result atomically (temp file + rename), so a crash never leaves half a file. */
export async function writeCached(result: JobResult): Promise<void> {
  const path = cachePath(result);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.part`;
  await writeFile(tmp, JSON.stringify(result));
  await rename(tmp, path);
}
