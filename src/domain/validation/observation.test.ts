import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { apiError, ApiError } from '../errors.ts';
import type { ObservationRecord } from '../../store/ports/records.ts';
import { validateExperimentCreate } from './experiment-create.ts';
import { validateObservationCreate, validateObservationUpdate } from './observation.ts';
import { asBatchItem, validateObservationBatch, withBatchPrefix } from './observation-batch.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

const make = (extra: Record<string, unknown> = {}) =>
  validateExperimentCreate({ name: 'e', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }], ...extra }, { maxOptimizedMetrics: 2 }).spec;
const single = make();
const named = make({ metrics: ['acc'] });
const multi = make({ metrics: ['b', 'a', { name: 's', strategy: 'store' }], observation_budget: 5 });
const tasks = make({ tasks: [{ name: 'cheap', cost: 0.5 }, { name: 'full', cost: 1 }], observation_budget: 5 });

describe('validateObservationCreate', () => {
  test('suggestion id as int or string; unnamed value takes the metric name', () => {
    expect(validateObservationCreate({ suggestion: 12, values: [{ value: 1 }] }, named)).toEqual({
      suggestionId: '12', assignments: null, task: null, values: [{ name: 'acc', value: 1, valueStddev: null }], failed: false, metadata: null, noOptimize: false,
    });
    expect(validateObservationCreate({ suggestion: '98765432109876543210', values: [{ value: 1 }] }, single).suggestionId).toBe('98765432109876543210');
    expect(validateObservationCreate({ suggestion: '1', values: [{ value: 1 }] }, single).values).toEqual([{ name: null, value: 1, valueStddev: null }]);
  });

  test('values sorted by metric name, store metrics included; failed; assignments; metadata', () => {
    const r = validateObservationCreate(
      { assignments: { x: 0.5 }, values: [{ name: 's', value: 3 }, { name: 'b', value: 2, value_stddev: 0.1 }, { name: 'a', value: 1 }], metadata: { k: 1 }, no_optimize: true },
      multi,
    );
    expect(r.values.map((v) => v.name)).toEqual(['a', 'b', 's']);
    expect(r.values[1]?.valueStddev).toBe(0.1);
    expect(r).toMatchObject({ assignments: { x: 0.5 }, metadata: { k: 1 }, noOptimize: true });
    expect(validateObservationCreate({ suggestion: 1, failed: true, values: [] }, multi)).toMatchObject({ failed: true, values: [] });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['O1 legacy value key', { suggestion: 1, value: 1 }, 'Unknown json keys `value` in: {"suggestion":1,"value":1}'],
    ['O2 both', { suggestion: 1, assignments: { x: 1 }, values: [{ value: 1 }] }, 'Cannot specify `suggestion` and `assignments`.'],
    ['O3 neither', { values: [{ value: 1 }] }, 'Must provide exactly one of `suggestion`, `assignments` in: {"values":[{"value":1}]}'],
    ['O4 failed with values', { suggestion: 1, failed: true, values: [{ value: 1 }] }, 'Cannot provide `values` if observation has failed'],
    ['O5 no values', { suggestion: 1 }, 'Missing required json key "value" in: {"suggestion":1}'],
    ['O9 item without value', { suggestion: 1, values: [{ name: 'acc' }] }, 'Missing required json key "value" in: {"name":"acc"}'],
    ['O9 null value', { suggestion: 1, values: [{ name: 'acc', value: null }] }, 'Missing value for: acc'],
    ['O10 negative stddev', { suggestion: 1, values: [{ value: 1, value_stddev: -1 }] }, '.values[0].value_stddev must be greater than or equal to 0.0'],
    ['O12 task with suggestion', { suggestion: 1, task: 'cheap', values: [{ value: 1 }] }, 'Cannot provide/update `task` when `suggestion` is provided'],
    ['value item unknown key', { suggestion: 1, values: [{ value: 1, foo: 2 }] }, 'Unknown json keys `foo` in: {"value":1,"foo":2}'],
    ['bad suggestion id', { suggestion: 'abc', values: [{ value: 1 }] }, 'Invalid type for suggestion: "abc" - expected type id'],
    ['no_optimize type', { suggestion: 1, values: [{ value: 1 }], no_optimize: 'x' }, 'Invalid type for no_optimize: "x" - expected type boolean'],
  ])('%s', (_, body, message) => {
    expect(messageOf(() => validateObservationCreate(body, named))).toBe(message);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['O6 count', { suggestion: 1, values: [{ name: 'a', value: 1 }] }, 'The number of observation values and experiment metrics must be equal.'],
    ['O7 unnamed', { suggestion: 1, values: [{ name: 'a', value: 1 }, { value: 2 }, { name: 's', value: 3 }] }, 'A name must be specified for all values.'],
    ['O7 wrong names', { suggestion: 1, values: [{ name: 'a', value: 1 }, { name: 'z', value: 2 }, { name: 's', value: 3 }] }, "values must have metric names defined in experiment: {'a', 'b', 's'}"],
    ['O8 duplicate', { suggestion: 1, values: [{ name: 'a', value: 1 }, { name: 'a', value: 2 }, { name: 's', value: 3 }] }, 'Duplicate name: a'],
  ])('%s', (_, body, message) => {
    expect(messageOf(() => validateObservationCreate(body, multi))).toBe(message);
  });

  test('O6 without defined metrics', () => {
    expect(messageOf(() => validateObservationCreate({ suggestion: 1, values: [{ value: 1 }, { value: 2 }] }, single))).toBe(
      'Experiments without a defined `metrics` do not support multiple values.',
    );
  });

  test('T7, T9 tasks', () => {
    expect(messageOf(() => validateObservationCreate({ assignments: { x: 1 }, task: 'a', values: [{ value: 1 }] }, single))).toBe(
      'Only multitask experiments should have a task present.',
    );
    expect(messageOf(() => validateObservationCreate({ assignments: { x: 1 }, values: [{ value: 1 }] }, tasks))).toBe(
      'Must provide `assignments` and `task` when creating observations manually',
    );
    expect(validateObservationCreate({ assignments: { x: 1 }, task: { name: 'cheap' }, values: [{ value: 1 }] }, tasks).task).toBe('cheap');
  });

  test('arbitrary bodies only ever yield a 400', () => {
    const keys = fc.constantFrom('suggestion', 'assignments', 'values', 'failed', 'metadata', 'task', 'no_optimize');
    fc.assert(fc.property(fc.dictionary(keys, anyJson), (body) => onlyBadRequest(() => validateObservationCreate(body, multi))), { numRuns: 500 });
    fc.assert(fc.property(fc.dictionary(keys, anyJson), (body) => onlyBadRequest(() => validateObservationCreate(body, tasks))), { numRuns: 300 });
  });
});

