/**
 * Triangular solves against a row-major lower-triangular factor L (as produced by the Cholesky
 * routines). "Transpose" solves use Lᵀ without materializing it.
 */

/**
 * Solves L x = b (forward substitution). Writes into `out` (may alias `b`) and returns it. `stride`
 * is the row length of `l`'s storage (n for a dense factor; larger for a growing one).
 */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>, out: Float64Array = new Float64Array(n), stride = n): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * stride;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * out[k]!;
    out[i] = s / l[ri + i]!;
  }
  return out;
}

/** Solves Lᵀ x = b (back substitution with the transpose). Writes into `out` (may alias `b`); `stride` as in {@link solveLower}. */
export function solveLowerTranspose(l: Float64Array, n: number, b: ArrayLike<number>, out = new Float64Array(n), stride = n): Float64Array {
  if (out !== b) for (let i = 0; i < n; i++) out[i] = b[i]!;
  // Column-oriented so the inner loop walks a row of L contiguously.
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * stride;
    const xi = out[i]! / l[ri + i]!;
    out[i] = xi;
    for (let k = 0; k < i; k++) out[k] = out[k]! - l[ri + k]! * xi;
  }
  return out;
}

/** Solves (L Lᵀ) x = b, i.e. A x = b given the Cholesky factor of A. */
export function solveCholesky(l: Float64Array, n: number, b: ArrayLike<number>, out = new Float64Array(n)): Float64Array {
  solveLower(l, n, b, out);
  return solveLowerTranspose(l, n, out, out);
}

/**
 * Solves L X = B for m right-hand sides. `b` is row-major n×m; the result is row-major n×m.
 * Processing all columns per row keeps the inner loop contiguous.
 */
export function solveLowerMulti(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const x = new Float64Array(b);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const xi = i * m;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      if (lik === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) x[xi + c] = x[xi + c]! - lik * x[xk + c]!;
    }
    const d = l[ri + i]!;
    for (let c = 0; c < m; c++) x[xi + c] = x[xi + c]! / d;
  }
  return x;
}

/** Solves Lᵀ X = B for m right-hand sides (row-major n×m in and out). */
export function solveLowerTransposeMulti(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  const x = new Float64Array(b);
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    const xi = i * m;
    const d = l[ri + i]!;
    for (let c = 0; c < m; c++) x[xi + c] = x[xi + c]! / d;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k]!;
      if (lik === 0) continue;
      const xk = k * m;
      for (let c = 0; c < m; c++) x[xk + c] = x[xk + c]! - lik * x[xi + c]!;
    }
  }
  return x;
}

/**
 * A⁻¹ from the Cholesky factor of A (row-major n×n, symmetric). Needed by the marginal-likelihood
 * gradient, whose trace term uses every entry of K⁻¹.
 */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  // Linv = L⁻¹ (lower), then A⁻¹ = Linvᵀ Linv.
  const linv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    linv[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s -= l[ri + k]! * linv[k * n + j]!;
      linv[ri + j] = s / l[ri + i]!;
    }
  }
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const a = linv[rk + i]!;
      if (a === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) inv[ri + j] = inv[ri + j]! + a * linv[rk + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j]!;
  return inv;
}
