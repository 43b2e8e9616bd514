import { boxVector } from './box-problem.ts';
import { hartmann, hartmann6Problem } from './hartmann.ts';
import { runningMinimum, type BenchProblem } from './problem.ts';

/** Standard deviation of the Gaussian noise added to each observation (≈3% of the range). */
export const NOISY_HARTMANN6_SIGMA = 0.1;

/**
 * Hartmann6 observed with additive Gaussian noise whose size is not reported (`valueStddev` null),
 * so an engine must learn the noise. Runs are scored on the noise-free value of each evaluated
 * point: the quality of where the optimizer looked, not its luck with the noise.
 */
export const noisyHartmann6Problem: BenchProblem = {
  name: 'noisy-hartmann6',
  description: `Hartmann6 + N(0, ${NOISY_HARTMANN6_SIGMA}²) noise, stddev not reported`,
  dimension: 6,
  budget: hartmann6Problem.budget,
  optimum: hartmann6Problem.optimum,
  spec: hartmann6Problem.spec,
  evaluate(assignments, rng) {
    const y = hartmann(boxVector(assignments, 6));
    const observed = y + NOISY_HARTMANN6_SIGMA * rng.normal();
    return { values: [{ name: 'f', value: observed, valueStddev: null }], scores: [y] };
  },
  bestSoFar: runningMinimum,
};
