import { describe, expect, test } from 'vitest';
import {
  SchemaErrors,
  getOwn,
  isInteger,
  isNumber,
  jsonType,
  optPositiveInteger,
  pathString,
  rejectUnknownKeys,
  reqString,
  schemaKeys,
  schemaType,
  typeLabel,
} from './schema.ts';
import { messageOf } from '../../../test/support/kits/validation-helpers.ts';

describe('schema helpers', () => {
  test('numbers: booleans are never numbers, 5.0 is an integer', () => {
    expect(isNumber(true)).toBe(false);
    expect(isInteger(5.0)).toBe(true);
    expect(isInteger(5.5)).toBe(false);
    expect(jsonType(2)).toBe('integer');
    expect(jsonType(2.5)).toBe('number');
  });

  test('getOwn ignores prototype members', () => {
    expect(getOwn({}, 'constructor')).toBeUndefined();
    expect(getOwn({ constructor: 1 }, 'constructor')).toBe(1);
  });

  test('path and type labels', () => {
    expect(pathString(['parameters', 0, 'bounds'])).toBe('.parameters[0].bounds');
    expect(typeLabel(['string'])).toBe('string');
    expect(typeLabel(['object', 'null'])).toBe("['object', 'null']");
  });

  test('message families', () => {
    expect(messageOf(() => rejectUnknownKeys({ a: 1, b: 2, c: 3 }, ['a']))).toBe('Unknown json keys `b`, `c` in: {"a":1,"b":2,"c":3}');
    expect(messageOf(() => reqString({}, 'k'))).toBe('Missing required json key "k" in: {}');
    expect(messageOf(() => reqString({ k: 1 }, 'k'))).toBe('Invalid type for k: 1 - expected type string');
    expect(messageOf(() => optPositiveInteger({ observation_budget: -1 }, 'observation_budget'))).toBe(
      'Invalid type for observation_budget: -1 - expected type positive_integer',
    );
    expect(optPositiveInteger({ n: 5.0 }, 'n')).toBe(5);
  });

  test('SchemaErrors keeps the shallowest, first-reported error', () => {
    const errors = new SchemaErrors();
    schemaType(errors, ['a', 0, 'b'], 1, ['string']);
    schemaType(errors, ['x'], 'no', ['integer', 'null']);
    schemaKeys(errors, ['y'], { z: 1 }, ['w'], null);
    expect(messageOf(() => errors.throwIfAny())).toBe(`Invalid type for .x: "no" - expected type ['integer', 'null']`);
    const none = new SchemaErrors();
    expect(() => none.throwIfAny()).not.toThrow();
  });
});
