/**
 * MAP estimation of GP hyperparameters with analytic gradients.
 *
 * Priors (in log space, so MAP is over θ = ln of each hyperparameter):
 * - ln ℓ_k ~ N(½ ln D, 3): dimension-scaled like the log-normal of Hvarfner et al. (ICML 2024),
 *   whose median length scale grows with √D so that high-dimensional models start smooth instead of
 *   overfitting; with few points it keeps fits away from the box edges (SigOpt's weakness §14.1).
 *   The median is √D rather than their e^√2·√D: at the budgets of 10·D evaluations in 2–8
 *   dimensions their median (≈ 12 at D = 8) costs nothing for switching a dimension off, and MAP
 *   fits of additive multimodal objectives (Styblinski-Tang) kept settling on a few tiny length
 *   scales with the rest at the median; the smaller median measured better there (benchmark notes).
 * - ln s² ~ N(0, 1): outputs are standardized, so the signal variance is near 1.
 * - ln σ²ₙ ~ N(ln 1e-4, 2.5²): near-noiseless objectives stay near-interpolating, yet a truly noisy
 *   objective moves the noise up within a couple of dozen observations.
 */

import { choleskyJitter, logDetFromCholesky } from '../numerics/cholesky.ts';
import { minimizeBox } from '../numerics/lbfgsb.ts';
import type { Rng } from '../numerics/rng.ts';
import { inverseFromCholesky, solveLower, solveLowerTranspose } from '../numerics/triangular.ts';
import type { GpData, GpHyperparameters } from './gp.ts';

const SQRT5 = Math.sqrt(5);
const LOG_2PI = Math.log(2 * Math.PI);

/** Prior and box of the hyperparameters for dimension D. */
export interface HyperPrior {
  readonly lengthMean: number;
  readonly lengthSd: number;
  readonly signalMean: number;
  readonly signalSd: number;
  readonly noiseMean: number;
  readonly noiseSd: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** The default prior for a D-dimensional unit box. */
export function defaultHyperPrior(d: number, options: { learnNoise?: boolean } = {}): HyperPrior {
  const lengthMean = 0.5 * Math.log(Math.max(d, 1));
  const lower = new Float64Array(d + 2);
  const upper = new Float64Array(d + 2);
  for (let k = 0; k < d; k++) {
    lower[k] = Math.log(0.01);
    upper[k] = Math.log(100);
  }
  lower[d] = Math.log(0.05);
  upper[d] = Math.log(20);
  const learnNoise = options.learnNoise ?? true;
  lower[d + 1] = Math.log(1e-6);
  upper[d + 1] = learnNoise ? Math.log(2) : Math.log(1e-6);
  return { lengthMean, lengthSd: Math.sqrt(3), signalMean: 0, signalSd: 1, noiseMean: Math.log(1e-4), noiseSd: 2.5, lower, upper };
}

/** θ (log space) → natural hyperparameters. */
export function thetaToHyper(theta: ArrayLike<number>, d: number): GpHyperparameters {
  const lengthscales = new Float64Array(d);
  for (let k = 0; k < d; k++) lengthscales[k] = Math.exp(theta[k]!);
  return { lengthscales, signal: Math.exp(theta[d]!), noise: Math.exp(theta[d + 1]!) };
}

/**
 * Negative log posterior −(log p(y | θ) + log p(θ)) and its gradient (written into `grad`).
 * Returns +Infinity when the kernel matrix cannot be factorized.
 */
export function negLogPosterior(data: GpData, prior: HyperPrior, theta: ArrayLike<number>, grad: Float64Array): number {
  const { n, d, x, y } = data;
  const s2 = Math.exp(theta[d]!);
  const noise = Math.exp(theta[d + 1]!);
  const inv2 = new Float64Array(d);
  for (let k = 0; k < d; k++) inv2[k] = Math.exp(-2 * theta[k]!);
  const kmat = new Float64Array(n * n);
  // Cache Matérn parts needed again by the gradient: e^{−√5 r}(1 + √5 r).
  const gfac = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    for (let j = 0; j < i; j++) {
      const rj = j * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = x[ri + k]! - x[rj + k]!;
        r2 += t * t * inv2[k]!;
      }
      const r = Math.sqrt(r2);
      const e = Math.exp(-SQRT5 * r);
      kmat[i * n + j] = s2 * (1 + SQRT5 * r + (5 / 3) * r2) * e;
      gfac[i * n + j] = (5 / 3) * s2 * (1 + SQRT5 * r) * e;
    }
    kmat[i * n + i] = s2 + noise + data.knownNoise[i]!;
  }
  const chol = choleskyJitter(kmat, n, 1e-4);
  if (chol === null) return Infinity;
  const { l } = chol;
  const alpha = solveLowerTranspose(l, n, solveLower(l, n, y));
  let fit = 0;
  for (let i = 0; i < n; i++) fit += y[i]! * alpha[i]!;
  const nll = 0.5 * fit + 0.5 * logDetFromCholesky(l, n) + 0.5 * n * LOG_2PI;

  // ∂(−log p)/∂θ = −½ tr((ααᵀ − K⁻¹) ∂K/∂θ).
  const kinv = inverseFromCholesky(l, n);
  grad.fill(0);
  let gSignal = 0;
  let gNoise = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    const ai = alpha[i]!;
    for (let j = 0; j < i; j++) {
      const wij = ai * alpha[j]! - kinv[i * n + j]!;
      // Off-diagonal pairs appear twice in the trace; the ½ cancels.
      gSignal += wij * kmat[i * n + j]!;
      const c = wij * gfac[i * n + j]!;
      if (c === 0) continue;
      const rj = j * d;
      for (let k = 0; k < d; k++) {
        const t = x[ri + k]! - x[rj + k]!;
        grad[k] = grad[k]! + c * t * t * inv2[k]!;
      }
    }
    const wii = ai * ai - kinv[i * n + i]!;
    gSignal += 0.5 * wii * s2;
    gNoise += 0.5 * wii * noise;
  }
  for (let k = 0; k < d; k++) grad[k] = -grad[k]!;
  grad[d] = -gSignal;
  grad[d + 1] = -gNoise;

  // Priors.
  let nlp = 0;
  for (let k = 0; k < d; k++) {
    const z = (theta[k]! - prior.lengthMean) / prior.lengthSd;
    nlp += 0.5 * z * z;
    grad[k] = grad[k]! + z / prior.lengthSd;
  }
  const zs = (theta[d]! - prior.signalMean) / prior.signalSd;
  nlp += 0.5 * zs * zs;
  grad[d] = grad[d]! + zs / prior.signalSd;
  const zn = (theta[d + 1]! - prior.noiseMean) / prior.noiseSd;
  nlp += 0.5 * zn * zn;
  grad[d + 1] = grad[d + 1]! + zn / prior.noiseSd;
  return nll + nlp;
}

