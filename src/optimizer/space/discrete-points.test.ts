import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ExperimentSpec } from '../experiment-spec.ts';
import { assignmentKey } from './assignment-key.ts';
import { enumerateDiscretePoints } from './discrete-points.ts';
import { discreteSpaceSize } from './space-size.ts';
import { assignmentProblems, experimentSpecArbitrary } from './test-arbitraries.ts';

const base: Omit<ExperimentSpec, 'parameters'> = {
  type: 'random',
  metrics: [{ name: null, objective: 'maximize', strategy: 'optimize', threshold: null }],
  conditionals: [],
  linearConstraints: [],
  tasks: null,
  observationBudget: null,
  parallelBandwidth: null,
  numSolutions: null,
};

describe('enumerateDiscretePoints', () => {
  test('lists every combination of ints and categoricals once', () => {
    const spec: ExperimentSpec = {
      ...base,
      parameters: [
        { name: 'a', type: 'int', bounds: { min: 1, max: 4 }, categoricalValues: null, grid: null, prior: null, transformation: null, defaultValue: null, conditions: {}, precision: null, deleted: false },
        {
          name: 'b',
          type: 'categorical',
          bounds: null,
          categoricalValues: [
            { name: 'x', enumIndex: 1, deleted: false },
            { name: 'y', enumIndex: 2, deleted: true },
            { name: 'z', enumIndex: 3, deleted: false },
          ],
          grid: null,
          prior: null,
          transformation: null,
          defaultValue: null,
          conditions: {},
          precision: null,
          deleted: false,
        },
      ],
    };
    const points = enumerateDiscretePoints(spec, 1000);
    expect(points).toHaveLength(8);
    expect(new Set(points?.map((p) => assignmentKey(p, null))).size).toBe(8);
    expect(points?.every((p) => p.b !== 'y')).toBe(true);
  });

  test('null for continuous or too large spaces', () => {
    const spec: ExperimentSpec = {
      ...base,
      parameters: [
        { name: 'x', type: 'double', bounds: { min: 0, max: 1 }, categoricalValues: null, grid: null, prior: null, transformation: null, defaultValue: null, conditions: {}, precision: null, deleted: false },
      ],
    };
    expect(enumerateDiscretePoints(spec, 1000)).toBeNull();
    const big: ExperimentSpec = {
      ...base,
      parameters: [
        { name: 'n', type: 'int', bounds: { min: 0, max: 100_000 }, categoricalValues: null, grid: null, prior: null, transformation: null, defaultValue: null, conditions: {}, precision: null, deleted: false },
      ],
    };
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
