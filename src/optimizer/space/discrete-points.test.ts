import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assignmentKey } from './assignment-key.ts';
import { enumerateDiscretePoints } from './discrete-points.ts';
import { discreteSpaceSize } from './space-size.ts';
import { assignmentProblems, experimentSpecArbitrary, makeCategorical, makeParameter, makeSpec } from '../../../test/support/kits/space-arbitraries.ts';

describe('enumerateDiscretePoints', () => {
  test('lists every combination of ints and active categoricals once', () => {
    const spec = makeSpec({
      parameters: [makeParameter('a', { type: 'int', bounds: { min: 1, max: 4 } }), makeCategorical('b', ['x', 'y', 'z'], ['y'])],
    });
    const points = enumerateDiscretePoints(spec, 1000);
    expect(points).toHaveLength(8);
    expect(new Set(points?.map((p) => assignmentKey(p, null))).size).toBe(8);
    expect(points?.every((p) => p.b !== 'y')).toBe(true);
  });

  test('null for continuous or too large spaces', () => {
    expect(enumerateDiscretePoints(makeSpec({ parameters: [makeParameter('x')] }), 1000)).toBeNull();
    const big = makeSpec({ parameters: [makeParameter('n', { type: 'int', bounds: { min: 0, max: 100_000 } })] });
    expect(enumerateDiscretePoints(big, 1000)).toBeNull();
  });

  test('every enumerated point is valid and distinct (random specs)', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary({ maxParameters: 3 }), (spec) => {
        const points = enumerateDiscretePoints(spec, 2000);
        if (points === null) return;
        expect(points.length).toBeLessThanOrEqual(discreteSpaceSize(spec));
        expect(new Set(points.map((p) => assignmentKey(p, null))).size).toBe(points.length);
        for (const p of points) expect(assignmentProblems(spec, p)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
