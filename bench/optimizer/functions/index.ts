import { braninCurrinProblem } from './branin-currin.ts';
import { braninProblem } from './branin.ts';
import { classicProblems } from './classic-problems.ts';
import { constrainedBraninProblem } from './constrained-branin.ts';
import { hartmann3Problem, hartmann6Problem } from './hartmann.ts';
import { mixedProblem } from './mixed.ts';
import { noisyHartmann6Problem } from './noisy-hartmann6.ts';
import type { BenchProblem } from './problem.ts';

/** The full benchmark suite of issue 3, in report order. */
export const benchProblems: readonly BenchProblem[] = [
  braninProblem,
  hartmann3Problem,
  hartmann6Problem,
  ...classicProblems,
  mixedProblem,
  constrainedBraninProblem,
  noisyHartmann6Problem,
  braninCurrinProblem,
];

/** Looks a problem up by its command-line name. */
export function problemByName(name: string): BenchProblem {
  const p = benchProblems.find((q) => q.name === name);
  if (p === undefined) {
    throw new Error(`unknown function ${name}; known: ${benchProblems.map((q) => q.name).join(', ')}`);
  }
  return p;
}
