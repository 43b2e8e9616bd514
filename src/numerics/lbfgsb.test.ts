import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { minimizeBox } from './lbfgsb.ts';

describe('minimizeBox', () => {
  test('finds the Rosenbrock minimum inside a box', () => {
    const res = minimizeBox(
      (x, g) => {
        const a = x[0]!;
        const b = x[1]!;
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      [-1.2, 1],
      { lower: [-2, -2], upper: [2, 2], maxIterations: 500, pgtol: 1e-9, ftol: 0 },
    );
    expect(res.x[0]).toBeCloseTo(1, 4);
    expect(res.x[1]).toBeCloseTo(1, 4);
  });

  test('bounded quadratic: solution is the projection of the unconstrained minimum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true })), { minLength: 1, maxLength: 8 }),
        (terms) => {
          const n = terms.length;
          const res = minimizeBox(
            (x, g) => {
              let f = 0;
              for (let i = 0; i < n; i++) {
                const [c, w] = terms[i]!;
                f += w * (x[i]! - c) ** 2;
                g[i] = 2 * w * (x[i]! - c);
              }
              return f;
            },
            new Float64Array(n).fill(0.5),
            { lower: new Float64Array(n).fill(-1), upper: new Float64Array(n).fill(1), maxIterations: 200, ftol: 0, pgtol: 1e-10 },
          );
          for (let i = 0; i < n; i++) {
            const target = Math.min(1, Math.max(-1, terms[i]![0]));
            expect(res.x[i]).toBeCloseTo(target, 5);
          }
        },
      ),
    );
  });

  test('never leaves the box and tolerates non-finite objective values', () => {
    const res = minimizeBox(
      (x, g) => {
        g[0] = -1;
        return x[0]! > 0.7 ? NaN : -x[0]!;
      },
      [0],
      { lower: [0], upper: [1] },
    );
    expect(res.x[0]).toBeGreaterThanOrEqual(0);
    expect(res.x[0]).toBeLessThanOrEqual(0.7);
    expect(Number.isFinite(res.f)).toBe(true);
  });
});
