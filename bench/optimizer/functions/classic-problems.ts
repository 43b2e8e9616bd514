import { boxProblem, cube, type BoxFunction } from './box-problem.ts';
import { STYBLINSKI_TANG_ARGMIN, classicFunctions } from './classic-functions.ts';

/**
 * Shifts a function whose minimum sits at the centre of its box, so that an optimizer whose
 * initial design happens to include the centre does not score a perfect run by construction.
 * The shift is fixed and irrational-looking on purpose; the minimum value is unchanged.
 */
function shifted(
  f: (x: readonly number[]) => number,
  shift: readonly number[],
): (x: readonly number[]) => number {
  return (x) => f(x.map((v, i) => v - (shift[i] ?? 0)));
}

const ackleyShift = [7.31, -4.86, 11.07, -9.52, 3.68];
const rastriginShift = [1.37, -0.89, 0.61, -1.73];

const defs: BoxFunction[] = [
  {
    name: 'rosenbrock4',
    description: 'Rosenbrock, 4-d on [−5, 10]^4, narrow curved valley',
    bounds: cube(4, -5, 10),
    optimum: 0,
    argmin: [1, 1, 1, 1],
    f: classicFunctions.rosenbrock,
  },
  {
    name: 'ackley5',
    description: 'Ackley, 5-d on [−32.768, 32.768]^5, minimum shifted off-centre',
    bounds: cube(5, -32.768, 32.768),
    optimum: 0,
    argmin: ackleyShift,
    f: shifted(classicFunctions.ackley, ackleyShift),
  },
  {
    name: 'levy6',
    description: 'Levy, 6-d on [−10, 10]^6, many local minima',
    bounds: cube(6, -10, 10),
    optimum: 0,
    argmin: [1, 1, 1, 1, 1, 1],
    f: classicFunctions.levy,
  },
  {
    name: 'styblinski-tang8',
    description: 'Styblinski-Tang, 8-d on [−5, 5]^8, 2^8 local minima',
    bounds: cube(8, -5, 5),
    optimum: 8 * classicFunctions.styblinskiTang([STYBLINSKI_TANG_ARGMIN]),
    argmin: Array.from({ length: 8 }, () => STYBLINSKI_TANG_ARGMIN),
    f: classicFunctions.styblinskiTang,
  },
  {
    name: 'goldstein-price',
    description: 'Goldstein-Price, 2-d on [−2, 2]^2, huge dynamic range',
    bounds: cube(2, -2, 2),
    optimum: 3,
    argmin: [0, -1],
    f: classicFunctions.goldsteinPrice,
  },
  {
    name: 'rastrigin4',
    description: 'Rastrigin, 4-d on [−5.12, 5.12]^4, minimum shifted off-centre',
    bounds: cube(4, -5.12, 5.12),
    optimum: 0,
    argmin: rastriginShift,
    f: shifted(classicFunctions.rastrigin, rastriginShift),
  },
];

/** Rosenbrock, Ackley, Levy, Styblinski-Tang, Goldstein-Price and Rastrigin as problems. */
export const classicProblems = defs.map(boxProblem);
