import fc from 'fast-check';
import { CholeskyDecomposition, determinant, inverse, Matrix, solve } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { choleskyJitter, logDetFromCholesky } from './cholesky.ts';
import { choleskyAppend } from './cholesky-append.ts';
import { inverseFromCholesky, solveCholesky, solveLower, solveLowerMulti, solveLowerTranspose, solveLowerTransposeMulti } from './triangular.ts';

/** A random SPD matrix B Bᵀ + n·I from a flat list of entries. */
function spd(n: number, entries: number[]): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += entries[i * n + k]! * entries[j * n + k]!;
      a[i * n + j] = s;
    }
  return a;
}

const spdArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((e) => ({ n, a: spd(n, e) })),
);

function toMatrix(a: Float64Array, n: number): Matrix {
  return new Matrix(Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, i * n + n))));
}

describe('cholesky', () => {
  test('matches ml-matrix and reconstructs A', () => {
    fc.assert(
      fc.property(spdArb, ({ n, a }) => {
        const res = choleskyJitter(a, n);
        expect(res).not.toBeNull();
        expect(res!.jitter).toBe(0);
        const oracle = new CholeskyDecomposition(toMatrix(a, n)).lowerTriangularMatrix;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) expect(res!.l[i * n + j]).toBeCloseTo(oracle.get(i, j), 9);
      }),
    );
  });

  test('log-determinant matches ml-matrix determinant', () => {
    fc.assert(
      fc.property(spdArb, ({ n, a }) => {
        const res = choleskyJitter(a, n)!;
        const det = determinant(toMatrix(a, n));
        expect(logDetFromCholesky(res.l, n)).toBeCloseTo(Math.log(det), 8);
      }),
    );
  });

  test('singular matrix is rescued by jitter; NaN gives null', () => {
    const n = 3;
    const a = new Float64Array([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const res = choleskyJitter(a, n);
    expect(res).not.toBeNull();
    expect(res!.jitter).toBeGreaterThan(0);
    expect(res!.jitter).toBeLessThan(0.02);
    expect(choleskyJitter(new Float64Array([NaN]), 1)).toBeNull();
  });

  test('triangular solves (vector and multi-RHS) and inverse agree with ml-matrix', () => {
    fc.assert(
      fc.property(spdArb, fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 18, maxLength: 18 }), ({ n, a }, bRaw) => {
        const { l } = choleskyJitter(a, n)!;
        const b = Float64Array.from(bRaw.slice(0, n));
        const x = solveCholesky(l, n, b);
        const oracle = solve(toMatrix(a, n), Matrix.columnVector(Array.from(b)));
        for (let i = 0; i < n; i++) expect(x[i]).toBeCloseTo(oracle.get(i, 0), 7);
        const y = solveLower(l, n, b);
        const z = solveLowerTranspose(l, n, b);
        const bm = new Float64Array(n * 2);
        for (let i = 0; i < n; i++) {
          bm[i * 2] = b[i]!;
          bm[i * 2 + 1] = bRaw[n + i]!;
        }
        const ym = solveLowerMulti(l, n, bm, 2);
        const zm = solveLowerTransposeMulti(l, n, bm, 2);
        for (let i = 0; i < n; i++) {
          expect(ym[i * 2]).toBeCloseTo(y[i]!, 10);
          expect(zm[i * 2]).toBeCloseTo(z[i]!, 10);
        }
        const inv = inverseFromCholesky(l, n);
        const invOracle = inverse(toMatrix(a, n));
        for (let i = 0; i < n * n; i++) expect(inv[i]).toBeCloseTo(invOracle.get(Math.floor(i / n), i % n), 7);
      }),
    );
  });

  test('append-row update equals the factor of the bordered matrix', () => {
    fc.assert(
      fc.property(spdArb, ({ n, a }) => {
        if (n < 2) return;
        const m = n - 1;
        const sub = new Float64Array(m * m);
        for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) sub[i * m + j] = a[i * n + j]!;
        const lSub = choleskyJitter(sub, m)!.l;
        const col = Array.from({ length: m }, (_, i) => a[i * n + m]!);
        const grown = choleskyAppend(lSub, m, col, a[m * n + m]!);
        const full = choleskyJitter(a, n)!.l;
        for (let i = 0; i < n * n; i++) expect(grown[i]).toBeCloseTo(full[i]!, 8);
      }),
    );
  });
});
