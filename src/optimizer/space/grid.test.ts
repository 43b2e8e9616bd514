import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assignmentKey } from './assignment-key.ts';
import { gridPoint, gridSize } from './grid.ts';
import {
  assignmentProblems,
  experimentSpecArbitrary,
  makeCategorical,
  makeParameter,
  makeSpec,
} from '../../../test/support/kits/space-arbitraries.ts';

const spec = makeSpec({
  type: 'grid',
  parameters: [
    makeParameter('b', { grid: [10, 20, 30], bounds: { min: 10, max: 30 } }),
    makeCategorical('a', ['x', 'gone', 'y'], ['gone']),
    makeParameter('c', { type: 'int', grid: [1, 5], bounds: { min: 1, max: 5 } }),
  ],
});

describe('gridSize', () => {
  test('is the product of grid sizes, categoricals counting active values', () => {
    expect(gridSize(spec)).toBe(2 * 3 * 2);
  });
});

describe('gridPoint', () => {
  test('first parameter by name varies fastest (grid enumeration rule)', () => {
    const points = Array.from({ length: 6 }, (_, k) => gridPoint(spec, k));
    expect(points).toEqual([
      { a: 'x', b: 10, c: 1 },
      { a: 'y', b: 10, c: 1 },
      { a: 'x', b: 20, c: 1 },
      { a: 'y', b: 20, c: 1 },
      { a: 'x', b: 30, c: 1 },
      { a: 'y', b: 30, c: 1 },
    ]);
    expect(gridPoint(spec, 6)).toEqual({ a: 'x', b: 10, c: 5 });
    expect(gridPoint(spec, 11)).toEqual({ a: 'y', b: 30, c: 5 });
  });

  test('wraps modulo the grid size and rejects bad indices', () => {
    expect(gridPoint(spec, 12)).toEqual(gridPoint(spec, 0));
    expect(gridPoint(spec, 12 * 1000 + 7)).toEqual(gridPoint(spec, 7));
    expect(() => gridPoint(spec, -1)).toThrow(RangeError);
    expect(() => gridPoint(spec, 1.5)).toThrow(RangeError);
  });

  test('sorts grids and categorical values itself (enum_index order)', () => {
    const s = makeSpec({
      type: 'grid',
      parameters: [
        makeParameter('g', { grid: [3, 1, 2], bounds: { min: 1, max: 3 } }),
        makeParameter('h', {
          type: 'categorical',
          bounds: null,
          categoricalValues: [
            { name: 'late', enumIndex: 2, deleted: false },
            { name: 'early', enumIndex: 1, deleted: false },
          ],
        }),
      ],
    });
    expect([0, 1, 2, 3].map((k) => gridPoint(s, k))).toEqual([
      { g: 1, h: 'early' },
      { g: 2, h: 'early' },
      { g: 3, h: 'early' },
      { g: 1, h: 'late' },
    ]);
  });

  test('one cycle covers every combination exactly once with valid points (property)', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary({ type: 'grid', maxParameters: 4 }), (s) => {
        const n = gridSize(s);
        const keys = new Set<string>();
        for (let k = 0; k < n; k++) {
          const p = gridPoint(s, k);
          expect(assignmentProblems(s, p)).toEqual([]);
          keys.add(assignmentKey(p, null));
        }
        expect(keys.size).toBe(n);
        expect(gridPoint(s, n)).toEqual(gridPoint(s, 0));
      }),
      { numRuns: 100 },
    );
  });
});
