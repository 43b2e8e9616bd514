import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../numerics/rng.ts';
import { standardizeTargets } from './metric-targets.ts';
import { fitYeoJohnsonLambda, warpTargets, yeoJohnson } from './output-warping.ts';

describe('output warping', () => {
  test('the transform is strictly increasing for every λ', () => {
    fc.assert(
      fc.property(fc.double({ min: -2, max: 3, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 1e-3, max: 10, noNaN: true }), (lambda, y, dy) => {
        expect(yeoJohnson(y + dy, lambda)).toBeGreaterThan(yeoJohnson(y, lambda));
      }),
    );
  });

  test('warped targets keep the order of the inputs', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 6, maxLength: 40 }), (values) => {
        const raw = Float64Array.from(values);
        const t = standardizeTargets(raw, new Float64Array(raw.length));
        const w = warpTargets(t);
        for (let i = 0; i < raw.length; i++) {
          for (let j = 0; j < raw.length; j++) if (t.y[i]! < t.y[j]! - 1e-9) expect(w.y[i]!).toBeLessThanOrEqual(w.y[j]!);
        }
      }),
      { numRuns: 50 },
    );
  });

  test('Gaussian targets are left nearly alone; a heavy right tail is compressed', () => {
    const rng = createRng(3);
    const gauss = Float64Array.from({ length: 200 }, () => rng.normal());
    expect(Math.abs(fitYeoJohnsonLambda(gauss) - 1)).toBeLessThan(0.35);
    // Log-normal-like values (Goldstein-Price-style ranges) call for a strong compression.
    const heavy = Float64Array.from({ length: 200 }, () => Math.exp(2.5 * rng.normal()));
    const t = standardizeTargets(heavy, new Float64Array(200));
    const w = warpTargets(t);
    expect(w.lambda).toBeLessThan(0.5);
    // The best 10 % now span a visible part of the standardized scale.
    const sorted = [...w.y].sort((a, b) => a - b);
    const sortedRaw = [...t.y].sort((a, b) => a - b);
    expect(sorted[20]! - sorted[0]!).toBeGreaterThan(5 * (sortedRaw[20]! - sortedRaw[0]!));
  });
});
