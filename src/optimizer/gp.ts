/**
 * Exact Gaussian-process regression with a Matérn-5/2 ARD kernel on standardized outputs.
 *
 * Conventions: inputs are points of the unit box (row-major n×D Float64Array), outputs are already
 * standardized (mean 0, unit variance) in minimization form; the prior mean is 0. Hyperparameters
 * are kept in log space: θ = [ln ℓ₁ … ln ℓ_D, ln s², ln σ²ₙ].
 */

import { choleskyAppend } from '../numerics/cholesky-append.ts';
import { choleskyJitter } from '../numerics/cholesky.ts';
import { solveLower, solveLowerTranspose } from '../numerics/triangular.ts';

const SQRT5 = Math.sqrt(5);

/** GP hyperparameters in natural units. */
export interface GpHyperparameters {
  readonly lengthscales: Float64Array;
  /** Signal variance s². */
  readonly signal: number;
  /** Homoscedastic noise variance σ²ₙ (added to any per-point known noise). */
  readonly noise: number;
}

/** Training data of a GP. */
export interface GpData {
  readonly x: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly y: Float64Array;
  /** Known per-point noise variance (e.g. from value_stddev), added to the diagonal. */
  readonly knownNoise: Float64Array;
}

/** Posterior prediction with optional input gradients. */
export interface GpPrediction {
  mean: number;
  variance: number;
}

/** A fitted (conditioned) GP. */
export interface GpModel {
  readonly data: GpData;
  readonly hyper: GpHyperparameters;
  /** Diagonal jitter the Cholesky needed. */
  readonly jitter: number;
  /** Posterior mean and variance at `x` (length D); fills ∂mean/∂x and ∂variance/∂x when given. */
  predict(x: ArrayLike<number>, gradMean?: Float64Array, gradVar?: Float64Array): GpPrediction;
  /** Posterior mean only (O(n·D), no triangular solve): for ranking observed points. */
  mean(x: ArrayLike<number>): number;
  /** A new model with (x, y) appended at fixed hyperparameters, in O(n²) (batch fantasies). */
  append(x: ArrayLike<number>, y: number, knownNoise: number): GpModel;
}

/** Matérn-5/2 correlation at scaled distance r. */
export function matern52(r: number): number {
  const sr = SQRT5 * r;
  return (1 + sr + (5 / 3) * r * r) * Math.exp(-sr);
}

/** Fills the n×n kernel matrix (with noise on the diagonal). */
export function kernelMatrix(data: GpData, hyper: GpHyperparameters): Float64Array {
  const { n, d, x } = data;
  const inv = new Float64Array(d);
  for (let k = 0; k < d; k++) inv[k] = 1 / hyper.lengthscales[k]!;
  const kmat = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * d;
    for (let j = 0; j < i; j++) {
      const rj = j * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = (x[ri + k]! - x[rj + k]!) * inv[k]!;
        r2 += t * t;
      }
      const v = hyper.signal * matern52(Math.sqrt(r2));
      kmat[i * n + j] = v;
      kmat[j * n + i] = v;
    }
    kmat[i * n + i] = hyper.signal + hyper.noise + data.knownNoise[i]!;
  }
  return kmat;
}

/** Conditions a GP on `data`; null when the kernel matrix cannot be factorized even with jitter. */
export function fitGp(data: GpData, hyper: GpHyperparameters): GpModel | null {
  const kmat = kernelMatrix(data, hyper);
  const chol = choleskyJitter(kmat, data.n, 1e-3);
  if (chol === null) return null;
  return buildModel(data, hyper, chol.l, chol.jitter);
}

/**
 * A model conditioned through an existing factor `l` (dense n×n) of its kernel matrix plus
 * noise and `jitter`: incremental states hand their factor over instead of refactorizing.
 */
export function gpFromFactor(data: GpData, hyper: GpHyperparameters, l: Float64Array, jitter: number, stride = data.n): GpModel {
  return buildModel(data, hyper, l, jitter, stride);
}

/**
 * k(a, b) of the Matérn-5/2 ARD kernel for rows a[ai…ai+d) and b[bi…bi+d), with `inv2` = 1/ℓ²
 * per dimension and signal variance `s2`.
 */
