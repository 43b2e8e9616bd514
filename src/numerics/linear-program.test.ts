import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { type LinearProgram, solveLinearProgram } from './linear-program.ts';

function optimal(lp: LinearProgram): { x: number[]; value: number } {
  const r = solveLinearProgram(lp);
  if (r.status !== 'optimal') throw new Error(`expected optimal, got ${r.status}`);
  return { x: [...r.x], value: r.value };
}

describe('solveLinearProgram', () => {
  test('textbook LP (Hillier & Lieberman Wyndor): max 3x + 5y', () => {
    const r = optimal({ objective: [3, 5], a: [[1, 0], [0, 2], [3, 2]], b: [4, 12, 18] });
    expect(r.value).toBeCloseTo(36, 10);
    expect(r.x[0]).toBeCloseTo(2, 10);
    expect(r.x[1]).toBeCloseTo(6, 10);
  });

  test("Beale's cycling example terminates with Bland's rule (optimum 5/4)", () => {
    const r = optimal({
      objective: [0.75, -20, 0.5, -6],
      a: [
        [0.25, -8, -1, 9],
        [0.5, -12, -0.5, 3],
        [0, 0, 1, 0],
      ],
      b: [0, 0, 1],
    });
    expect(r.value).toBeCloseTo(1.25, 12);
    expect(r.x).toEqual([1, 0, 1, 0].map((v) => expect.closeTo(v, 12)));
  });

  test("Chvátal's cycling example terminates (optimum 1)", () => {
    const r = optimal({
      objective: [10, -57, -9, -24],
      a: [
        [0.5, -5.5, -2.5, 9],
        [0.5, -1.5, -0.5, 1],
        [1, 0, 0, 0],
      ],
      b: [0, 0, 1],
    });
    expect(r.value).toBeCloseTo(1, 12);
  });

  test('needs phase 1: x + y ≥ 2 (as −x − y ≤ −2), minimize x + 2y', () => {
    const r = optimal({ objective: [-1, -2], a: [[-1, -1]], b: [-2] });
    expect(r.value).toBeCloseTo(-2, 12);
    expect(r.x).toEqual([expect.closeTo(2, 12), expect.closeTo(0, 12)]);
  });

  test('free and negative-bounded variables', () => {
    // max x + y, x free, y ∈ [−5, −1], x − y ≤ 3 → y = −1, x = 2.
    const r = optimal({
      objective: [1, 1],
      a: [[1, -1]],
      b: [3],
      lower: [Number.NEGATIVE_INFINITY, -5],
      upper: [Number.POSITIVE_INFINITY, -1],
    });
    expect(r.value).toBeCloseTo(1, 12);
    // max −x with x ≤ 4 upper only: unbounded below → unbounded.
    expect(
      solveLinearProgram({
        objective: [-1],
        a: [],
        b: [],
        lower: [Number.NEGATIVE_INFINITY],
        upper: [4],
      }).status,
    ).toBe('unbounded');
    // max x with x ≤ 4 upper only → 4.
    expect(
      optimal({ objective: [1], a: [], b: [], lower: [Number.NEGATIVE_INFINITY], upper: [4] }).value,
    ).toBeCloseTo(4, 12);
  });

  test('detects infeasible and unbounded problems', () => {
    expect(solveLinearProgram({ objective: [1], a: [[1], [-1]], b: [1, -2] }).status).toBe('infeasible');
    expect(solveLinearProgram({ objective: [1], a: [], b: [], lower: [2], upper: [1] }).status).toBe(
      'infeasible',
    );
    expect(solveLinearProgram({ objective: [1, 1], a: [[1, -1]], b: [1] }).status).toBe('unbounded');
    expect(solveLinearProgram({ objective: [0], a: [[0]], b: [-1] }).status).toBe('infeasible');
  });

  test('equality through two inequalities and redundant rows', () => {
    // x + y = 3 (twice), x ≤ 1 → max y = 3 at x = 0.
    const r = optimal({
      objective: [0, 1],
      a: [[1, 1], [-1, -1], [2, 2], [-2, -2], [1, 0]],
      b: [3, -3, 6, -6, 1],
    });
    expect(r.value).toBeCloseTo(3, 10);
    expect((r.x[0] ?? 0) + (r.x[1] ?? 0)).toBeCloseTo(3, 10);
  });

  test('matches vertex enumeration on random 2-D boxes with half-planes (property)', () => {
    const coef = fc.integer({ min: -5, max: 5 });
    const row = fc.tuple(coef, coef, fc.integer({ min: -10, max: 10 }));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 5 }), coef, coef, (rows, c0, c1) => {
        const lower = [-3, -2];
        const upper = [4, 5];
        const lp: LinearProgram = {
          objective: [c0, c1],
          a: rows.map(([p, q]) => [p, q]),
          b: rows.map(([, , r]) => r),
          lower,
          upper,
        };
        const expected = bruteForce2d(lp, lower, upper);
        const r = solveLinearProgram(lp);
        if (expected === null) {
          expect(r.status).toBe('infeasible');
        } else {
          expect(r.status).toBe('optimal');
          if (r.status !== 'optimal') return;
          expect(r.value).toBeCloseTo(expected, 7);
          expect(violation(lp, [...r.x], lower, upper)).toBeLessThan(1e-8);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('is optimal against random feasible points in higher dimensions (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(
          fc.double({ min: -1, max: 1, noNaN: true }).map((v) => (Math.abs(v) < 1e-6 ? 0 : v)),
          { minLength: 100, maxLength: 100 },
        ),
        (n, m, u) => {
          let k = 0;
          const next = (): number => u[k++ % u.length] ?? 0;
          // Every row is satisfied by x0 = 0.5·1 so the problem is feasible and bounded.
          const a = Array.from({ length: m }, () => Array.from({ length: n }, next));
          const b = a.map((r) => r.reduce((s, v) => s + 0.5 * v, 0) + Math.abs(next()));
          const lp: LinearProgram = { objective: Array.from({ length: n }, next), a, b, upper: Array(n).fill(1) };
          const r = solveLinearProgram(lp);
          expect(r.status).toBe('optimal');
          if (r.status !== 'optimal') return;
          const lower = Array(n).fill(0);
          const upper = Array(n).fill(1);
          expect(violation(lp, [...r.x], lower, upper)).toBeLessThan(1e-8);
          for (let s = 0; s < 50; s++) {
            const p = Array.from({ length: n }, (_, j) => Math.abs(u[(s * 7 + j * 13) % u.length] ?? 0));
            if (violation(lp, p, lower, upper) > 0) continue;
            const v = p.reduce((acc, pj, j) => acc + (lp.objective[j] ?? 0) * pj, 0);
            expect(v).toBeLessThanOrEqual(r.value + 1e-9);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

function violation(lp: LinearProgram, x: number[], lower: number[], upper: number[]): number {
  let worst = 0;
  lp.a.forEach((row, i) => {
    const lhs = row.reduce((s, v, j) => s + v * (x[j] ?? 0), 0);
    worst = Math.max(worst, lhs - (lp.b[i] ?? 0));
  });
  x.forEach((v, j) => {
    worst = Math.max(worst, (lower[j] ?? 0) - v, v - (upper[j] ?? 0));
  });
  return worst;
}

/** Best objective over all pairwise intersections of constraint/box lines; null if none feasible. */
function bruteForce2d(lp: LinearProgram, lower: number[], upper: number[]): number | null {
  const lines: [number, number, number][] = lp.a.map((r, i) => [r[0] ?? 0, r[1] ?? 0, lp.b[i] ?? 0]);
  lines.push([1, 0, lower[0] ?? 0], [1, 0, upper[0] ?? 0], [0, 1, lower[1] ?? 0], [0, 1, upper[1] ?? 0]);
  let best: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const [a1, b1, c1] = lines[i] ?? [0, 0, 0];
      const [a2, b2, c2] = lines[j] ?? [0, 0, 0];
      const det = a1 * b2 - a2 * b1;
      if (Math.abs(det) < 1e-12) continue;
      const x = [(c1 * b2 - c2 * b1) / det, (a1 * c2 - a2 * c1) / det];
      if (violation(lp, x, lower, upper) > 1e-9) continue;
      const v = (lp.objective[0] ?? 0) * (x[0] ?? 0) + (lp.objective[1] ?? 0) * (x[1] ?? 0);
      if (best === null || v > best) best = v;
    }
  }
  return best;
}
