import { describe, expect, test } from 'vitest';
import { ApiError } from '../errors.ts';
import { applyRunData, EMPTY_RUN_DATA, MAX_LOG_LENGTH, validateCheckpointBody, validateTrainingRunBody } from './training-run.ts';

const apply = (current: typeof EMPTY_RUN_DATA, body: Record<string, unknown>, merge: boolean) =>
  applyRunData(current, validateTrainingRunBody(body, { create: false }).data, merge);

describe('training run bodies', () => {
  test('MERGE merges maps key by key and a null entry removes the key; objects merge field by field', () => {
    const a = apply(EMPTY_RUN_DATA, { metadata: { a: 1, b: 'x' }, model: { type: 'gbm' }, values: { acc: { value: 1 } } }, true);
    const b = apply(
      a,
      { metadata: { a: null, c: 2 }, source_code: { hash: 'h' }, values: { loss: { value: 2, value_stddev: 0.5 } } },
      true,
    );
    expect(b.metadata).toEqual({ b: 'x', c: 2 });
    expect(b.model).toEqual({ type: 'gbm' });
    expect(b.source_code).toEqual({ content: null, hash: 'h' });
    expect(b.values).toEqual({ acc: { value: 1, value_stddev: null }, loss: { value: 2, value_stddev: 0.5 } });
  });

  test('PUT replaces each given field; null clears metadata, empties maps and resets objects', () => {
    const a = apply(EMPTY_RUN_DATA, { metadata: { a: 1 }, values: { acc: { value: 1 } }, model: { type: 'gbm' } }, true);
    const b = apply(a, { metadata: { z: 1 }, values: null, model: null }, false);
    expect(b.metadata).toEqual({ z: 1 });
    expect(b.values).toEqual({});
    expect(b.model).toEqual({ type: null });
    expect(apply(b, { metadata: null }, false).metadata).toBeNull();
  });

  test('logs are cut to the client limit; metadata limits hold for the merged result', () => {
    expect(apply(EMPTY_RUN_DATA, { logs: { out: { content: 'x'.repeat(5000) } } }, true).logs.out?.content).toHaveLength(MAX_LOG_LENGTH);
    let data = EMPTY_RUN_DATA;
    for (let i = 0; i < 100; i++) data = apply(data, { metadata: { [`k${i}`]: i } }, true);
    expect(() => apply(data, { metadata: { one_more: 1 } }, true)).toThrow(/^Expected at most 100 keys/);
  });

  test('refusals: unknown keys, states, value shapes, removing the name, create without a name', () => {
    const refused = (body: Record<string, unknown>, create = false): string => {
      try {
        validateTrainingRunBody(body, { create });
      } catch (err) {
        if (err instanceof ApiError) return err.message;
        throw err;
      }
      return 'accepted';
    };
    expect(refused({ colour: 'red' })).toMatch(/^Unknown json keys `colour` in: /);
    expect(refused({ state: 'running' })).toBe('running is not one of the allowed values: active, completed, failed');
    expect(refused({ values: { acc: { value: 1, extra: 2 } } })).toMatch(/^Unknown json keys `extra` in: /);
    expect(refused({ values: { acc: {} } })).toMatch(/^Missing required json key "value" in: /);
    expect(refused({ values: { acc: { value: 1, value_stddev: -1 } } })).toBe(
      '.values.acc.value_stddev must be greater than or equal to 0.0',
    );
    expect(refused({}, true)).toMatch(/^Missing required json key "name" in: /);
    expect(refused({ name: '   ' })).toBe('The length of .name must be greater than or equal to 1');
    expect(validateTrainingRunBody({ name: null }, { create: false }).nulls.has('name')).toBe(true);
  });

  test('checkpoint bodies', () => {
    expect(validateCheckpointBody({ values: [{ name: 'a', value: 1 }] })).toEqual({ values: [{ name: 'a', value: 1 }], metadata: null });
    expect(() =>
      validateCheckpointBody({
        values: [
          { name: 'a', value: 1 },
          { name: 'a', value: 2 },
        ],
      }),
    ).toThrow('Duplicate name: a');
    expect(() => validateCheckpointBody({ values: 'x' })).toThrow(/^Invalid type for values/);
  });
});
