/**
 * Sampling and feasibility helpers in the encoded unit box, shared by the random strategy, the
 * initial-design fallback and the acquisition optimizer.
 */

import type { Rng } from '../numerics/rng.ts';
import type { Encoding } from './encoding.ts';

/** A uniform point of the encoded box: numeric dims uniform, one exact hot value per block. */
export function sampleUnitPoint(enc: Encoding, rng: Rng, taskValue = 1): Float64Array {
  const x = new Float64Array(enc.dim);
  for (const b of enc.numeric) x[b.dim] = rng.next();
  for (const blk of enc.onehot) if (blk.values.length > 0) x[blk.start + rng.int(blk.values.length)] = 1;
  if (enc.taskDim >= 0) x[enc.taskDim] = taskValue;
  return x;
}

/** Whether x satisfies every linear constraint of the encoding (with a small tolerance). */
export function satisfiesUnitConstraints(enc: Encoding, x: ArrayLike<number>, tol = 1e-9): boolean {
  for (const c of enc.constraints) {
    let s = 0;
    for (let k = 0; k < enc.dim; k++) s += c.a[k]! * x[k]!;
    if (s < c.b - tol * (1 + Math.abs(c.b))) return false;
  }
  return true;
}

/**
 * Moves `x` back toward the feasible `anchor` along the segment between them until it satisfies
 * the linear constraints (bisection). Constraints are convex, so the segment's feasible part is an
 * interval containing the anchor.
 */
export function repairToward(enc: Encoding, x: Float64Array, anchor: ArrayLike<number>): Float64Array {
  if (enc.constraints.length === 0 || satisfiesUnitConstraints(enc, x)) return x;
  let lo = 0;
  let hi = 1;
  const y = new Float64Array(x.length);
  for (let it = 0; it < 30; it++) {
    const t = (lo + hi) / 2;
    for (let k = 0; k < x.length; k++) y[k] = anchor[k]! + t * (x[k]! - anchor[k]!);
    if (satisfiesUnitConstraints(enc, y)) lo = t;
    else hi = t;
  }
  for (let k = 0; k < x.length; k++) y[k] = anchor[k]! + lo * (x[k]! - anchor[k]!);
  return y;
}