describe('validateObservationUpdate', () => {
  const current: ObservationRecord = {
    id: '1', experimentId: '1', suggestionId: '5', assignments: { x: 0.5 }, task: null,
    values: [{ name: 'a', value: 1, valueStddev: null }, { name: 'b', value: 2, valueStddev: 0.5 }, { name: 's', value: 3, valueStddev: null }],
    failed: false, deleted: false, created: 0, metadata: null,
  };
  test('values are merged by metric name, only given fields change', () => {
    const p = validateObservationUpdate({ values: [{ name: 'b', value: 9 }] }, multi, current);
    expect(p.values).toEqual([{ name: 'a', value: 1, valueStddev: null }, { name: 'b', value: 9, valueStddev: 0.5 }, { name: 's', value: 3, valueStddev: null }]);
    expect(p.noOptimize).toBe(false);
    expect(validateObservationUpdate({ metadata: null }, multi, current)).toEqual({ metadata: null, noOptimize: false });
  });
  test('failed requires clearing values', () => {
    expect(messageOf(() => validateObservationUpdate({ failed: true }, multi, current))).toBe('Multimetric observations with values cannot have failed == true');
    expect(validateObservationUpdate({ failed: true, values: [] }, multi, current)).toMatchObject({ failed: true, values: [] });
    const one = { ...current, values: [{ name: 'acc', value: 1, valueStddev: null }] };
    expect(messageOf(() => validateObservationUpdate({ failed: true }, named, one))).toBe('Observations with a value cannot have failed == true');
    expect(validateObservationUpdate({ failed: true, values: null }, named, one)).toMatchObject({ failed: true, values: [] });
  });
  test('unknown metric name; suggestion/assignments exclusivity; task rules', () => {
    expect(messageOf(() => validateObservationUpdate({ values: [{ name: 'zz', value: 1 }] }, multi, current))).toBe('Invalid metric name zz');
    expect(messageOf(() => validateObservationUpdate({ assignments: { x: 1 } }, multi, current))).toBe('Must provide exactly one of `suggestion`, `assignments`');
    expect(validateObservationUpdate({ suggestion: null, assignments: { x: 0.2 } }, multi, current)).toMatchObject({ suggestionId: null, assignments: { x: 0.2 } });
    expect(messageOf(() => validateObservationUpdate({ task: 'a' }, multi, current))).toBe('Only multitask experiments should have a task present.');
    expect(messageOf(() => validateObservationUpdate({ value: 1 }, multi, current))).toMatch(/^Unknown json keys `value` in: /);
  });
  test('arbitrary bodies only ever yield a 400', () => {
    const keys = fc.constantFrom('suggestion', 'assignments', 'values', 'failed', 'metadata', 'task', 'no_optimize');
    fc.assert(fc.property(fc.dictionary(keys, anyJson), (body) => onlyBadRequest(() => validateObservationUpdate(body, multi, current))), { numRuns: 500 });
  });
});

