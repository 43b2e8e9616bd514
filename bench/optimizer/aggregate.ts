import { createRng } from '../../src/numerics/rng.ts';
import type { BenchProblem } from './functions/problem.ts';
import { decodeScore, encodeScore, type JobResult, type RunMode } from './job.ts';
import { randomPoint } from '../../src/optimizer/space/random-point.ts';
import type { OptimizerName } from './optimizers/bench-optimizer.ts';
import { mannWhitneyU, normalizedAuc, quantile, summarize, type Verdict } from './stats.ts';

/** One optimizer's results on one problem and mode. Scores encode +∞ as null. */
export interface OptimizerSummary {
  readonly runs: number;
  readonly seeds: readonly number[];
  /** Best value at the end of each run, in seed order. */
  readonly finalBest: readonly (number | null)[];
  readonly median: number | null;
  readonly q1: number | null;
  readonly q3: number | null;
  readonly aucs: readonly number[];
  readonly aucMedian: number;
  /** Median over evaluations of the per-run best-so-far, per step (for plots). */
  readonly medianCurve: readonly (number | null)[];
  /** Median wall time of one ask across all runs. */
  readonly msPerAsk: number;
  readonly strategies: Readonly<Record<string, number>>;
}

/** Mann-Whitney comparison of sextant's final values with another optimizer's. */
export interface Comparison {
  readonly verdict: Verdict;
  readonly p: number;
  readonly u: number;
}

/** Everything reported for one problem in one mode. */
export interface ProblemModeSummary {
  readonly function: string;
  readonly description: string;
  readonly dimension: number;
  readonly budget: number;
  readonly mode: RunMode;
  readonly optimum: number;
  /** Median score of a uniformly random point: the "1" of the normalized AUC. */
  readonly reference: number | null;
  readonly optimizers: Partial<Record<OptimizerName, OptimizerSummary>>;
  readonly vsRandom: Comparison | null;
  readonly vsTpe: Comparison | null;
}

/**
 * The AUC reference of a problem: the median score of single uniformly random points (fixed
 * seed, 1000 draws), i.e. what a best-so-far curve starts at on average.
 */
export function randomReference(problem: BenchProblem, draws = 1000): number {
  const rng = createRng(20240917);
  const values: number[] = [];
  for (let i = 0; i < draws; i++) {
    const e = problem.evaluate(randomPoint(problem.spec, rng), rng);
    values.push(problem.bestSoFar([e.scores])[0] ?? Number.POSITIVE_INFINITY);
  }
  return quantile(values, 0.5);
}

/** Summarizes the successful runs of one problem and mode, with sextant's verdicts. */
export function summarizeProblemMode(
  problem: BenchProblem,
  mode: RunMode,
  reference: number,
  results: readonly JobResult[],
): ProblemModeSummary {
  const optimizers: Partial<Record<OptimizerName, OptimizerSummary>> = {};
  const finals: Partial<Record<OptimizerName, number[]>> = {};
  for (const name of ['sextant', 'tpe', 'random'] as const) {
    const runs = results
      .filter((r) => r.optimizer === name && r.mode === mode && r.problem === problem.name && r.error === null)
      .sort((a, b) => a.seed - b.seed);
    if (runs.length === 0) continue;
    const curves = runs.map((r) => r.bestSoFar.map(decodeScore));
    const final = curves.map((c) => c[c.length - 1] ?? Number.POSITIVE_INFINITY);
    finals[name] = final;
    const s = summarize(final);
    const aucs = curves.map((c) => normalizedAuc(c, problem.optimum, reference));
    const medianCurve = Array.from({ length: problem.budget }, (_, i) =>
      encodeScore(quantile(curves.map((c) => c[i] ?? Number.POSITIVE_INFINITY), 0.5)),
    );
    const strategies: Record<string, number> = {};
    for (const r of runs) {
      for (const [k, v] of Object.entries(r.timings.strategies)) strategies[k] = (strategies[k] ?? 0) + v;
    }
    optimizers[name] = {
      runs: runs.length,
      seeds: runs.map((r) => r.seed),
      finalBest: final.map(encodeScore),
      median: encodeScore(s.median),
      q1: encodeScore(s.q1),
      q3: encodeScore(s.q3),
      aucs: aucs.map((a) => Math.round(a * 1e4) / 1e4),
      aucMedian: quantile(aucs, 0.5),
      medianCurve,
      msPerAsk: quantile(runs.flatMap((r) => r.timings.wallMs), 0.5),
      strategies,
    };
  }
  const compare = (other: OptimizerName): Comparison | null => {
    const ours = finals.sextant;
    const theirs = finals[other];
    if (ours === undefined || theirs === undefined) return null;
    const r = mannWhitneyU(ours, theirs);
    const verdict: Verdict = r.p >= 0.05 ? 'tie' : r.z < 0 ? 'win' : 'loss';
    return { verdict, p: r.p, u: r.u };
  };
  return {
    function: problem.name,
    description: problem.description,
    dimension: problem.dimension,
    budget: problem.budget,
    mode,
    optimum: problem.optimum,
    reference: encodeScore(reference),
    optimizers,
    vsRandom: compare('random'),
    vsTpe: compare('tpe'),
  };
}

/** Win/tie/loss counts of sextant per mode against one opponent. */
export function tally(
  rows: readonly ProblemModeSummary[],
  against: 'vsRandom' | 'vsTpe',
): Record<Verdict, number> {
  const t: Record<Verdict, number> = { win: 0, tie: 0, loss: 0 };
  for (const r of rows) {
    const c = r[against];
    if (c !== null) t[c.verdict]++;
  }
  return t;
}
