/**
 * A GP conditioned incrementally at fixed hyperparameters (optimizer-notes §17): the factor of
 * K + Σ grows by one row per observation in O(n²), and the whitened targets z = L⁻¹ỹ by one entry
 * in O(n). Posterior mean μ(q) = k(q)ᵀL⁻ᵀz and variance s² − ‖L⁻¹k(q)‖² follow from (L, z).
 * Rows appended past `realN` are fantasies (pending points) and are dropped with {@link dropFantasies}.
 */

import { choleskyJitter } from '../numerics/cholesky.ts';
import { solveLowerTranspose } from '../numerics/triangular.ts';
import { GrowingCholesky } from '../numerics/growing-cholesky.ts';
import { gpFromFactor, kernelMatrix, maternCovariance, type GpData, type GpHyperparameters, type GpModel } from './gp.ts';

/** What one append changed, for the candidate set's posterior update. */
export interface GpAppendStep {
  /** The appended input (length D). */
  readonly x: Float64Array;
  /** L⁻¹k(X, x) against the rows before the append (length n; a view valid until the next append). */
  readonly l: Float64Array;
  readonly pivot: number;
  /** The new whitened target (ỹ − lᵀz) / pivot. */
  readonly zNew: number;
}

/** Relative pivot floor of appends: a near-duplicate point gets this much jitter on its own entry. */
const MIN_PIVOT = 1e-10;

/** See the module comment. */
export class IncrementalGp {
  readonly d: number;
  readonly hyper: GpHyperparameters;
  /** Diagonal jitter the initial factorization needed; appends use the same. */
  readonly jitter: number;
  private readonly inv2: Float64Array;
  private factor: GrowingCholesky;
  private xs: Float64Array;
  private ys: Float64Array;
  private noises: Float64Array;
  private zs: Float64Array;
  private real = 0;
  private snapshot: GpModel | null = null;

  private constructor(d: number, hyper: GpHyperparameters, jitter: number, factor: GrowingCholesky) {
    this.d = d;
    this.hyper = hyper;
    this.jitter = jitter;
    this.factor = factor;
    this.inv2 = Float64Array.from(hyper.lengthscales, (l) => 1 / (l * l));
    const cap = Math.max(16, factor.stride);
    this.xs = new Float64Array(cap * d);
    this.ys = new Float64Array(cap);
    this.noises = new Float64Array(cap);
    this.zs = new Float64Array(cap);
  }

  /** Conditions on `data` from scratch (the jitter ladder of fitGp); null when even that fails. */
  static fit(data: GpData, hyper: GpHyperparameters, capacity = data.n + 16): IncrementalGp | null {
    const { n, d } = data;
    const chol = choleskyJitter(kernelMatrix(data, hyper), n, 1e-3);
    if (chol === null) return null;
    const gp = new IncrementalGp(d, hyper, chol.jitter, GrowingCholesky.fromDense(chol.l, n, Math.max(capacity, n)));
    gp.ensure(Math.max(capacity, n));
    gp.xs.set(data.x.subarray(0, n * d));
    gp.ys.set(data.y.subarray(0, n));
    gp.noises.set(data.knownNoise.subarray(0, n));
    gp.factor.solveLower(data.y, gp.zs);
    gp.real = n;
    return gp;
  }

  /** Rows in the factor (real observations plus any fantasies). */
  get n(): number {
    return this.factor.n;
  }

  /** Real (non-fantasy) rows. */
  get realN(): number {
    return this.real;
  }

  /** The whitened targets z (length n; a view). */
  get z(): Float64Array {
    return this.zs.subarray(0, this.factor.n);
  }

  /** Encoded inputs, row-major n×D (a view). */
  get x(): Float64Array {
    return this.xs.subarray(0, this.factor.n * this.d);
  }

  /** The factor (read by the candidate set's solves). */
  get cholesky(): GrowingCholesky {
    return this.factor;
  }

  /** k(q, X) for every row into `out` (length ≥ n). */
  kernelColumn(q: ArrayLike<number>, out: Float64Array, qi = 0): Float64Array {
    const n = this.factor.n;
    for (let i = 0; i < n; i++) out[i] = maternCovariance(q, qi, this.xs, i * this.d, this.d, this.inv2, this.hyper.signal);
    return out;
  }