/** Options for {@link fitHyperparameters}. */
export interface FitOptions {
  readonly prior: HyperPrior;
  readonly rng: Rng;
  /** Previously fitted θ (warm start), if any. */
  readonly warm?: Float64Array | null;
  /** Number of random starts drawn from the prior in addition to the prior median and warm start. */
  readonly randomStarts?: number;
  readonly maxIterations?: number;
  /** Skip the prior-median start (when a warm start is trusted). */
  readonly skipMedian?: boolean;
  /** Add the best shared-length-scale start from a 1-d grid (default true). */
  readonly isotropicStart?: boolean;
}

/** MAP hyperparameters by multi-start box L-BFGS; returns the best θ and its objective. */
export function fitHyperparameters(data: GpData, options: FitOptions): { theta: Float64Array; value: number } {
  const { prior, rng } = options;
  const d = data.d;
  const clampTheta = (t: Float64Array): Float64Array => {
    for (let i = 0; i < t.length; i++) t[i] = Math.min(prior.upper[i]!, Math.max(prior.lower[i]!, t[i]!));
    return t;
  };
  const starts: Float64Array[] = [];
  if (options.warm && options.warm.length === d + 2 && options.warm.every(Number.isFinite))
    starts.push(clampTheta(Float64Array.from(options.warm)));
  const median = new Float64Array(d + 2);
  for (let k = 0; k < d; k++) median[k] = prior.lengthMean;
  median[d] = prior.signalMean;
  median[d + 1] = Math.max(prior.noiseMean, prior.lower[d + 1]!);
  if (!options.skipMedian || starts.length === 0) starts.push(clampTheta(median));
  if (options.isotropicStart ?? true) starts.push(isotropicStart(data, prior, median, clampTheta));
  const nRandom = options.randomStarts ?? 2;
  for (let s = 0; s < nRandom; s++) {
    const t = new Float64Array(d + 2);
    for (let k = 0; k < d; k++) t[k] = prior.lengthMean + 0.75 * prior.lengthSd * rng.normal();
    t[d] = prior.signalMean + 0.5 * rng.normal();
    t[d + 1] = prior.noiseMean + prior.noiseSd * rng.normal();
    starts.push(clampTheta(t));
  }
  let best: { theta: Float64Array; value: number } = { theta: starts[0]!, value: Infinity };
  const fn = (t: Float64Array, g: Float64Array): number => negLogPosterior(data, prior, t, g);
  for (const start of starts) {
    const res = minimizeBox(fn, start, {
      lower: prior.lower,
      upper: prior.upper,
      maxIterations: options.maxIterations ?? 60,
      ftol: 1e-7,
      pgtol: 1e-4,
    });
    if (Number.isFinite(res.f) && res.f < best.value) best = { theta: res.x, value: res.f };
  }
  return best;
}

/**
 * A start with one length scale shared by every dimension, the best of a log-spaced grid by the
 * posterior. Why: ARD fits from the prior median or a warm start often settle in modes where a few
 * dimensions get tiny length scales and the rest are switched off (ℓ at the prior median); for
 * additive or isotropic objectives (Styblinski-Tang, Rastrigin) every dimension matters, and the
 * isotropic optimum is the basin L-BFGS should start from. Costs ~10 likelihood evaluations.
 */
function isotropicStart(data: GpData, prior: HyperPrior, median: Float64Array, clamp: (t: Float64Array) => Float64Array): Float64Array {
  const d = data.d;
  const grad = new Float64Array(d + 2);
  const lo = Math.log(0.05);
  const hi = Math.max(lo + 1, prior.lengthMean);
  let best = Float64Array.from(median);
  let bestValue = Infinity;
  const steps = 10;
  for (let s = 0; s <= steps; s++) {
    const t = Float64Array.from(median);
    const ell = lo + ((hi - lo) * s) / steps;
    for (let k = 0; k < d; k++) t[k] = ell;
    clamp(t);
    const v = negLogPosterior(data, prior, t, grad);
    if (v < bestValue) {
      bestValue = v;
      best = t;
    }
  }
  return best;
}
