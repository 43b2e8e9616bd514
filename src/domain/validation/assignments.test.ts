import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateExperimentCreate } from './experiment-create.ts';
import { validateAssignments, validateTask } from './assignments.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

const spec = validateExperimentCreate(
  {
    name: 'e',
    conditionals: [{ name: 'k', values: ['on', 'off'] }],
    parameters: [
      { name: 'x', type: 'double', bounds: { min: 1, max: 100 } },
      { name: 'n', type: 'int', bounds: { min: 1, max: 10 }, conditions: { k: 'on' } },
      { name: 'c', type: 'categorical', categorical_values: ['a', 'b'] },
      { name: 'g', type: 'double', grid: [0.5, 1] },
      { name: 'l', type: 'double', bounds: { min: 1, max: 10 }, transformation: 'log' },
      // C6: every conditional value must enable a parameter.
      { name: 'o', type: 'double', bounds: { min: 0, max: 1 }, conditions: { k: 'off' } },
    ],
  },
  { maxOptimizedMetrics: 2 },
).spec;
const ok = { k: 'on', x: 5, n: 3, c: 'a', g: 0.5, l: 2 };
const err = (raw: unknown): string => messageOf(() => validateAssignments(spec, raw));

describe('validateAssignments', () => {
  test('normalizes: only active parameters, conditionals kept, bounds not enforced (A10)', () => {
    expect(validateAssignments(spec, { ...ok, x: 0.5 })).toEqual({ k: 'on', c: 'a', g: 0.5, l: 2, n: 3, x: 0.5 });
    expect(validateAssignments(spec, { k: 'off', x: 5, c: 'b', g: 1, l: 2, n: null, o: 0.5 })).toEqual({ k: 'off', c: 'b', g: 1, l: 2, o: 0.5, x: 5 });
    expect(validateAssignments(spec, { ...ok, n: 3.0 }).n).toBe(3);
  });

  test.each<[string, unknown, string]>([
    ['A1 parameter', { ...ok, x: undefined }, 'Missing assignment for parameter: "x"'],
    ['A1 conditional', { x: 5, c: 'a', g: 0.5, l: 2 }, 'Missing assignment for conditional: "k"'],
    ['A2 unknown', { ...ok, zz: 1 }, 'Invalid assignment, parameter does not exist: "zz"'],
    ['A3 unsatisfied', { ...ok, k: 'off' }, 'Do not provide assignment for unsatisfied parameter: "n"'],
    ['A4 category', { ...ok, c: 'z' }, 'Invalid value for categorical parameter c: z'],
    ['A5 conditional value', { ...ok, k: 'maybe' }, 'Invalid assignment maybe for conditional k'],
    ['A6 grid', { ...ok, g: 0.7 }, 'Invalid value for grid parameter g: 0.7. Valid values for this parameter are: [0.5, 1]'],
    ['A7 int', { ...ok, n: 2.5 }, 'Invalid type for n: 2.5 - expected type integer'],
    ['A7 number', { ...ok, x: '5' }, 'Invalid type for x: "5" - expected type number'],
    ['A7 boolean', { ...ok, x: true }, 'Invalid type for x: true - expected type number'],
    ['A8 log', { ...ok, l: 0 }, 'Assignment must be positive for log-transformed parameter l'],
    ['A11 null', null, 'Cannot provide null or empty `assignments`'],
    ['A11 empty', {}, 'Cannot provide null or empty `assignments`'],
    ['not an object', [1], 'Invalid type for assignments: [1] - expected type object'],
  ])('%s', (_, raw, message) => {
    expect(err(raw === null ? null : JSON.parse(JSON.stringify(raw)))).toBe(message);
  });

  test('A4 deleted categorical value', () => {
    const withDeleted = {
      ...spec,
      parameters: spec.parameters.map((p) =>
        p.name === 'c' ? { ...p, categoricalValues: [...(p.categoricalValues ?? []), { name: 'old', enumIndex: 3, deleted: true }] } : p,
      ),
    };
    expect(messageOf(() => validateAssignments(withDeleted, { ...ok, c: 'old' }))).toBe('Cannot report deleted categorical value old for parameter c');
  });

  test('A9 linear constraints', () => {
    const s = validateExperimentCreate(
      {
        name: 'e',
        parameters: [{ name: 'a', type: 'double', bounds: { min: 0, max: 1 } }, { name: 'b', type: 'double', bounds: { min: 0, max: 1 } }],
        linear_constraints: [{ type: 'less_than', terms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }], threshold: 1 }],
      },
      { maxOptimizedMetrics: 2 },
    ).spec;
    expect(validateAssignments(s, { a: 0.5, b: 0.5 })).toEqual({ a: 0.5, b: 0.5 });
    expect(messageOf(() => validateAssignments(s, { a: 0.7, b: 0.5 }))).toBe('Assignments do not satisfy constraint: a + b <= 1');
  });

  test('arbitrary JSON only ever yields a 400', () => {
    fc.assert(fc.property(anyJson, (raw) => onlyBadRequest(() => validateAssignments(spec, raw))), { numRuns: 500 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('k', 'x', 'n', 'c', 'g', 'l', 'constructor'), anyJson), (raw) =>
        onlyBadRequest(() => validateAssignments(spec, raw)),
      ),
      { numRuns: 500 },
    );
  });
});

describe('validateTask', () => {
  const mt = { ...spec, tasks: [{ name: 'cheap', cost: 0.5 }, { name: 'full', cost: 1 }] };
  test('string or {name}', () => {
    expect(validateTask(mt, 'cheap')).toBe('cheap');
    expect(validateTask(mt, { name: 'full' })).toBe('full');
    expect(validateTask(mt, null)).toBeNull();
  });
  test('T7 on a non-multitask experiment, worded per endpoint', () => {
    expect(messageOf(() => validateTask(spec, 'x'))).toBe('`task` should only be present for multitask experiments');
    expect(messageOf(() => validateTask(spec, 'x', 'observation'))).toBe('Only multitask experiments should have a task present.');
  });
  test('unknown task and bad shapes', () => {
    expect(messageOf(() => validateTask(mt, 'nope'))).toBe('Invalid task name: nope');
    expect(messageOf(() => validateTask(mt, {}))).toBe('Missing required json key "name" in: {}');
    fc.assert(fc.property(anyJson, (raw) => onlyBadRequest(() => validateTask(mt, raw))));
  });
});
