import { describe, expect, test } from 'vitest';
import type { ExperimentSpec } from '../experiment-spec.ts';
import { activeParameters, isParameterActive } from './active-parameters.ts';
import { makeParameter as param } from '../../../test/support/kits/space-arbitraries.ts';

const spec: ExperimentSpec = {
  type: 'offline',
  parameters: [
    param('a'),
    param('b', { conditions: { model: ['svm'] } }),
    param('c', { conditions: { model: ['svm', 'tree'], solver: ['x'] } }),
    param('d', { deleted: true }),
    param('e', { conditions: { model: ['tree'] } }),
  ],
  metrics: [{ name: null, objective: 'maximize', strategy: 'optimize', threshold: null }],
  conditionals: [
    { name: 'model', values: ['svm', 'tree'] },
    { name: 'solver', values: ['x', 'y'] },
  ],
  linearConstraints: [],
  tasks: null,
  observationBudget: null,
  parallelBandwidth: null,
  numSolutions: null,
};

describe('isParameterActive', () => {
  test('unconditioned parameters are always active, deleted ones never', () => {
    expect(isParameterActive(param('a'), {})).toBe(true);
    expect(isParameterActive(param('a', { deleted: true }), {})).toBe(false);
  });

  test('every condition must hold', () => {
    const c = spec.parameters[2]!;
    expect(isParameterActive(c, { model: 'svm', solver: 'x' })).toBe(true);
    expect(isParameterActive(c, { model: 'tree', solver: 'x' })).toBe(true);
    expect(isParameterActive(c, { model: 'tree', solver: 'y' })).toBe(false);
    expect(isParameterActive(c, { model: 'tree' })).toBe(false);
  });

  test('a numeric value never satisfies a condition', () => {
    const b = spec.parameters[1]!;
    expect(isParameterActive(b, { model: 1 })).toBe(false);
  });
});

describe('activeParameters', () => {
  test('filters by conditions and deletion, keeping name order', () => {
    const names = (a: Record<string, string>) => activeParameters(spec, a).map((p) => p.name);
    expect(names({ model: 'svm', solver: 'y' })).toEqual(['a', 'b']);
    expect(names({ model: 'svm', solver: 'x' })).toEqual(['a', 'b', 'c']);
    expect(names({ model: 'tree', solver: 'x' })).toEqual(['a', 'c', 'e']);
    expect(names({})).toEqual(['a']);
  });
});
