import { boxVector } from './box-problem.ts';
import { branin } from './branin.ts';
import { hypervolume2d } from './hypervolume-2d.ts';
import { budgetFor, type BenchProblem } from './problem.ts';
import { specBuilders } from './spec-builders.ts';

/** Reference point for the hypervolume, the one commonly used for Branin-Currin (minimization). */
export const BRANIN_CURRIN_REF: readonly [number, number] = [18, 6];

/** Currin's exponential function on [0, 1]². */
export function currin(x1: number, x2: number): number {
  // At x2 = 0 the exponent is −∞ and the factor is exactly 1; JS gives that without a special case.
  const factor = 1 - Math.exp(-1 / (2 * x2));
  const num = 2300 * x1 ** 3 + 1900 * x1 ** 2 + 2092 * x1 + 60;
  const den = 100 * x1 ** 3 + 500 * x1 ** 2 + 4 * x1 + 20;
  return (factor * num) / den;
}

/** Both objectives at a point of the unit square (Branin rescaled from its usual box). */
export function braninCurrin(u1: number, u2: number): [number, number] {
  return [branin(15 * u1 - 5, 15 * u2), currin(u1, u2)];
}

/**
 * Maximum hypervolume w.r.t. {@link BRANIN_CURRIN_REF}: the published value for this problem.
 * A dense grid converges to it from below (the tests check 1000² points reach 59.1).
 */
export const BRANIN_CURRIN_MAX_HYPERVOLUME = 59.36011874867746;

// Twice the single-objective rule: only ~4% of the square dominates the reference point, so with
// 20 evaluations about half of all random runs score exactly 0 and the comparison degenerates.
const budget = 2 * budgetFor(2);

/**
 * Two-objective Branin-Currin (both minimized, metrics `branin` and `currin`) on [0, 1]². A run's
 * best-so-far value is minus the hypervolume of all points evaluated so far w.r.t.
 * {@link BRANIN_CURRIN_REF}; the optimum is minus the front's hypervolume.
 */
export const braninCurrinProblem: BenchProblem = {
  name: 'branin-currin',
  description: 'Branin-Currin, 2 objectives, score = −hypervolume w.r.t. (18, 6)',
  dimension: 2,
  budget,
  optimum: -BRANIN_CURRIN_MAX_HYPERVOLUME,
  spec: specBuilders.experiment(
    specBuilders.box(2, 0, 1),
    [specBuilders.minimize('branin'), specBuilders.minimize('currin')],
    budget,
  ),
  evaluate(assignments) {
    const [u1 = 0, u2 = 0] = boxVector(assignments, 2);
    const [b, c] = braninCurrin(u1, u2);
    return {
      values: [
        { name: 'branin', value: b, valueStddev: null },
        { name: 'currin', value: c, valueStddev: null },
      ],
      scores: [b, c],
    };
  },
  bestSoFar(scores) {
    // Incremental front maintenance is not worth it at these budgets (≤ a few hundred points).
    return scores.map((_, i) => -hypervolume2d(scores.slice(0, i + 1), BRANIN_CURRIN_REF));
  },
};