export function maternCovariance(
  a: ArrayLike<number>,
  ai: number,
  b: ArrayLike<number>,
  bi: number,
  d: number,
  inv2: ArrayLike<number>,
  s2: number,
): number {
  let r2 = 0;
  for (let k = 0; k < d; k++) {
    const t = a[ai + k]! - b[bi + k]!;
    r2 += t * t * inv2[k]!;
  }
  return s2 * matern52(Math.sqrt(r2));
}

function buildModel(data: GpData, hyper: GpHyperparameters, l: Float64Array, jitter: number, stride = data.n): GpModel {
  const { n, d, x } = data;
  const alpha = solveLowerTranspose(l, n, solveLower(l, n, data.y, undefined, stride), undefined, stride);
  const inv2 = new Float64Array(d);
  for (let k = 0; k < d; k++) inv2[k] = 1 / (hyper.lengthscales[k]! * hyper.lengthscales[k]!);
  const kvec = new Float64Array(n);
  const dkdr = new Float64Array(n);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  const s2 = hyper.signal;

  const predict = (q: ArrayLike<number>, gradMean?: Float64Array, gradVar?: Float64Array): GpPrediction => {
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = q[k]! - x[ri + k]!;
        r2 += t * t * inv2[k]!;
      }
      const r = Math.sqrt(r2);
      const e = Math.exp(-SQRT5 * r);
      kvec[i] = s2 * (1 + SQRT5 * r + (5 / 3) * r2) * e;
      // ∂k/∂q_k = −(5/3) s² (1 + √5 r) e^{−√5 r} (q_k − x_k)/ℓ_k²; the common factor is stored.
      dkdr[i] = -(5 / 3) * s2 * (1 + SQRT5 * r) * e;
      mean += kvec[i]! * alpha[i]!;
    }
    solveLower(l, n, kvec, v, stride);
    let vv = 0;
    for (let i = 0; i < n; i++) vv += v[i]! * v[i]!;
    const variance = Math.max(s2 - vv, 1e-12 * s2);
    if (gradMean !== undefined || gradVar !== undefined) {
      if (gradVar !== undefined) solveLowerTranspose(l, n, v, w, stride);
      gradMean?.fill(0);
      gradVar?.fill(0);
      for (let i = 0; i < n; i++) {
        const ri = i * d;
        const cm = dkdr[i]! * alpha[i]!;
        const cv = gradVar !== undefined ? -2 * dkdr[i]! * w[i]! : 0;
        for (let k = 0; k < d; k++) {
          const diff = (q[k]! - x[ri + k]!) * inv2[k]!;
          if (gradMean !== undefined) gradMean[k] = gradMean[k]! + cm * diff;
          if (gradVar !== undefined) gradVar[k] = gradVar[k]! + cv * diff;
        }
      }
      if (gradVar !== undefined && s2 - vv <= 1e-12 * s2) gradVar.fill(0);
    }
    return { mean, variance };
  };

  const meanOnly = (q: ArrayLike<number>): number => {
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = q[k]! - x[ri + k]!;
        r2 += t * t * inv2[k]!;
      }
      mean += s2 * matern52(Math.sqrt(r2)) * alpha[i]!;
    }
    return mean;
  };

  const append = (q: ArrayLike<number>, yq: number, noise: number): GpModel => {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const ri = i * d;
      let r2 = 0;
      for (let k = 0; k < d; k++) {
        const t = q[k]! - x[ri + k]!;
        r2 += t * t * inv2[k]!;
      }
      col[i] = s2 * matern52(Math.sqrt(r2));
    }
    const diag = s2 + hyper.noise + noise + jitter;
    const dense = stride === n ? l : compact(l, n, stride);
    const l2 = choleskyAppend(dense, n, col, diag, 1e-10 * s2);
    const x2 = new Float64Array((n + 1) * d);
    x2.set(x);
    for (let k = 0; k < d; k++) x2[n * d + k] = q[k]!;
    const y2 = new Float64Array(n + 1);
    y2.set(data.y);
    y2[n] = yq;
    const kn2 = new Float64Array(n + 1);
    kn2.set(data.knownNoise);
    kn2[n] = noise;
    return buildModel({ x: x2, n: n + 1, d, y: y2, knownNoise: kn2 }, hyper, l2, jitter);
  };

  return { data, hyper, jitter, predict, mean: meanOnly, append };
}

/** A dense n×n copy of a factor stored with a longer row stride. */
function compact(l: Float64Array, n: number, stride: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out.set(l.subarray(i * stride, i * stride + i + 1), i * n);
  return out;
}
