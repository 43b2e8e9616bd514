/**
 * Dense Cholesky factorization on row-major Float64Array matrices.
 *
 * Hand-written because the GP hot path factorizes many small/medium matrices and a plain loop over
 * a flat typed array is markedly faster than a general matrix library.
 */

/** Result of {@link choleskyJitter}: the lower factor and the diagonal jitter that made it work. */
export interface CholeskyResult {
  /** Lower-triangular factor L (row-major n×n, upper part zero) with L Lᵀ = A + jitter·I. */
  readonly l: Float64Array;
  /** Diagonal jitter that was added (0 when A factorized as given). */
  readonly jitter: number;
}

/**
 * Factorizes the symmetric matrix `a` (row-major n×n, only the lower triangle is read) into `out`.
 * Returns false (leaving `out` partially written) when a pivot is not positive or not finite.
 */
export function choleskyInto(a: Float64Array, n: number, out: Float64Array, jitter = 0): boolean {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j]!;
      if (i === j) s += jitter;
      for (let k = 0; k < j; k++) s -= out[ri + k]! * out[rj + k]!;
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return false;
        out[ri + i] = Math.sqrt(s);
      } else {
        out[ri + j] = s / out[rj + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) out[ri + j] = 0;
  }
  return true;
}

/**
 * Cholesky with an adaptive jitter ladder: tries A, then A + ε·I with ε growing tenfold from
 * `1e-10 · mean(diag)` up to `maxRelativeJitter · mean(diag)`. Near-duplicate observations make
 * GP kernel matrices numerically singular; a little jitter is far better than failing the suggestion.
 * Returns null only when even the largest jitter fails (e.g. NaN entries).
 */
export function choleskyJitter(
  a: Float64Array,
  n: number,
  maxRelativeJitter = 1e-2,
): CholeskyResult | null {
  const l = new Float64Array(n * n);
  if (choleskyInto(a, n, l, 0)) return { l, jitter: 0 };
  let meanDiag = 0;
  for (let i = 0; i < n; i++) meanDiag += Math.abs(a[i * n + i]!);
  meanDiag = n > 0 ? meanDiag / n : 1;
  if (!(meanDiag > 0) || !Number.isFinite(meanDiag)) meanDiag = 1;
  for (let rel = 1e-10; rel <= maxRelativeJitter * 1.0001; rel *= 10) {
    const jitter = rel * meanDiag;
    if (choleskyInto(a, n, l, jitter)) return { l, jitter };
  }
  return null;
}

/** log det(A) from its Cholesky factor: 2 Σ log Lᵢᵢ. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]!);
  return 2 * s;
}
