import { normalCdf, normalPdf } from './normal.ts';

// Acklam's rational approximations (relative error < 1.2e-9), refined below by one Halley step.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * Φ⁻¹(p), the standard normal quantile, for p in [0, 1] (±Infinity at the ends).
 *
 * Upper-half arguments are reflected (Φ⁻¹(p) = −Φ⁻¹(1 − p), and 1 − p is exact for p ≥ ½) so the
 * refinement always runs against the lower tail, where {@link normalCdf} keeps full relative
 * accuracy; tiny tail probabilities (1e-300) therefore invert correctly.
 */
export function inverseNormalCdf(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -inverseNormalCdf(1 - p);
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(C, q) / (poly(D, q) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(A, r) * q) / (poly(B, r) * r + 1);
  }
  // Halley step on Φ(x) − p; the relative error is then near machine precision.
  const e = normalCdf(x) - p;
  const u = e / normalPdf(x);
  return x - u / (1 + (x * u) / 2);
}

/** Horner evaluation of c[0]·t^(n−1) + … + c[n−1]. */
function poly(c: readonly number[], t: number): number {
  let s = 0;
  for (const ci of c) s = s * t + ci;
  return s;
}
