import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateExperimentCreate } from './experiment-create.ts';
import { validateExperimentUpdate } from './experiment-update.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

const opts = { maxOptimizedMetrics: 2 };
const make = (extra: Record<string, unknown> = {}) =>
  validateExperimentCreate(
    {
      name: 'e',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
        { name: 'c', type: 'categorical', categorical_values: ['a', 'b', 'c'] },
      ],
      ...extra,
    },
    opts,
  ).spec;
const spec = make();
const cur = { spec, development: false };
const update = (body: Record<string, unknown>, c = cur) => validateExperimentUpdate(body, c, opts);
const err = (body: Record<string, unknown>, c = cur) => messageOf(() => update(body, c));

describe('validateExperimentUpdate', () => {
  test('simple fields; no spec unless it changed; no_optimize', () => {
    expect(update({ name: ' n ', state: 'deleted', project: null, metadata: { a: 1 } })).toEqual({
      name: 'n', state: 'deleted', project: null, metadata: { a: 1 }, noOptimize: false, resetsModel: true,
    });
    expect(update({ no_optimize: true })).toEqual({ noOptimize: true, resetsModel: false });
    expect(update({ observation_budget: 10, parallel_bandwidth: null }).spec).toMatchObject({ observationBudget: 10, parallelBandwidth: null });
  });

  test('parameters: omitted become deleted, new need defaults, categorical list replaces the active set', () => {
    const p = update({ parameters: [{ name: 'c', categorical_values: ['c', 'a', 'd'] }, { name: 'y', type: 'int', bounds: { min: 1, max: 5 }, default_value: 2 }] });
    const params = p.spec?.parameters ?? [];
    expect(params.map((q) => [q.name, q.deleted])).toEqual([['c', false], ['x', true], ['y', false]]);
    expect(params[0]?.categoricalValues).toEqual([
      { name: 'a', enumIndex: 1, deleted: false },
      { name: 'b', enumIndex: 2, deleted: true },
      { name: 'c', enumIndex: 3, deleted: false },
      { name: 'd', enumIndex: 4, deleted: false },
    ]);
    expect(err({ parameters: [{ name: 'z', type: 'double', bounds: { min: 0, max: 1 } }] })).toBe(
      'New parameters must have default values. Please add a default_value field to the new parameter(s). Or if you are using the web dashboard fill out the Default Value field.',
    );
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['tasks', { tasks: [] }, 'The tasks of a multitask experiment cannot be updated after creation'],
    ['C8 conditionals', { conditionals: [] }, 'Unknown json keys `conditionals` in: {"conditionals":[]}'],
    ['L11 linear_constraints', { linear_constraints: [] }, 'Unknown json keys `linear_constraints` in: {"linear_constraints":[]}'],
    ['S4 num_solutions', { num_solutions: 2 }, 'Unknown json keys `num_solutions` in: {"num_solutions":2}'],
    ['C8 conditions', { parameters: [{ name: 'x', conditions: {} }, { name: 'c' }] }, 'Conditions cannot be updated for parameters'],
    ['type fixed', { parameters: [{ name: 'x', type: 'int' }, { name: 'c' }] }, '`type` attribute on parameter x must remain double'],
    ['transformation fixed', { parameters: [{ name: 'x', transformation: 'log' }, { name: 'c' }] }, '`transformation` attribute on parameter x must remain none'],
    ['categorical needs 2 active', { parameters: [{ name: 'x' }, { name: 'c', categorical_values: ['a'] }] }, 'Parameters c must have 2 or more active (not deleted) categorical values'],
    ['duplicate names', { parameters: [{ name: 'x' }, { name: 'x' }] }, "Duplicate parameter names: ['x']"],
    ['empty parameters', { parameters: [] }, 'Experiments must have at least one parameter.'],
    ['state', { state: 'gone' }, 'Unrecognized state gone (if provided, must be one of ("deleted", "active")'],
    ['budget positive', { observation_budget: 0 }, 'Invalid type for observation_budget: 0 - expected type positive_integer'],
    ['no_optimize type', { no_optimize: 'x' }, 'Invalid type for no_optimize: "x" - expected type boolean'],
    ['M13 count', { metrics: ['a', 'b'] }, 'Changing the number of metrics is forbidden'],
    ['M13 name', { metrics: [{ name: 'other' }] }, 'Changing the name of a metric is forbidden'],
    ['M13 objective', { metrics: [{ objective: 'minimize' }] }, 'Changing the objective of a metric is forbidden'],
    ['M13 strategy', { metrics: [{ strategy: 'store' }] }, 'Changing the strategy of a metric is forbidden'],
    ['M10 threshold on single optimized', { metrics: [{ threshold: 1 }] }, 'Thresholds are only supported for experiments with more than one optimized metric. Try an All-Constraint experiment instead by setting `strategy` to `constraint`.'],
  ])('%s', (_, body, message) => {
    expect(err(body)).toBe(message);
  });

  test('G11, M14, L11: fixed budgets and parameters', () => {
    const grid = { spec: validateExperimentCreate({ name: 'g', type: 'grid', parameters: [{ name: 'x', type: 'int', grid: [1, 2] }] }, opts).spec, development: false };
    expect(err({ observation_budget: 3 }, grid)).toBe('`observation_budget` cannot be updated for experiments of type `grid`.');
    expect(err({ parameters: [{ name: 'x' }] }, grid)).toBe('Parameters cannot be updated for experiments of type `grid`.');
    const mm = { spec: make({ metrics: ['a', 'b'], observation_budget: 5 }), development: false };
    expect(err({ observation_budget: 3 }, mm)).toBe('`observation_budget` cannot be updated for experiments with more than one optimized metric.');
    const lc = {
      spec: validateExperimentCreate(
        { name: 'l', parameters: [{ name: 'a', type: 'double', bounds: { min: 0, max: 1 } }, { name: 'b', type: 'double', bounds: { min: 0, max: 1 } }], linear_constraints: [{ type: 'less_than', terms: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }], threshold: 1 }] },
        opts,
      ).spec,
      development: false,
    };
    expect(err({ parameters: [{ name: 'a' }] }, lc)).toBe('Parameters cannot be updated for experiments with constraints');
  });

  test('metric thresholds may change on multi-metric experiments', () => {
    const mm = { spec: make({ metrics: ['a', 'b'], observation_budget: 5 }), development: false };
    const p = update({ metrics: [{ name: 'b', threshold: 2 }, { name: 'a' }] }, mm);
    expect(p.spec?.metrics.map((m) => [m.name, m.threshold])).toEqual([['a', null], ['b', 2]]);
    expect(err({ metrics: [{ name: 'a' }, {}] }, mm)).toBe('The `name` field must be specified for every metric in experiments with more than one metric');
  });

  test('arbitrary bodies only ever yield a 400', () => {
    const keys = fc.constantFrom('name', 'state', 'project', 'metadata', 'observation_budget', 'parallel_bandwidth', 'metrics', 'parameters', 'no_optimize', 'tasks');
    fc.assert(fc.property(fc.dictionary(keys, anyJson), (b) => onlyBadRequest(() => update(b))), { numRuns: 500 });
    fc.assert(
      fc.property(fc.array(anyJson, { maxLength: 3 }), (ps) => onlyBadRequest(() => update({ parameters: ps.map((p, i) => (i === 0 && typeof p === 'object' && p !== null && !Array.isArray(p) ? { ...p, name: 'c' } : p)) }))),
      { numRuns: 500 },
    );
  });
});
