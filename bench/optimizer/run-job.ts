import { createRng } from '../../src/numerics/rng.ts';
import { problemByName } from './functions/index.ts';
import { WORKERS, encodeScore, type Job, type JobResult } from './job.ts';
import { createEngine } from '../../src/optimizer/engine.ts';
import type { BenchOptimizer } from './optimizers/bench-optimizer.ts';
import { createRandomOptimizer } from './optimizers/random-optimizer.ts';
import { createSextantOptimizer } from './optimizers/sextant-optimizer.ts';
import { SYSTEM_PYTHON, createTpeOptimizer } from './optimizers/tpe-optimizer.ts';
import { simulateRun } from './simulate-run.ts';

/**
 * Seed of the evaluation-noise stream: depends on the problem and run seed but not on the
 * optimizer, so every optimizer sees the same noise sequence (common random numbers).
 */
function noiseSeed(problem: string, seed: number): number {
  let h = 2166136261;
  for (const ch of `${problem}#${seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** Runs one job to completion in this process. Failures are returned, not thrown. */
export async function runJob(job: Job): Promise<JobResult> {
  const problem = problemByName(job.problem);
  const base = { ...job, format: 1 as const, budget: problem.budget };
  const info: Record<string, string> = {};
  const t0 = performance.now();
  let optimizer: BenchOptimizer | null = null;
  try {
    if (job.optimizer === 'sextant') {
      // A user running parallel workers declares them (parallel_bandwidth); the engine may size
      // its initial design from it. The baselines have no use for it.
      const spec = { ...problem.spec, parallelBandwidth: WORKERS[job.mode] > 1 ? WORKERS[job.mode] : null };
      optimizer = createSextantOptimizer(createEngine({ maxModels: 1 }), spec, job.seed);
    } else if (job.optimizer === 'random') {
      optimizer = createRandomOptimizer(problem.spec, job.seed);
    } else if (job.optimizer === 'tpe') {
      const constantLiar = job.mode !== 'seq';
      info['python'] = SYSTEM_PYTHON;
      info['sampler'] = `TPESampler(seed=${job.seed}, constant_liar=${constantLiar ? 'True' : 'False'})`;
      optimizer = await createTpeOptimizer(problem.spec, job.seed, constantLiar);
    } else {
      throw new Error(`unknown optimizer ${String(job.optimizer)}`);
    }
    const records = await simulateRun(problem, optimizer, WORKERS[job.mode], createRng(noiseSeed(job.problem, job.seed)));
    const scores = records.map((r) => r.scores);
    const strategies: Record<string, number> = {};
    for (const t of optimizer.timings) {
      const s = t.strategy ?? 'unknown';
      strategies[s] = (strategies[s] ?? 0) + 1;
    }
    return {
      ...base,
      scores: scores.map((s) => s.map(encodeScore)),
      bestSoFar: problem.bestSoFar(scores).map(encodeScore),
      timings: {
        wallMs: optimizer.timings.map((t) => round3(t.wallMs)),
        fitMs: optimizer.timings.map((t) => (t.fitMs === null ? null : round3(t.fitMs))),
        acquisitionMs: optimizer.timings.map((t) => (t.acquisitionMs === null ? null : round3(t.acquisitionMs))),
        strategies,
      },
      totalMs: Math.round(performance.now() - t0),
      info,
      error: null,
    };
  } catch (err) {
    return {
      ...base,
      scores: [],
      bestSoFar: [],
      timings: { wallMs: [], fitMs: [], acquisitionMs: [], strategies: {} },
      totalMs: Math.round(performance.now() - t0),
      info,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    };
  } finally {
    await optimizer?.close();
  }
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
