import type { EngineValue } from '../../../src/optimizer/engine-types.ts';
import type { Assignments, ExperimentSpec } from '../../../src/optimizer/experiment-spec.ts';
import type { Rng } from '../../../src/numerics/rng.ts';

/** What one evaluation of a benchmark problem returns. */
export interface ProblemEvaluation {
  /** Metric values as an optimizer sees them (noisy for noisy problems, no `valueStddev`). */
  readonly values: readonly EngineValue[];
  /**
   * Per-objective noise-free values used for scoring (one entry for single-objective problems);
   * for constrained problems an infeasible point scores `+Infinity`.
   */
  readonly scores: readonly number[];
}

/**
 * A benchmark problem: the experiment an optimizer sees, the objective it evaluates, and how a run
 * is scored. Every problem is phrased as minimization so "lower is better" holds for every number
 * the benchmark reports.
 */
export interface BenchProblem {
  /** Kebab-case identifier used on the command line and in result files. */
  readonly name: string;
  /** One-line human description for the report. */
  readonly description: string;
  readonly spec: ExperimentSpec;
  /** Number of user parameters (a categorical counts once); drives the budget. */
  readonly dimension: number;
  /** Evaluations per run: 10 × dimension, at least 20 (issue 3). */
  readonly budget: number;
  /**
   * Best achievable score: the known global minimum, or for two-objective problems minus the
   * hypervolume of the true Pareto front (numerically approximated).
   */
  readonly optimum: number;
  /**
   * Evaluates a point. `rng` is only consumed by noisy problems, so deterministic problems give the
   * same result whatever stream is passed.
   */
  evaluate(assignments: Assignments, rng: Rng): ProblemEvaluation;
  /**
   * Best-so-far curve (lower is better) over evaluations in completion order: the running minimum
   * of the score, or minus the running hypervolume for two-objective problems.
   */
  bestSoFar(scores: readonly (readonly number[])[]): number[];
}

/** The budget rule of issue 3: 10 evaluations per dimension, never fewer than 20. */
export function budgetFor(dimension: number): number {
  return Math.max(20, 10 * dimension);
}

/** Running minimum of the first score of each evaluation (single-objective problems). */
export function runningMinimum(scores: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  let best = Number.POSITIVE_INFINITY;
  for (const s of scores) {
    const v = s[0] ?? Number.POSITIVE_INFINITY;
    if (v < best) best = v;
    out.push(best);
  }
  return out;
}
