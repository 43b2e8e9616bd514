import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { normalCdf } from '../../numerics/normal.ts';
import { regularizedIncompleteBeta } from '../../numerics/incomplete-beta.ts';
import { makeCategorical, makeParameter } from '../../../test/support/kits/space-arbitraries.ts';
import { valueFromUnit } from './value-from-unit.ts';

const grid = (n: number): number[] => Array.from({ length: n }, (_, i) => (i + 0.5) / n);

describe('valueFromUnit', () => {
  test('categoricals: active values in enum_index order, equal shares', () => {
    const p = makeCategorical('k', ['a', 'b', 'c', 'd'], ['b']);
    expect(grid(6).map((u) => valueFromUnit(p, u))).toEqual(['a', 'a', 'c', 'c', 'd', 'd']);
  });

  test('grids and ints: equal shares, both ends reachable', () => {
    const g = makeParameter('g', { grid: [1, 10, 100], transformation: 'log', bounds: { min: 1, max: 100 } });
    expect(grid(3).map((u) => valueFromUnit(g, u))).toEqual([1, 10, 100]);
    const i = makeParameter('i', { type: 'int', bounds: { min: -2, max: 2 } });
    expect(grid(5).map((u) => valueFromUnit(i, u))).toEqual([-2, -1, 0, 1, 2]);
    expect(valueFromUnit(i, 0.9999999999999999)).toBe(2);
  });

  test('doubles: linear, log-uniform, clamped inputs', () => {
    const d = makeParameter('d', { bounds: { min: -1, max: 3 } });
    expect(valueFromUnit(d, 0.25)).toBe(0);
    expect(valueFromUnit(d, -5)).toBe(-1);
    expect(valueFromUnit(d, 2)).toBeLessThanOrEqual(3);
    const l = makeParameter('l', { bounds: { min: 1e-4, max: 1 }, transformation: 'log' });
    expect(valueFromUnit(l, 0.5)).toBeCloseTo(1e-2, 12);
  });

  test('normal prior: quantiles of the normal truncated to the bounds', () => {
    const p = makeParameter('p', { bounds: { min: 0, max: 10 }, prior: { name: 'normal', mean: 2, scale: 1 } });
    const mass = normalCdf(8) - normalCdf(-2);
    for (const u of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      const x = valueFromUnit(p, u) as number;
      expect((normalCdf(x - 2) - normalCdf(-2)) / mass).toBeCloseTo(u, 9);
    }
    expect(valueFromUnit(p, 0.5, false)).toBe(5); // priors can be switched off
  });

  test('normal prior with a tiny scale at a bound stays accurate', () => {
    const p = makeParameter('p', { bounds: { min: 0, max: 1 }, prior: { name: 'normal', mean: 0, scale: 1e-6 } });
    expect(valueFromUnit(p, 0.5) as number).toBeCloseTo(0.6744897501960817e-6, 15);
  });

  test('beta prior: quantiles of the beta rescaled to the bounds', () => {
    const p = makeParameter('p', { bounds: { min: -1, max: 1 }, prior: { name: 'beta', shapeA: 2, shapeB: 5 } });
    for (const u of [0.05, 0.5, 0.95]) {
      const x = valueFromUnit(p, u) as number;
      expect(regularizedIncompleteBeta((x + 1) / 2, 2, 5)).toBeCloseTo(u, 9);
    }
  });

  test('numeric values are monotone in u and within bounds (property)', () => {
    const param = fc.constantFrom(
      makeParameter('a', { bounds: { min: -3, max: 7 } }),
      makeParameter('b', { bounds: { min: 0.001, max: 1000 }, transformation: 'log' }),
      makeParameter('c', { type: 'int', bounds: { min: -3, max: 7 } }),
      makeParameter('d', { bounds: { min: -3, max: 7 }, prior: { name: 'normal', mean: 6.9, scale: 0.01 } }),
      makeParameter('e', { bounds: { min: -3, max: 7 }, prior: { name: 'beta', shapeA: 0.2, shapeB: 0.3 } }),
    );
    const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
    fc.assert(
      fc.property(param, unit, unit, (p, u, v) => {
        const x = valueFromUnit(p, Math.min(u, v)) as number;
        const y = valueFromUnit(p, Math.max(u, v)) as number;
        expect(x).toBeLessThanOrEqual(y);
        expect(x).toBeGreaterThanOrEqual(p.bounds?.min ?? 0);
        expect(y).toBeLessThanOrEqual(p.bounds?.max ?? 0);
      }),
    );
  });
});
