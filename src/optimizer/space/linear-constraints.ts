import type { Rng } from '../../numerics/rng.ts';
import type { Assignments, ExperimentSpec } from '../experiment-spec.ts';
import { createConstrainedSampler, MIN_CHEBYSHEV_RADIUS } from './constrained-sampler.ts';
import { chebyshevCentre, constraintPolytopes } from './constraint-polytope.ts';
import { findIntegerPoint } from './integer-points.ts';

/**
 * Whether `assignments` satisfy every linear constraint of `spec` (L10: `greater_than` means
 * Σ weight·x ≥ threshold, `less_than` means ≤), up to a relative tolerance:
 * violations up to tol·max(1, |threshold|, Σ|weight·x|) are accepted, so points computed in
 * floating point on a constraint face are not rejected for round-off. A term whose parameter has
 * no numeric value fails the check.
 */
export function satisfiesLinearConstraints(spec: ExperimentSpec, assignments: Assignments, tol = 1e-9): boolean {
  for (const c of spec.linearConstraints) {
    let lhs = 0;
    let magnitude = Math.abs(c.threshold);
    for (const t of c.terms) {
      const v = assignments[t.name];
      if (typeof v !== 'number' || !Number.isFinite(v)) return false;
      lhs += t.weight * v;
      magnitude += Math.abs(t.weight * v);
    }
    const slack = tol * Math.max(1, magnitude);
    if (c.type === 'less_than' ? !(lhs <= c.threshold + slack) : !(lhs >= c.threshold - slack)) return false;
  }
  return true;
}

/**
 * Rule L9: whether bounds ∩ linear constraints is non-empty. Per polytope (doubles, ints) the
 * Chebyshev centre is computed in the unit-scaled box; the region counts as empty when the largest
 * inscribed ball has radius < 1e-8 (SigOpt's rule, so equality-like pairs of constraints are
 * rejected). Integer polytopes must also contain an integer point (bounded search; see
 * findIntegerPoint). True when there are no constraints.
 */
export function isFeasibleRegionNonEmpty(spec: ExperimentSpec): boolean {
  for (const polytope of constraintPolytopes(spec)) {
    const centre = chebyshevCentre(polytope);
    if (centre === null || centre.radius < MIN_CHEBYSHEV_RADIUS) return false;
    if (polytope.integer && findIntegerPoint(polytope) === null) return false;
  }
  return true;
}

/**
 * One random feasible value for every linearly constrained parameter (the other parameters are
 * not included): rejection sampling in blocks, then hit-and-run from the Chebyshev centre when
 * the acceptance rate is tiny; see {@link createConstrainedSampler}, which should be used instead
 * when many points are drawn for one experiment. Throws if the region is empty.
 */
export function sampleConstrainedPoint(
  spec: ExperimentSpec,
  rng: Rng,
  opts: { readonly usePriors?: boolean } = {},
): Record<string, number> {
  return createConstrainedSampler(spec).sample(rng, opts.usePriors ?? true);
}