  /** k(a, b) between two encoded points. */
  covariance(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number): number {
    return maternCovariance(a, ai, b, bi, this.d, this.inv2, this.hyper.signal);
  }

  /**
   * Appends an observation (or, with `fantasy`, a pending point) at target `y` with known noise
   * variance `knownNoise`. Real rows may not follow fantasies: drop those first.
   */
  append(x: ArrayLike<number>, y: number, knownNoise: number, fantasy = false): GpAppendStep {
    const n = this.factor.n;
    if (!fantasy && n !== this.real) throw new Error('IncrementalGp: drop fantasies before appending observations');
    this.ensure(n + 1);
    const d = this.d;
    const row = new Float64Array(d);
    for (let k = 0; k < d; k++) row[k] = x[k]!;
    const col = this.kernelColumn(row, new Float64Array(n));
    const s2 = this.hyper.signal;
    const step = this.factor.append(col, s2 + this.hyper.noise + knownNoise + this.jitter, MIN_PIVOT * s2);
    let lz = 0;
    for (let i = 0; i < n; i++) lz += step.l[i]! * this.zs[i]!;
    const zNew = (y - lz) / step.pivot;
    this.xs.set(row, n * d);
    this.ys[n] = y;
    this.noises[n] = knownNoise;
    this.zs[n] = zNew;
    if (!fantasy) this.real = n + 1;
    this.snapshot = null;
    return { x: row, l: step.l, pivot: step.pivot, zNew };
  }

  /** Drops every fantasy row. */
  dropFantasies(): void {
    if (this.factor.n === this.real) return;
    this.factor.truncate(this.real);
    this.snapshot = null;
  }

  /** Posterior mean at q: Σ k(q, xᵢ) αᵢ through the snapshot model (O(n·D) once α is known). */
  mean(q: ArrayLike<number>): number {
    return this.model().mean(q);
  }

  /**
   * A plain {@link GpModel} of the current rows (real and fantasy) for gradient-based polishing and
   * further fantasies; built once per state in O(n²).
   */
  model(): GpModel {
    if (this.snapshot === null) {
      const n = this.factor.n;
      const data: GpData = {
        x: this.xs.slice(0, n * this.d),
        n,
        d: this.d,
        y: this.ys.slice(0, n),
        knownNoise: this.noises.slice(0, n),
      };
      // The factor's own storage (rows with a longer stride): no copy. Valid until the next append,
      // which also drops this snapshot.
      this.snapshot = gpFromFactor(data, this.hyper, this.factor.raw, this.jitter, this.factor.stride);
    }
    return this.snapshot;
  }

  /**
   * The posterior mean at every row in O(n²) without kernel evaluations: with K_y = K_f + D
   * (D = model noise + known noise + jitter on the diagonal) and α = K_y⁻¹ỹ, μ(X) = K_f α = ỹ − Dα.
   */
  meansAtRows(): Float64Array {
    const n = this.factor.n;
    const alpha = solveLowerTranspose(this.factor.raw, n, this.zs.subarray(0, n), new Float64Array(n), this.factor.stride);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.ys[i]! - (this.hyper.noise + this.noises[i]! + this.jitter) * alpha[i]!;
    return out;
  }

  /** The training data as plain arrays (rebuild checks, tests). */
  data(): GpData {
    const n = this.factor.n;
    return { x: this.xs.slice(0, n * this.d), n, d: this.d, y: this.ys.slice(0, n), knownNoise: this.noises.slice(0, n) };
  }

  /** Approximate bytes held (warm-model memory accounting). */
  get bytes(): number {
    return this.factor.bytes + this.xs.byteLength + this.ys.byteLength * 3;
  }

  private ensure(capacity: number): void {
    if (capacity <= this.ys.length) return;
    const cap = Math.max(capacity, 2 * this.ys.length);
    const grow = (a: Float64Array, size: number) => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.xs = grow(this.xs, cap * this.d);
    this.ys = grow(this.ys, cap);
    this.noises = grow(this.noises, cap);
    this.zs = grow(this.zs, cap);
  }
}
