/**
 * Yeo-Johnson output warping of standardized objective targets.
 *
 * Why: functions such as Goldstein-Price, Rosenbrock or Styblinski-Tang span several orders of
 * magnitude over the box. Standardized as they are, a few huge values set the GP's signal variance
 * and every promising point is squeezed into a sliver near the bottom of the scale, where the model
 * can no longer tell them apart — EI then behaves like random search. A monotone power transform
 * fitted by maximum likelihood (as HEBO does, Cowen-Rivers et al. 2022) makes the targets closer
 * to Gaussian; it preserves the order, so the incumbent and EI's notion of improvement keep their
 * meaning. Roughly Gaussian targets give λ ≈ 1, i.e. nearly the identity, so smooth well-scaled
 * problems are left alone.
 */

import type { Targets } from './metric-targets.ts';

/** Yeo-Johnson transform of one value. */
export function yeoJohnson(y: number, lambda: number): number {
  if (y >= 0) return Math.abs(lambda) < 1e-8 ? Math.log1p(y) : ((y + 1) ** lambda - 1) / lambda;
  const l2 = 2 - lambda;
  return Math.abs(l2) < 1e-8 ? -Math.log1p(-y) : -((1 - y) ** l2 - 1) / l2;
}

/** d/dy of {@link yeoJohnson} (for mapping known noise variances). */
function yeoJohnsonSlope(y: number, lambda: number): number {
  return y >= 0 ? (y + 1) ** (lambda - 1) : (1 - y) ** (1 - lambda);
}

/** Profile log-likelihood of λ under a Gaussian model of the transformed values. */
function logLikelihood(y: Float64Array, lambda: number): number {
  const n = y.length;
  let sum = 0;
  let jac = 0;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    t[i] = yeoJohnson(v, lambda);
    sum += t[i]!;
    jac += Math.sign(v) * Math.log1p(Math.abs(v));
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (t[i]! - mean) ** 2;
  const variance = ss / n;
  if (!(variance > 0) || !Number.isFinite(variance)) return -Infinity;
  return -0.5 * n * Math.log(variance) + (lambda - 1) * jac;
}

/**
 * λ range. Below −2 the transform turns extreme and fits become fragile. Above 1 it would compress
 * the low (good, minimization-form) end to make a left-skewed sample look Gaussian — e.g. Ackley,
 * where most values sit on the plateau — and blur exactly the region EI must resolve.
 */
const LAMBDA_MIN = -2;
const LAMBDA_MAX = 1;
/** Below this many targets the likelihood cannot tell λ values apart: no warping. */
const MIN_POINTS = 6;

/** Maximum-likelihood λ by golden-section search (the profile likelihood is unimodal in practice). */
export function fitYeoJohnsonLambda(y: Float64Array): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = LAMBDA_MIN;
  let b = LAMBDA_MAX;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = logLikelihood(y, c);
  let fd = logLikelihood(y, d);
  for (let it = 0; it < 40; it++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = logLikelihood(y, c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = logLikelihood(y, d);
    }
  }
  const lambda = (a + b) / 2;
  return Number.isFinite(logLikelihood(y, lambda)) ? lambda : 1;
}

/**
 * Warps standardized targets with the maximum-likelihood Yeo-Johnson transform and standardizes
 * them again; known noise variances are mapped through the transform's local slope. Returns the
 * input unchanged when there are too few points or the result is not finite.
 */
export function warpTargets(t: Targets): WarpedTargets {
  const n = t.y.length;
  const identity = { lambda: 1, warpMean: 0, warpSd: 1 };
  if (n < MIN_POINTS) return { ...t, ...identity };
  const lambda = fitYeoJohnsonLambda(t.y);
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    w[i] = yeoJohnson(t.y[i]!, lambda);
    sum += w[i]!;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (w[i]! - mean) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, n - 1));
  if (!(sd > 1e-12) || !Number.isFinite(sd)) return { ...t, ...identity };
  const y = new Float64Array(n);
  const noise = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = (w[i]! - mean) / sd;
    const slope = yeoJohnsonSlope(t.y[i]!, lambda) / sd;
    noise[i] = t.noise[i]! * slope * slope;
  }
  return { y, noise, offset: t.offset, scale: t.scale, observed: t.observed, lambda, warpMean: mean, warpSd: sd };
}

/** Warped targets with the warp's parameters: y = (yeoJohnson(standardized, λ) − warpMean) / warpSd. */
export interface WarpedTargets extends Targets {
  readonly lambda: number;
  readonly warpMean: number;
  readonly warpSd: number;
}

/** The warp of one standardized value and its local slope (for known noise), with fixed parameters. */
export function warpValue(
  y: number,
  w: { readonly lambda: number; readonly warpMean: number; readonly warpSd: number },
): { y: number; slope: number } {
  // The identity warp (too few points at the fit) must return y bit for bit: ((y + 1) − 1) rounds.
  if (w.lambda === 1 && w.warpMean === 0 && w.warpSd === 1) return { y, slope: 1 };
  return { y: (yeoJohnson(y, w.lambda) - w.warpMean) / w.warpSd, slope: yeoJohnsonSlope(y, w.lambda) / w.warpSd };
}
