/**
 * A TuRBO-style trust region around the incumbent: the model phase maximizes EI only inside it on
 * some suggestions (every other one sequentially, every fourth with pending points), so multimodal
 * objectives get a steady local descent next to the global EI search, which in a flat rippled
 * landscape keeps chasing posterior variance at the edges of the box.
 */

import type { Encoding } from './encoding.ts';

/**
 * Side length of the region in the unit box before the lengthscale weighting. Fixed: TuRBO's
 * success/failure adaptation of the length was not measured to help within these budgets.
 */
export const TRUST_REGION_LENGTH = 0.8;

/**
 * The box [lower, upper] on the numeric dims of the encoding around `centre`, with sides
 * proportional to the GP lengthscales (normalized to geometric mean 1, as in TuRBO) times `length`.
 * Non-numeric dims span [0, 1].
 */
export function trustRegionBox(enc: Encoding, centre: ArrayLike<number>, lengthscales: ArrayLike<number>, length: number): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(enc.dim);
  const upper = new Float64Array(enc.dim).fill(1);
  const dims = enc.numeric.map((b) => b.dim);
  if (dims.length === 0) return { lower, upper };
  const logMean = dims.reduce((a, k) => a + Math.log(lengthscales[k]!), 0) / dims.length;
  for (const k of dims) {
    const w = Math.exp(Math.log(lengthscales[k]!) - logMean);
    // Clip the per-dim weight so one irrelevant dim cannot swallow the whole volume.
    const half = (length * Math.min(4, Math.max(0.25, w))) / 2;
    lower[k] = Math.max(0, centre[k]! - half);
    upper[k] = Math.min(1, centre[k]! + half);
  }
  return { lower, upper };
}