describe('observation batch', () => {
  test('envelope, dry run, implied no_optimize', () => {
    expect(validateObservationBatch({ observations: [] }, { maxBatch: 2500 })).toEqual({ items: [], dryRun: false, noOptimize: false });
    const items = [{ suggestion: 1, no_optimize: true }, { suggestion: 2, no_optimize: true }];
    expect(validateObservationBatch({ observations: items, dry_run: true }, { maxBatch: 2500 })).toEqual({ items, dryRun: true, noOptimize: true });
    expect(validateObservationBatch({ observations: [items[0], {}] }, { maxBatch: 2500 }).noOptimize).toBe(false);
  });
  test('O13, O14', () => {
    expect(messageOf(() => validateObservationBatch({ observations: [1, 2, 3] }, { maxBatch: 2 }))).toBe(
      'You cannot upload more than 2 observations at once. Please separate your observations into multiple API calls.',
    );
    expect(messageOf(() => validateObservationBatch({ dry_run: true }, { maxBatch: 2 }))).toBe('Missing required json key "observations" in: {"dry_run":true}');
  });
  test('F1 prefix on item errors, 1-based', () => {
    const m = messageOf(() => withBatchPrefix(1, 3, () => validateObservationCreate(asBatchItem({ value: 1 }, 1), single)));
    expect(m).toBe('Error in observation 2/3: Unknown json keys `value` in: {"value":1}');
    expect(messageOf(() => withBatchPrefix(0, 1, () => asBatchItem(5, 0)))).toBe('Error in observation 1/1: Invalid type for .observations[0]: 5 - expected type object');
    expect(withBatchPrefix(0, 1, () => 7)).toBe(7);
    expect(() => withBatchPrefix(0, 1, () => { throw new TypeError('boom'); })).toThrow(TypeError);
    try { withBatchPrefix(0, 2, () => { throw apiError('NOT_FOUND'); }); } catch (e) { expect((e as ApiError).status).toBe(404); }
  });
});
