import { boxProblem, cube } from './box-problem.ts';

const ALPHA = [1.0, 1.2, 3.0, 3.2];

const A3 = [
  [3, 10, 30],
  [0.1, 10, 35],
  [3, 10, 30],
  [0.1, 10, 35],
];
const P3 = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((r) => r.map((v) => v * 1e-4));

const A6 = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P6 = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

/**
 * The Hartmann family, −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²) on [0, 1]^d, for the published 3-d and 6-d
 * parameter tables.
 */
export function hartmann(x: readonly number[]): number {
  const [a, p] = x.length === 3 ? [A3, P3] : x.length === 6 ? [A6, P6] : [null, null];
  if (a === null || p === null) throw new Error('Hartmann is defined for d = 3 and d = 6');
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < x.length; j++) {
      inner += (a[i]?.[j] ?? 0) * ((x[j] ?? 0) - (p[i]?.[j] ?? 0)) ** 2;
    }
    sum += (ALPHA[i] ?? 0) * Math.exp(-inner);
  }
  return -sum;
}

/** Hartmann3 as a benchmark problem (minimum −3.86278). */
export const hartmann3Problem = boxProblem({
  name: 'hartmann3',
  description: 'Hartmann, 3-d, four local minima',
  bounds: cube(3, 0, 1),
  optimum: -3.86278214782076,
  argmin: [0.114614, 0.555649, 0.852547],
  f: hartmann,
});

/** Hartmann6 as a benchmark problem (minimum −3.32237). */
export const hartmann6Problem = boxProblem({
  name: 'hartmann6',
  description: 'Hartmann, 6-d, six local minima',
  bounds: cube(6, 0, 1),
  optimum: -3.32236801141551,
  argmin: [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573],
  f: hartmann,
});
