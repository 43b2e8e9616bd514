import type { Rng } from '../../numerics/rng.ts';
import type { ExperimentSpec } from '../experiment-spec.ts';
import {
  type ChebyshevCentre,
  chebyshevCentre,
  type ConstraintPolytope,
  constraintPolytopes,
  polytopeContains,
} from './constraint-polytope.ts';
import { hitAndRun } from './hit-and-run.ts';
import { feasibleIntegerNeighbour, findIntegerPoint } from './integer-points.ts';
import { valueFromUnit } from './value-from-unit.ts';

/** Rejection trials per point before switching a polytope to hit-and-run for good. */
const REJECTION_TRIALS = 2000;
/** Below this Chebyshev radius (unit cube) the region counts as empty (SigOpt: 1e-8). */
export const MIN_CHEBYSHEV_RADIUS = 1e-8;

/** Draws values for the linearly constrained parameters of one experiment. */
export interface ConstrainedSampler {
  /**
   * One feasible point: a value for every parameter named in a linear constraint. Exact
   * rejection sampling from the sampling distribution (uniform; priors shape doubles when
   * `usePriors`) while it accepts; hit-and-run (uniform on the region, priors ignored) once a
   * polytope has failed a whole block of trials. Ints are integral. Throws if the region is empty.
   */
  sample(rng: Rng, usePriors?: boolean): Record<string, number>;
}

interface PolytopeState {
  readonly polytope: ConstraintPolytope;
  rejectionFailed: boolean;
  centre: ChebyshevCentre | null | undefined;
  chain: Float64Array | null;
  witness: Float64Array | null | undefined;
}

/**
 * A sampler for the linear constraints of `spec`, reusable across many draws: it computes each
 * polytope's Chebyshev centre only when first needed and continues one hit-and-run chain
 * (35(k+1) burn-in steps, then 10(k+1) steps between returned points) instead of restarting.
 * Deterministic for a given sequence of calls and rng states.
 */
export function createConstrainedSampler(spec: ExperimentSpec): ConstrainedSampler {
  const states: PolytopeState[] = constraintPolytopes(spec).map((polytope) => ({
    polytope,
    rejectionFailed: false,
    centre: undefined,
    chain: null,
    witness: undefined,
  }));
  return {
    sample(rng, usePriors = true) {
      const out: Record<string, number> = {};
      for (const state of states) {
        const x = state.polytope.integer ? sampleIntegers(state, rng) : sampleDoubles(state, rng, usePriors);
        state.polytope.params.forEach((p, j) => {
          out[p.name] = x[j] ?? 0;
        });
      }
      return out;
    },
  };
}

function sampleDoubles(state: PolytopeState, rng: Rng, usePriors: boolean): Float64Array {
  const { polytope } = state;
  const k = polytope.params.length;
  const x = new Float64Array(k);
  if (!state.rejectionFailed) {
    for (let trial = 0; trial < REJECTION_TRIALS; trial++) {
      for (let j = 0; j < k; j++) {
        const p = polytope.params[j];
        x[j] = p === undefined ? 0 : (valueFromUnit(p, rng.next(), usePriors) as number);
      }
      if (polytopeContains(polytope, x, 0)) return x;
    }
    state.rejectionFailed = true;
  }
  const centre = centreOf(state);
  const z = nextChainPoint(state, centre, rng);
  const candidate = toUnits(polytope, z);
  // The walk stays inside up to round-off; the centre is a safe answer if it ever does not.
  return polytopeContains(polytope, candidate, 1e-9) ? candidate : toUnits(polytope, centre.centre);
}

function sampleIntegers(state: PolytopeState, rng: Rng): Float64Array {
  const { polytope } = state;
  const k = polytope.params.length;
  if (!state.rejectionFailed) {
    const x = new Float64Array(k);
    for (let trial = 0; trial < REJECTION_TRIALS; trial++) {
      // Uniform over the integer points of the box, so accepted points are uniform over the
      // feasible integer points.
      for (let j = 0; j < k; j++) x[j] = (polytope.lower[j] ?? 0) + rng.int((polytope.width[j] ?? 0) + 1);
      if (polytopeContains(polytope, x, 1e-9)) return x;
    }
    state.rejectionFailed = true;
  }
  const centre = centreOf(state);
  for (let attempt = 0; attempt < 20; attempt++) {
    const z = nextChainPoint(state, centre, rng);
    const found = feasibleIntegerNeighbour(polytope, toUnits(polytope, z), rng);
    if (found !== null) return found;
  }
  if (state.witness === undefined) state.witness = findIntegerPoint(polytope);
  if (state.witness === null) throw new Error('linear constraints admit no integer point');
  return Float64Array.from(state.witness);
}

function centreOf(state: PolytopeState): ChebyshevCentre {
  if (state.centre === undefined) state.centre = chebyshevCentre(state.polytope);
  if (state.centre === null || state.centre.radius < MIN_CHEBYSHEV_RADIUS) {
    throw new Error('linear constraints are infeasible');
  }
  return state.centre;
}

function nextChainPoint(state: PolytopeState, centre: ChebyshevCentre, rng: Rng): Float64Array {
  const k = state.polytope.params.length;
  const steps = state.chain === null ? 35 * (k + 1) : 10 * (k + 1);
  state.chain = hitAndRun(state.polytope.unitRows, state.chain ?? centre.centre, steps, rng);
  return state.chain;
}

function toUnits(polytope: ConstraintPolytope, z: ArrayLike<number>): Float64Array {
  const k = polytope.params.length;
  const x = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const lo = polytope.lower[j] ?? 0;
    const w = polytope.width[j] ?? 0;
    x[j] = Math.min(lo + w, Math.max(lo, lo + w * (z[j] ?? 0)));
  }
  return x;
}
