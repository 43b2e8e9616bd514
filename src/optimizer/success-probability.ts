/**
 * Probability that an evaluation at x succeeds (does not come back `failed`), from its neighbours.
 *
 * A kernel-weighted Beta-Bernoulli estimate: with Matérn-5/2 weights wᵢ = k(x, xᵢ) (unit signal,
 * the objective GP's length scales) and success indicators sᵢ,
 *
 *   p(x) = (c·ρ + Σ wᵢ sᵢ) / (c + Σ wᵢ),
 *
 * where ρ is the overall success rate and c a prior strength of one pseudo-observation. Far from
 * any data p → ρ; next to a failure it drops towards 0, next to a success towards 1. Why not a GP
 * classifier: it needs Laplace/EP iterations and its own hyperparameters, while this estimate is
 * O(n·D) per point, has analytic gradients and reuses length scales the objective GP already
 * learned (failures are imputed with the worst value there, so its length scales see the failure
 * region's extent). Multiplying EI by p(x) keeps the search out of regions that fail.
 */

const SQRT5 = Math.sqrt(5);

/** The neighbour estimate of the success probability. */
export interface SuccessModel {
  /** ln p(x); fills ∂ ln p/∂x into `grad` when given. */
  logProbability(x: ArrayLike<number>, grad?: Float64Array): number;
}

/** Prior strength c in pseudo-observations. */
const PRIOR_STRENGTH = 1;

/**
 * Builds the estimate from encoded points (row-major n×D), success flags and length scales.
 * Returns null when nothing failed (then p ≡ 1 and the term is skipped).
 */
export function createSuccessModel(x: Float64Array, success: Uint8Array, n: number, d: number, lengthscales: ArrayLike<number>): SuccessModel | null {
  let successes = 0;
  for (let i = 0; i < n; i++) successes += success[i]! ? 1 : 0;
  if (successes === n || n === 0) return null;
  // Keep ρ off 0 and 1 so ln p stays finite even when every observation so far failed.
  const rho = (successes + 0.5) / (n + 1);
  const inv2 = new Float64Array(d);
  for (let k = 0; k < d; k++) inv2[k] = 1 / (lengthscales[k]! * lengthscales[k]!);
  const c = PRIOR_STRENGTH;
  return {
    logProbability(q, grad) {
      let sw = 0;
      let sws = 0;
      grad?.fill(0);
      // Gradients of Σw and Σws accumulated in two buffers only when needed.
      const gw = grad !== undefined ? new Float64Array(d) : null;
      const gws = grad !== undefined ? new Float64Array(d) : null;
      for (let i = 0; i < n; i++) {
        const ri = i * d;
        let r2 = 0;
        for (let k = 0; k < d; k++) {
          const t = q[k]! - x[ri + k]!;
          r2 += t * t * inv2[k]!;
        }
        const r = Math.sqrt(r2);
        const e = Math.exp(-SQRT5 * r);
        const w = (1 + SQRT5 * r + (5 / 3) * r2) * e;
        const s = success[i]! ? 1 : 0;
        sw += w;
        sws += w * s;
        if (gw !== null && gws !== null) {
          const f = -(5 / 3) * (1 + SQRT5 * r) * e;
          for (let k = 0; k < d; k++) {
            const dk = f * (q[k]! - x[ri + k]!) * inv2[k]!;
            gw[k] = gw[k]! + dk;
            if (s) gws[k] = gws[k]! + dk;
          }
        }
      }
      const num = c * rho + sws;
      const den = c + sw;
      if (grad !== undefined && gw !== null && gws !== null) {
        // ∂ ln(num/den) = ∂num/num − ∂den/den.
        for (let k = 0; k < d; k++) grad[k] = gws[k]! / num - gw[k]! / den;
      }
      return Math.log(num / den);
    },
  };
}
