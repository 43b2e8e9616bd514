import { createRng, type Rng } from '../../numerics/rng.ts';
import { chebyshevCentre, type ConstraintPolytope, polytopeContains } from './constraint-polytope.ts';
import { hitAndRun } from './hit-and-run.ts';

/** Up to this many variables all 2^k floor/ceil neighbours are enumerated (SigOpt uses 13). */
const FULL_NEIGHBOURHOOD = 13;
const RANDOM_NEIGHBOURS = 10_000;
/** Integer boxes up to this many points are searched exhaustively for a feasible point. */
const EXHAUSTIVE_LIMIT = 200_000;

/**
 * A feasible integer point among the floor/ceil neighbours of `x` (parameter units, clamped to
 * the bounds), chosen uniformly among the feasible ones when k ≤ 13; beyond that, the first
 * feasible of 10 000 random neighbours. Null when none is feasible. With `rng` null the choice
 * is the first feasible neighbour in a fixed order.
 */
export function feasibleIntegerNeighbour(
  polytope: ConstraintPolytope,
  x: ArrayLike<number>,
  rng: Rng | null,
): Float64Array | null {
  const k = polytope.params.length;
  const floor = new Float64Array(k);
  const ceil = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const lo = polytope.lower[j] ?? 0;
    const hi = lo + (polytope.width[j] ?? 0);
    const v = Math.min(hi, Math.max(lo, x[j] ?? lo));
    floor[j] = Math.floor(v);
    ceil[j] = Math.ceil(v);
  }
  const point = new Float64Array(k);
  const build = (pick: (j: number) => boolean): Float64Array => {
    for (let j = 0; j < k; j++) point[j] = pick(j) ? (ceil[j] ?? 0) : (floor[j] ?? 0);
    return point;
  };
  if (k <= FULL_NEIGHBOURHOOD) {
    const feasible: number[] = [];
    for (let mask = 0; mask < 1 << k; mask++) {
      if (polytopeContains(polytope, build((j) => ((mask >> j) & 1) === 1), 1e-9)) {
        if (rng === null) return Float64Array.from(point);
        feasible.push(mask);
      }
    }
    const mask = feasible[rng === null ? 0 : rng.int(feasible.length)];
    return mask === undefined ? null : Float64Array.from(build((j) => ((mask >> j) & 1) === 1));
  }
  const r = rng ?? createRng(k);
  for (let attempt = 0; attempt < RANDOM_NEIGHBOURS; attempt++) {
    if (polytopeContains(polytope, build(() => r.next() < 0.5), 1e-9)) return Float64Array.from(point);
  }
  return null;
}

/**
 * Some integer point of an integer polytope, or null if the search finds none: neighbours of
 * the Chebyshev centre, then every point of the box when it is small, then neighbours of
 * hit-and-run samples. Deterministic. A null from the sampled stage is "probably none": integer
 * feasibility is NP-hard in general, and a bounded search is what validation can afford.
 */
export function findIntegerPoint(polytope: ConstraintPolytope): Float64Array | null {
  const k = polytope.params.length;
  const centre = chebyshevCentre(polytope);
  if (centre === null) return null;
  const toUnits = (z: ArrayLike<number>): Float64Array =>
    Float64Array.from({ length: k }, (_, j) => (polytope.lower[j] ?? 0) + (polytope.width[j] ?? 0) * (z[j] ?? 0));
  const fromCentre = feasibleIntegerNeighbour(polytope, toUnits(centre.centre), null);
  if (fromCentre !== null) return fromCentre;

  let count = 1;
  for (let j = 0; j < k; j++) count *= (polytope.width[j] ?? 0) + 1;
  if (count <= EXHAUSTIVE_LIMIT) {
    const x = Float64Array.from(polytope.lower);
    for (let n = 0; n < count; n++) {
      if (polytopeContains(polytope, x, 1e-9)) return x;
      // Odometer increment over the integer box.
      for (let j = 0; j < k; j++) {
        const lo = polytope.lower[j] ?? 0;
        if ((x[j] ?? 0) < lo + (polytope.width[j] ?? 0)) {
          x[j] = (x[j] ?? 0) + 1;
          break;
        }
        x[j] = lo;
      }
    }
    return null;
  }
  const rng = createRng(0x5eed);
  let z: Float64Array = centre.centre;
  for (let sample = 0; sample < 200; sample++) {
    z = hitAndRun(polytope.unitRows, z, 5 * (k + 1), rng);
    const found = feasibleIntegerNeighbour(polytope, toUnits(z), rng);
    if (found !== null) return found;
  }
  return null;
}
