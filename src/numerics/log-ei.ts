/**
 * The log of the expected-improvement kernel h(z) = φ(z) + zΦ(z), so that
 * EI = σ·h((f* − μ)/σ) and log EI = log σ + log h(z) (Ament et al., NeurIPS 2023, "LogEI").
 *
 * Plain EI underflows to exactly 0 for z below about −38, leaving flat regions where the
 * acquisition optimizer has no gradient; log h stays finite and smooth for every finite z.
 */

import { HALF_LOG_2PI, millsRatio, normalCdf, normalPdf } from './normal.ts';

/**
 * 1 − x·R(x) for x ≥ 1 (R = Mills ratio), i.e. h(−x)/φ(x). For large x the direct form cancels
 * catastrophically, so the asymptotic series 1/x²·(1 − 3/x² + 15/x⁴ − 105/x⁶ + 945/x⁸) is used.
 */
function oneMinusXR(x: number): number {
  if (x > 60) {
    const u = 1 / (x * x);
    return u * (1 - 3 * u * (1 - 5 * u * (1 - 7 * u * (1 - 9 * u))));
  }
  return 1 - x * millsRatio(x);
}

/** log h(z), h(z) = φ(z) + zΦ(z) > 0. */
export function logH(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z > -1) return Math.log(normalPdf(z) + z * normalCdf(z));
  const x = -z;
  return -0.5 * z * z - HALF_LOG_2PI + Math.log(oneMinusXR(x));
}

/** d/dz log h(z) = Φ(z)/h(z), stable for z ≪ 0 (→ −2/z... ≈ 2/|z|). */
export function logHGrad(z: number): number {
  if (z > -1) return normalCdf(z) / (normalPdf(z) + z * normalCdf(z));
  const x = -z;
  const r = x > 60 ? (1 / x) * (1 - (1 / (x * x)) * (1 - 3 / (x * x))) : millsRatio(x);
  return r / oneMinusXR(x);
}
