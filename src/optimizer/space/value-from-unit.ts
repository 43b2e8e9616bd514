import { inverseRegularizedIncompleteBeta } from '../../numerics/incomplete-beta.ts';
import { inverseNormalCdf } from '../../numerics/inverse-normal-cdf.ts';
import { normalCdf } from '../../numerics/normal.ts';
import type { ParameterSpec, Prior } from '../experiment-spec.ts';

/**
 * Maps a unit coordinate u ∈ [0, 1) to a value of `param`, so that u ~ U[0, 1) gives the
 * sampling distribution of docs/api-compatibility.md#random-points and a low-discrepancy u gives a stratified design:
 *
 * - categorical: uniform over the non-deleted values in `enum_index` order;
 * - grid: uniform over the grid values (also for log grids: the grid is the space);
 * - int: uniform over the integers in bounds;
 * - double with a prior (when `usePriors`): the prior's quantile — normal truncated to the bounds,
 *   beta rescaled to the bounds — so stratification in u carries over to the prior;
 * - log double: uniform in log space; other doubles: uniform in bounds.
 *
 * Monotone in u for numeric parameters. Results are within bounds; `precision` is not applied
 * here (see finalizeAssignments).
 */
export function valueFromUnit(param: ParameterSpec, u: number, usePriors = true): number | string {
  const t = u < 0 ? 0 : u >= 1 ? 1 - Number.EPSILON / 2 : u;
  if (param.type === 'categorical') {
    const values = (param.categoricalValues ?? [])
      .filter((c) => !c.deleted)
      .sort((a, b) => a.enumIndex - b.enumIndex);
    const chosen = values[Math.min(values.length - 1, Math.floor(t * values.length))];
    if (chosen === undefined) throw new Error(`parameter ${param.name} has no active categorical value`);
    return chosen.name;
  }
  if (param.grid !== null && param.grid.length > 0) {
    return param.grid[Math.min(param.grid.length - 1, Math.floor(t * param.grid.length))] ?? param.grid[0] ?? 0;
  }
  const bounds = param.bounds;
  if (bounds === null) throw new Error(`parameter ${param.name} has no bounds`);
  const { min, max } = bounds;
  if (param.type === 'int') {
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    return Math.min(hi, lo + Math.floor(t * (hi - lo + 1)));
  }
  let x: number;
  if (usePriors && param.prior !== null) x = priorQuantile(param.prior, min, max, t);
  else if (param.transformation === 'log') x = Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)));
  else x = min + t * (max - min);
  return x < min ? min : x > max ? max : x;
}

/** Quantile at level u of the prior restricted to [min, max]. */
function priorQuantile(prior: Prior, min: number, max: number, u: number): number {
  if (prior.name === 'beta') {
    return min + (max - min) * inverseRegularizedIncompleteBeta(u, prior.shapeA, prior.shapeB);
  }
  let alpha = (min - prior.mean) / prior.scale;
  let beta = (max - prior.mean) / prior.scale;
  // Keep the truncation interval on the lower side of 0, where Φ carries full relative accuracy,
  // by reflecting when it lies entirely in the upper tail (a mean outside the bounds).
  const reflect = alpha > 0;
  let level = u;
  if (reflect) {
    [alpha, beta] = [-beta, -alpha];
    level = 1 - u;
  }
  const pa = normalCdf(alpha);
  const pb = normalCdf(beta);
  if (!(pb > pa)) return reflect ? max : min + u * (max - min);
  const z = inverseNormalCdf(pa + level * (pb - pa));
  const zClamped = Math.min(beta, Math.max(alpha, z));
  return prior.mean + prior.scale * (reflect ? -zClamped : zClamped);
}
