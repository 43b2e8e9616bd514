/**
 * Fits one metric's GP: data subset for large n, MAP hyperparameters (warm-started), conditioning.
 */

import type { Rng } from '../numerics/rng.ts';
import { fitGp, type GpData, type GpHyperparameters, type GpModel } from './gp.ts';
import { defaultHyperPrior, fitHyperparameters, thetaToHyper } from './gp-hyperparameters.ts';

/** Largest training set conditioned on exactly; above it a subset is used (see {@link selectSubset}). */
export const MAX_GP_POINTS = 250;
/** Largest training set used for hyperparameter fitting (cost O(m³) per likelihood evaluation). */
export const MAX_FIT_POINTS = 100;

/** A fitted model plus the θ to save as the next warm start. */
export interface FittedModel {
  readonly model: GpModel;
  readonly theta: Float64Array;
  /** Indices (into the full data) the model was conditioned on. */
  readonly indices: Int32Array;
}

/**
 * Chooses up to m training points: the best half by target (where the optimum is), the rest spread
 * over the box by greedy farthest-point selection from a random pool, so the model stays calibrated
 * globally while being exact where it matters. O(n·m·D).
 */
export function selectSubset(x: Float64Array, y: Float64Array, n: number, d: number, m: number, rng: Rng): Int32Array {
  if (n <= m) return Int32Array.from({ length: n }, (_, i) => i);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => y[a]! - y[b]!);
  const chosen = new Uint8Array(n);
  const out: number[] = [];
  const nBest = Math.floor(m / 2);
  for (let i = 0; i < nBest; i++) {
    chosen[order[i]!] = 1;
    out.push(order[i]!);
  }
  const minD = new Float64Array(n).fill(Infinity);
  const update = (j: number): void => {
    for (let i = 0; i < n; i++) {
      if (chosen[i]) continue;
      let s = 0;
      for (let k = 0; k < d; k++) s += (x[i * d + k]! - x[j * d + k]!) ** 2;
      if (s < minD[i]!) minD[i] = s;
    }
  };
  for (const j of out) update(j);
  while (out.length < m) {
    let best = -1;
    let bestD = -1;
    for (let i = 0; i < n; i++) {
      if (chosen[i]) continue;
      // Random tie-breaking jitter keeps duplicates of the same location from always winning.
      const v = minD[i]! * (1 + 1e-9 * rng.next());
      if (v > bestD) {
        bestD = v;
        best = i;
      }
    }
    if (best < 0) break;
    chosen[best] = 1;
    out.push(best);
    update(best);
  }
  return Int32Array.from(out).sort();
}

/** Options for {@link fitMetricModel}. */
export interface FitMetricOptions {
  readonly warm: Float64Array | null;
  readonly rng: Rng;
  /** Whether a homoscedastic noise term is learned (true unless every point has a known stddev). */
  readonly learnNoise: boolean;
  /**
   * With a warm start: refine it alone with a short L-BFGS run (the large-data schedule) whatever
   * the data size — a refit for a busy owner. Without a warm start it has no effect.
   */
  readonly light?: boolean;
}

/** Fits a GP on (x, y, knownNoise); null if even the fallback hyperparameters fail to factorize. */
export function fitMetricModel(
  x: Float64Array,
  y: Float64Array,
  knownNoise: Float64Array,
  n: number,
  d: number,
  o: FitMetricOptions,
): FittedModel | null {
  return fitMetric(x, y, knownNoise, n, d, o, fitGp);
}

/**
 * The subset, MAP hyperparameters and conditioning of one metric, with any conditioner (a plain
 * {@link fitGp}, or an incremental GP that keeps its factor). Falls back to the prior-median
 * length scales when the fitted ones do not factorize; null when those fail too.
 */
export function fitMetric<M>(
  x: Float64Array,
  y: Float64Array,
  knownNoise: Float64Array,
  n: number,
  d: number,
  o: FitMetricOptions,
  condition: (data: GpData, hyper: GpHyperparameters) => M | null,
): { model: M; theta: Float64Array; indices: Int32Array } | null {
  const indices = selectSubset(x, y, n, d, MAX_GP_POINTS, o.rng);
  const sub = takeRows(x, y, knownNoise, d, indices);
  const prior = defaultHyperPrior(d, { learnNoise: o.learnNoise });
  let fitData = sub;
  if (indices.length > MAX_FIT_POINTS) {
    const step = indices.length / MAX_FIT_POINTS;
    const idx = Int32Array.from({ length: MAX_FIT_POINTS }, (_, i) => Math.floor(i * step));
    fitData = takeRows(sub.x, sub.y, sub.knownNoise, d, idx);
  }
  const warmValid = o.warm !== null && o.warm.length === d + 2;
  // Small data: several starts (cheap, and early fits matter most). Large data: the warm start
  // alone, since hyperparameters move little between consecutive calls.
  const big = fitData.n >= 60 || (o.light === true && o.warm !== null);
  const { theta } = fitHyperparameters(fitData, {
    prior,
    rng: o.rng,
    warm: warmValid ? o.warm : null,
    skipMedian: warmValid && big,
    // The isotropic start is for finding the right basin early; with a trusted warm start on lots
    // of data it only doubles the fit cost (measured: cost benchmark d = 5, n = 200).
    isotropicStart: !(warmValid && big),
    randomStarts: warmValid ? (big ? 0 : 1) : big ? 1 : 3,
    maxIterations: warmValid && big ? 25 : big ? 40 : 80,
  });
  const model = condition(sub, thetaToHyper(theta, d));
  if (model !== null) return { model, theta, indices };
  const fallback = new Float64Array(d + 2);
  for (let k = 0; k < d; k++) fallback[k] = prior.lengthMean;
  fallback[d + 1] = Math.log(1e-2);
  const second = condition(sub, thetaToHyper(fallback, d));
  return second === null ? null : { model: second, theta: fallback, indices };
}

/** The rows `idx` of (x, y, noise) as GP training data. */
export function takeRows(x: Float64Array, y: Float64Array, noise: Float64Array, d: number, idx: Int32Array): GpData {
  const m = idx.length;
  const xs = new Float64Array(m * d);
  const ys = new Float64Array(m);
  const ns = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = idx[i]!;
    for (let k = 0; k < d; k++) xs[i * d + k] = x[j * d + k]!;
    ys[i] = y[j]!;
    ns[i] = noise[j]!;
  }
  return { x: xs, n: m, d, y: ys, knownNoise: ns };
}
