import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { inverseNormalCdf } from './inverse-normal-cdf.ts';
import { normalCdf } from './normal.ts';

describe('inverseNormalCdf', () => {
  test('matches reference quantiles (scipy.special.ndtri)', () => {
    const cases: [number, number][] = [
      [1e-300, -37.0470962993612],
      [1e-10, -6.361340902404056],
      [0.01, -2.3263478740408408],
      [0.3, -0.5244005127080409],
      [0.5, 0],
      [0.97, 1.8807936081512509],
      [0.999999999999, 7.0344869100478356],
    ];
    for (const [p, x] of cases) expect(inverseNormalCdf(p)).toBeCloseTo(x, 9);
  });

  test('edges and invalid input', () => {
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY);
    expect(inverseNormalCdf(-0.1)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });

  test('inverts normalCdf with small relative error, also deep in the lower tail (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -37, max: 5, noNaN: true }), (x) => {
        const p = normalCdf(x);
        fc.pre(p > 0 && p < 1);
        // Above 5, 1 − Φ(x) keeps too few digits in a double for any inverse to recover x.
        expect(Math.abs(inverseNormalCdf(p) - x)).toBeLessThan(1e-9 * Math.max(1, Math.abs(x)));
      }),
    );
  });
});
