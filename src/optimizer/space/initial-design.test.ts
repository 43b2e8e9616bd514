import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ExperimentSpec } from '../experiment-spec.ts';
import { assignmentKey } from './assignment-key.ts';
import { initialDesignPoints, initialDesignSize } from './initial-design.ts';
import { discreteSpaceSize } from './space-size.ts';
import {
  assignmentProblems,
  experimentSpecArbitrary,
  makeCategorical,
  makeParameter,
  makeSpec,
} from '../../../test/support/kits/space-arbitraries.ts';

const doubles = (n: number): ExperimentSpec =>
  makeSpec({ parameters: Array.from({ length: n }, (_, i) => makeParameter(`x${String(i).padStart(2, '0')}`)) });

describe('initialDesignSize', () => {
  test('2·d + B − 1 between 4 and 20 + B − 1', () => {
    expect(initialDesignSize(doubles(1))).toBe(4);
    expect(initialDesignSize(doubles(5))).toBe(10);
    expect(initialDesignSize(doubles(30))).toBe(20);
    expect(initialDesignSize({ ...doubles(5), parallelBandwidth: 4 })).toBe(13);
    expect(initialDesignSize({ ...doubles(30), parallelBandwidth: 4 })).toBe(23);
    expect(initialDesignSize({ ...doubles(1), parallelBandwidth: 3 })).toBe(4);
  });

  test('conditionals count as dimensions; deleted parameters do not', () => {
    const spec = makeSpec({
      parameters: [makeParameter('a'), makeParameter('b', { deleted: true }), makeParameter('c')],
      conditionals: [{ name: 'm', values: ['u', 'v'] }],
    });
    expect(initialDesignSize(spec)).toBe(6);
  });

  test('never asks for more points than the space has', () => {
    const tiny = makeSpec({ parameters: [makeParameter('i', { type: 'int', bounds: { min: 0, max: 2 } })] });
    expect(initialDesignSize(tiny)).toBe(3);
  });
});

describe('initialDesignPoints', () => {
  test('is stratified: 16 points of a 2-D design hit all 16 intervals of each axis', () => {
    const spec = doubles(2);
    const points = initialDesignPoints(spec, { existing: [], count: 16, seed: 7, index: 0 });
    for (const name of ['x00', 'x01']) {
      const cells = new Set(points.map((p) => Math.floor((p[name] as number) * 16)));
      expect(cells.size).toBe(16);
    }
  });

  test('log, int and categorical axes are stratified in their own terms', () => {
    const spec = makeSpec({
      parameters: [
        makeParameter('l', { bounds: { min: 1e-4, max: 1 }, transformation: 'log' }),
        makeParameter('i', { type: 'int', bounds: { min: 0, max: 7 } }),
        makeCategorical('k', ['a', 'b', 'c', 'd', 'e'], ['e']),
      ],
    });
    const points = initialDesignPoints(spec, { existing: [], count: 8, seed: 3, index: 0 });
    expect(new Set(points.map((p) => Math.floor((Math.log10(p.l as number) + 4) * 2))).size).toBe(8);
    expect(new Set(points.map((p) => p.i)).size).toBe(8);
    const ks = points.map((p) => p.k);
    for (const v of ['a', 'b', 'c', 'd']) expect(ks.filter((k) => k === v).length).toBe(2);
  });

  test('priors shape the design through their quantiles', () => {
    const spec = makeSpec({
      parameters: [makeParameter('p', { bounds: { min: 0, max: 10 }, prior: { name: 'normal', mean: 2, scale: 0.5 } })],
    });
    const points = initialDesignPoints(spec, { existing: [], count: 64, seed: 1, index: 0 });
    const mean = points.reduce((s, p) => s + (p.p as number), 0) / points.length;
    expect(Math.abs(mean - 2)).toBeLessThan(0.05);
  });

  test('consecutive calls continue one sequence', () => {
    const spec = doubles(3);
    const all = initialDesignPoints(spec, { existing: [], count: 6, seed: 9, index: 0 });
    const first = initialDesignPoints(spec, { existing: [], count: 3, seed: 9, index: 0 });
    const rest = initialDesignPoints(spec, { existing: first, count: 3, seed: 9, index: 3 });
    expect([...first, ...rest]).toEqual(all);
    expect(initialDesignPoints(spec, { existing: [], count: 6, seed: 10, index: 0 })).not.toEqual(all);
  });

  test('a small discrete space is exhausted without repeats, then yields nothing', () => {
    const spec = makeSpec({
      parameters: [makeParameter('i', { type: 'int', bounds: { min: 0, max: 2 } }), makeCategorical('k', ['a', 'b'])],
    });
    const points = initialDesignPoints(spec, { existing: [{ i: 1, k: 'a' }], count: 10, seed: 2, index: 0 });
    expect(points).toHaveLength(5);
    const keys = new Set(points.map((p) => assignmentKey(p, null)));
    expect(keys.size).toBe(5);
    expect(keys.has(assignmentKey({ i: 1, k: 'a' }, null))).toBe(false);
    expect(initialDesignPoints(spec, { existing: [...points, { i: 1, k: 'a' }], count: 2, seed: 2, index: 6 })).toEqual([]);
  });

  test('generated specs: valid, distinct, never in existing, deterministic (property)', () => {
    fc.assert(
      fc.property(
        experimentSpecArbitrary(),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 12 }),
        (spec, seed, index, count) => {
          const existing = initialDesignPoints(spec, { existing: [], count: 3, seed: seed + 1, index: 0 });
          const points = initialDesignPoints(spec, { existing, count, seed, index });
          const keys = new Set(existing.map((a) => assignmentKey(a, null)));
          for (const p of points) {
            expect(assignmentProblems(spec, p)).toEqual([]);
            const key = assignmentKey(p, null);
            expect(keys.has(key)).toBe(false);
            keys.add(key);
          }
          // Exact where the space size is exact (no precision, no integer constraints); else a bound.
          const size = discreteSpaceSize(spec);
          const exact =
            spec.parameters.every((p) => p.precision === null) &&
            spec.linearConstraints.every((c) => spec.parameters.find((p) => p.name === c.terms[0]?.name)?.type !== 'int');
          const expected = Math.min(count, size - existing.length);
          if (exact) expect(points.length).toBe(expected);
          else expect(points.length).toBeLessThanOrEqual(expected);
          expect(initialDesignPoints(spec, { existing, count, seed, index })).toEqual(points);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('batching does not change the design of large spaces (property)', () => {
    fc.assert(
      fc.property(
        experimentSpecArbitrary().filter((s) => discreteSpaceSize(s) > 10_000),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 5 }),
        (spec, seed, split) => {
          const all = initialDesignPoints(spec, { existing: [], count: 6, seed, index: 0 });
          const first = initialDesignPoints(spec, { existing: [], count: split, seed, index: 0 });
          const rest = initialDesignPoints(spec, { existing: first, count: 6 - split, seed, index: split });
          expect([...first, ...rest]).toEqual(all);
        },
      ),
      { numRuns: 100 },
    );
  });
});
