/**
 * A Cholesky factor that grows one row at a time in O(n²) (optimizer-notes §17): the state behind
 * incremental GP updates, where each new observation is appended instead of refactorizing.
 *
 * Storage is row-major lower-triangular with a fixed row stride (`capacity`), so appending a row
 * never moves the old ones; when the capacity is exceeded the buffer doubles.
 */

import { solveLower } from './triangular.ts';

/** What one append computed: the new row l = L⁻¹k (length n) and its pivot. */
export interface AppendedRow {
  /** L⁻¹ k for the new column k; a view into the factor's new row (valid until the next append). */
  readonly l: Float64Array;
  /** The new diagonal entry √(a − lᵀl), floored at √minPivot. */
  readonly pivot: number;
  /** Whether the floor was needed (the new point nearly duplicates old ones). */
  readonly clamped: boolean;
}

/** A lower-triangular factor L with L Lᵀ = A that can be extended by one bordered row at a time. */
export class GrowingCholesky {
  private data: Float64Array;
  private cap: number;
  private size = 0;

  constructor(capacity = 16) {
    this.cap = Math.max(1, Math.floor(capacity));
    this.data = new Float64Array(this.cap * this.cap);
  }

  /** The factor of a full matrix factor `l` (row-major n×n), copied. */
  static fromDense(l: Float64Array, n: number, capacity = n): GrowingCholesky {
    const f = new GrowingCholesky(Math.max(n, capacity));
    for (let i = 0; i < n; i++) f.data.set(l.subarray(i * n, i * n + i + 1), i * f.cap);
    f.size = n;
    return f;
  }

  /** Current order n. */
  get n(): number {
    return this.size;
  }

  /** Row stride of {@link raw}. */
  get stride(): number {
    return this.cap;
  }

  /** The storage (row i starts at i·stride); read-only for callers. */
  get raw(): Float64Array {
    return this.data;
  }

  /**
   * Appends the row of a new variable with covariance column `col` (length n, against the current
   * variables) and variance `diag`. Pivots below `minPivot` are raised to it: the tiny per-entry
   * jitter that keeps near-duplicates factorizable.
   */
  append(col: ArrayLike<number>, diag: number, minPivot: number): AppendedRow {
    const n = this.size;
    if (n + 1 > this.cap) this.grow(Math.max(2 * this.cap, n + 1));
    const s = this.cap;
    const d = this.data;
    const rn = n * s;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const ri = i * s;
      let v = col[i]!;
      for (let k = 0; k < i; k++) v -= d[ri + k]! * d[rn + k]!;
      v /= d[ri + i]!;
      d[rn + i] = v;
      sq += v * v;
    }
    const p = diag - sq;
    const clamped = !(p > minPivot);
    const pivot = Math.sqrt(clamped ? minPivot : p);
    d[rn + n] = pivot;
    this.size = n + 1;
    return { l: d.subarray(rn, rn + n), pivot, clamped };
  }

  /** Forgets rows from `n` on (fantasies appended on top of real rows are dropped this way). */
  truncate(n: number): void {
    this.size = Math.max(0, Math.min(this.size, Math.floor(n)));
  }

  /** Solves L x = b (b of length n) by forward substitution; writes into `out` and returns it. */
  solveLower(b: ArrayLike<number>, out: Float64Array = new Float64Array(this.size)): Float64Array {
    return solveLower(this.data, this.size, b, out, this.cap);
  }

  /** A dense row-major n×n copy (stride n), for code written against plain factors. */
  toDense(): Float64Array {
    const n = this.size;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) out.set(this.data.subarray(i * this.cap, i * this.cap + i + 1), i * n);
    return out;
  }

  /** An independent copy (same capacity). */
  clone(): GrowingCholesky {
    const f = new GrowingCholesky(this.cap);
    f.data.set(this.data.subarray(0, this.size * this.cap));
    f.size = this.size;
    return f;
  }

  /** Bytes held (memory accounting of warm models). */
  get bytes(): number {
    return this.data.byteLength;
  }

  private grow(capacity: number): void {
    const next = new Float64Array(capacity * capacity);
    for (let i = 0; i < this.size; i++) next.set(this.data.subarray(i * this.cap, i * this.cap + i + 1), i * capacity);
    this.data = next;
    this.cap = capacity;
  }
}
