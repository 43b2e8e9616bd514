import { boxVector } from './box-problem.ts';
import { branin, braninFunction } from './branin.ts';
import { budgetFor, runningMinimum, type BenchProblem } from './problem.ts';
import { specBuilders } from './spec-builders.ts';

/** Constraint threshold: the disc (x1 − 2.5)² + (x2 − 7.5)² ≤ 50 used by Gelbart et al. (2014). */
export const CONSTRAINED_BRANIN_THRESHOLD = 50;

/** The constraint metric's value; feasible when ≤ {@link CONSTRAINED_BRANIN_THRESHOLD}. */
export function braninDisc(x1: number, x2: number): number {
  return (x1 - 2.5) ** 2 + (x2 - 7.5) ** 2;
}

const budget = budgetFor(2);

/**
 * Branin under a metric constraint reported as its own metric `c` (strategy constraint, threshold
 * 50). One of Branin's three minima stays feasible, so the optimum is still 0.397887, but two of
 * the three basins are cut off. Infeasible evaluations score +∞.
 */
export const constrainedBraninProblem: BenchProblem = {
  name: 'constrained-branin',
  description: 'Branin with a metric constraint (disc, ~70% feasible)',
  dimension: 2,
  budget,
  optimum: braninFunction.optimum,
  spec: specBuilders.experiment(
    braninFunction.bounds.map(([lo, hi], i) => specBuilders.double(`x${i + 1}`, lo, hi)),
    [specBuilders.minimize('f'), specBuilders.atMost('c', CONSTRAINED_BRANIN_THRESHOLD)],
    budget,
  ),
  evaluate(assignments) {
    const [x1 = 0, x2 = 0] = boxVector(assignments, 2);
    const y = branin(x1, x2);
    const c = braninDisc(x1, x2);
    return {
      values: [
        { name: 'f', value: y, valueStddev: null },
        { name: 'c', value: c, valueStddev: null },
      ],
      scores: [c <= CONSTRAINED_BRANIN_THRESHOLD ? y : Number.POSITIVE_INFINITY],
    };
  },
  bestSoFar: runningMinimum,
};
