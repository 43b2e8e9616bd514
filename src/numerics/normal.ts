/**
 * Standard normal density, distribution and log-distribution, accurate far into the tails.
 *
 * Acquisition functions evaluate Φ(z) and log Φ(z) at z of −40 or less, where `0.5·erfc` built from
 * a rational approximation loses all relative accuracy; here the lower tail goes through the Mills
 * ratio R(x) = Φ(−x)/φ(x), computed by a continued fraction that converges fast for x ≥ 3.
 */

const INV_SQRT_2PI = 0.3989422804014327;
/** ½ log(2π). */
export const HALF_LOG_2PI = 0.9189385332046728;

/** φ(z), the standard normal density. */
export function normalPdf(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** log φ(z). */
export function normalLogPdf(z: number): number {
  return -0.5 * z * z - HALF_LOG_2PI;
}

/**
 * erf(x) for |x| ≤ ~2.5 by the all-positive series erf(x) = 2/√π e^{−x²} Σ (2x²)ⁿ x / (2n+1)!!,
 * which, unlike the alternating Taylor series, has no cancellation.
 */
function erfSeries(x: number): number {
  if (x < 0) return -erfSeries(-x);
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 0; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return 1.1283791670955126 * Math.exp(-x2) * sum;
}

/**
 * Mills ratio R(x) = Φ(−x)/φ(x) = (1 − Φ(x))/φ(x) for x ≥ 0 (R(x) → 1/x as x → ∞).
 * Series below 3, continued fraction R = 1/(x + 1/(x + 2/(x + 3/(x + …)))) above.
 */
export function millsRatio(x: number): number {
  if (x < 3) {
    const upper = 0.5 - 0.5 * erfSeries(x * Math.SQRT1_2);
    return upper / normalPdf(x);
  }
  if (!Number.isFinite(x)) return 0;
  // Backward evaluation; 90 terms give full double accuracy at x = 3 and more than enough beyond.
  const terms = x < 5 ? 90 : x < 10 ? 40 : 20;
  let t = x;
  for (let k = terms; k >= 1; k--) t = x + k / t;
  return 1 / t;
}

/** Φ(z), the standard normal distribution function, with full relative accuracy for z ≪ 0. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -3) return normalPdf(z) * millsRatio(-z);
  if (z > 3) return 1 - normalPdf(z) * millsRatio(z);
  return 0.5 + 0.5 * erfSeries(z * Math.SQRT1_2);
}

/** log Φ(z), finite for every finite z (≈ −z²/2 − log(−z) − ½log 2π for z ≪ 0). */
export function normalLogCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < -3) {
    if (z === -Infinity) return -Infinity;
    return normalLogPdf(z) + Math.log(millsRatio(-z));
  }
  if (z > 3) return Math.log1p(-normalPdf(z) * millsRatio(z));
  return Math.log(0.5 + 0.5 * erfSeries(z * Math.SQRT1_2));
}

/** d/dz log Φ(z) = φ(z)/Φ(z), stable in both tails (→ −z for z ≪ 0). */
export function normalLogCdfGrad(z: number): number {
  if (z < -3) return 1 / millsRatio(-z);
  return normalPdf(z) / normalCdf(z);
}
