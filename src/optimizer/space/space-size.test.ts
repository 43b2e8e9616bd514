import { describe, expect, test } from 'vitest';
import { discreteSpaceSize } from './space-size.ts';
import { makeCategorical, makeParameter, makeSpec } from '../../../test/support/kits/space-arbitraries.ts';

describe('discreteSpaceSize', () => {
  test('products of value counts, Infinity with a free double', () => {
    const spec = makeSpec({
      parameters: [
        makeParameter('i', { type: 'int', bounds: { min: -1, max: 1 } }),
        makeCategorical('k', ['a', 'b', 'c'], ['c']),
        makeParameter('g', { grid: [1, 2, 3, 4], bounds: { min: 1, max: 4 } }),
        makeParameter('gone', { deleted: true }),
      ],
    });
    expect(discreteSpaceSize(spec)).toBe(3 * 2 * 4);
    expect(discreteSpaceSize(makeSpec())).toBe(Number.POSITIVE_INFINITY);
  });

  test('sums over conditional branches', () => {
    const spec = makeSpec({
      parameters: [
        makeParameter('i', { type: 'int', bounds: { min: 0, max: 9 }, conditions: { m: ['a'] } }),
        makeCategorical('k', ['x', 'y'], [], { conditions: { m: ['b'] } }),
        makeParameter('d', { conditions: { m: ['c'] } }),
      ],
      conditionals: [{ name: 'm', values: ['a', 'b'] }],
    });
    expect(discreteSpaceSize(spec)).toBe(10 + 2);
  });

  test('doubles with precision are finite away from 0', () => {
    const p = (min: number, max: number, precision: number) =>
      discreteSpaceSize(makeSpec({ parameters: [makeParameter('d', { bounds: { min, max }, precision })] }));
    expect(p(1, 2, 1)).toBe(2 + 2); // 1, 2 (+ both bounds as an upper bound)
    expect(p(0.5, 2, 1)).toBe(5 + 2 + 2); // 0.5…0.9, 1, 2
    expect(p(-2, -1, 2)).toBe(11 + 2); // −1.0…−2.0 in steps of 0.1, plus both bounds
    expect(p(-1, 1, 3)).toBe(Number.POSITIVE_INFINITY);
  });
});
