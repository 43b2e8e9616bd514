import { boxProblem, type BoxFunction } from './box-problem.ts';

/** The Branin-Hoo function on its usual domain x1 ∈ [−5, 10], x2 ∈ [0, 15]. */
export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

/** Branin's definition as a box function: three global minima of 0.397887. */
export const braninFunction: BoxFunction = {
  name: 'branin',
  description: 'Branin, 2-d, three global minima',
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  optimum: 0.397887357729738,
  argmin: [Math.PI, 2.275],
  f: (x) => branin(x[0] ?? 0, x[1] ?? 0),
};

/** Branin as a benchmark problem. */
export const braninProblem = boxProblem(braninFunction);
