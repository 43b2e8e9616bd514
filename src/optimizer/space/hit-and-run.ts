import type { Rng } from '../../numerics/rng.ts';
import type { HalfSpace } from './constraint-polytope.ts';

/**
 * Hit-and-run random walk inside {z ∈ [0, 1]^k : a_i·z ≤ b_i}, starting from an interior point:
 * each step picks a uniformly random direction and moves to a uniform point of the chord through
 * the current point. Its stationary distribution is uniform on the polytope; mixing is
 * polynomial in k, and in practice a few dozen steps per dimension give a usable sample even for
 * thin regions where rejection sampling would almost never hit.
 *
 * Returns the final point (clipped into the cube against round-off); `start` is not modified.
 */
export function hitAndRun(
  rows: readonly HalfSpace[],
  start: ArrayLike<number>,
  steps: number,
  rng: Rng,
): Float64Array {
  const k = start.length;
  const z = Float64Array.from(start);
  const d = new Float64Array(k);
  for (let step = 0; step < steps; step++) {
    let norm = 0;
    for (let j = 0; j < k; j++) {
      const v = rng.normal();
      d[j] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    let tMin = Number.NEGATIVE_INFINITY;
    let tMax = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const dj = (d[j] ?? 0) / norm;
      d[j] = dj;
      const zj = z[j] ?? 0;
      if (dj > 0) {
        tMax = Math.min(tMax, (1 - zj) / dj);
        tMin = Math.max(tMin, -zj / dj);
      } else if (dj < 0) {
        tMax = Math.min(tMax, -zj / dj);
        tMin = Math.max(tMin, (1 - zj) / dj);
      }
    }
    for (const row of rows) {
      let az = 0;
      let ad = 0;
      for (let j = 0; j < k; j++) {
        az += (row.coef[j] ?? 0) * (z[j] ?? 0);
        ad += (row.coef[j] ?? 0) * (d[j] ?? 0);
      }
      // Negative slack can only be round-off at a face; treat it as touching the face.
      const slack = Math.max(0, row.bound - az);
      if (ad > 0) tMax = Math.min(tMax, slack / ad);
      else if (ad < 0) tMin = Math.max(tMin, slack / ad);
    }
    if (!(tMax > tMin) || !Number.isFinite(tMax - tMin)) continue;
    const t = tMin + rng.next() * (tMax - tMin);
    for (let j = 0; j < k; j++) z[j] = (z[j] ?? 0) + t * (d[j] ?? 0);
  }
  for (let j = 0; j < k; j++) z[j] = Math.min(1, Math.max(0, z[j] ?? 0));
  return z;
}
