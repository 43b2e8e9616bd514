import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createSuccessModel } from './success-probability.ts';

describe('success probability', () => {
  const x = Float64Array.from([0.1, 0.1, 0.15, 0.2, 0.9, 0.9, 0.8, 0.85, 0.5, 0.5]);
  const success = Uint8Array.from([0, 0, 1, 1, 1]);
  const model = createSuccessModel(x, success, 5, 2, [0.2, 0.2])!;

  test('low next to failures, high next to successes, none without failures', () => {
    expect(model.logProbability([0.12, 0.14])).toBeLessThan(Math.log(0.4));
    expect(model.logProbability([0.88, 0.88])).toBeGreaterThan(Math.log(0.8));
    expect(createSuccessModel(x, Uint8Array.from([1, 1, 1, 1, 1]), 5, 2, [0.2, 0.2])).toBeNull();
  });

  test('ln p ≤ 0 and its gradient matches finite differences', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const g = new Float64Array(2);
        const v = model.logProbability([a, b], g);
        expect(v).toBeLessThanOrEqual(1e-12);
        const h = 1e-6;
        const fd0 = (model.logProbability([a + h, b]) - model.logProbability([a - h, b])) / (2 * h);
        const fd1 = (model.logProbability([a, b + h]) - model.logProbability([a, b - h])) / (2 * h);
        expect(g[0]).toBeCloseTo(fd0, 4);
        expect(g[1]).toBeCloseTo(fd1, 4);
      }),
    );
  });
});
