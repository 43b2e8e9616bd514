/**
 * Grows a Cholesky factor by one row/column in O(n²): the cheap step behind batch fantasies
 * (Kriging believer), where each chosen point is appended to the GP without refactorizing.
 */

/**
 * Given L (n×n, row-major) with L Lᵀ = A, the new column `c` = A[0..n-1, n] and the new diagonal
 * entry `d` = A[n, n], returns the (n+1)×(n+1) factor of the bordered matrix. If the new pivot is not
 * positive (the new point duplicates old ones), `minPivot` keeps the factor valid, which amounts to
 * a tiny jitter on that one diagonal entry.
 */
export function choleskyAppend(
  l: Float64Array,
  n: number,
  c: ArrayLike<number>,
  d: number,
  minPivot = 1e-9,
): Float64Array {
  const m = n + 1;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const src = i * n;
    const dst = i * m;
    for (let j = 0; j <= i; j++) out[dst + j] = l[src + j]!;
  }
  const rn = n * m;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = c[i]!;
    for (let k = 0; k < i; k++) s -= l[ri + k]! * out[rn + k]!;
    const v = s / l[ri + i]!;
    out[rn + i] = v;
    sq += v * v;
  }
  const pivot = d - sq;
  out[rn + n] = Math.sqrt(pivot > minPivot ? pivot : minPivot);
  return out;
}
