import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateMetadata } from './metadata.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

describe('validateMetadata', () => {
  test('null and undefined mean no metadata', () => {
    expect(validateMetadata(null)).toBeNull();
    expect(validateMetadata(undefined)).toBeNull();
  });

  test('keeps strings and numbers, drops nulls (D5)', () => {
    expect(validateMetadata({ a: 'x', b: 1.5, c: null })).toEqual({ a: 'x', b: 1.5 });
  });

  test('D1: not an object', () => {
    expect(messageOf(() => validateMetadata([1]))).toBe(
      "Invalid type for .metadata: [1] - expected type ['object', 'null']",
    );
    expect(messageOf(() => validateMetadata('x', 'meta'))).toBe(
      `Invalid type for .meta: "x" - expected type ['object', 'null']`,
    );
  });

  test('D2: at most 100 keys', () => {
    const ok = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(validateMetadata(ok) ?? {})).toHaveLength(100);
    const big = { ...ok, extra: 1 };
    expect(messageOf(() => validateMetadata(big))).toBe(`Expected at most 100 keys in ${JSON.stringify(big)}`);
  });

  test('D3: key length, abbreviated', () => {
    expect(validateMetadata({ ['k'.repeat(100)]: 1 })).not.toBeNull();
    const key = `abcdefghij${'x'.repeat(81)}0123456789`;
    expect(messageOf(() => validateMetadata({ [key]: 1 }))).toBe(
      "The length of the metadata key 'abcdefghij...0123456789' must be less than 100",
    );
  });

  test('D4: booleans, arrays, objects refused; long strings refused', () => {
    expect(messageOf(() => validateMetadata({ k: true }))).toBe(
      "Invalid type for .k: true - expected type ['string', 'number', 'null']",
    );
    expect(messageOf(() => validateMetadata({ k: [1] }))).toBe(
      "Invalid type for .k: [1] - expected type ['string', 'number', 'null']",
    );
    expect(messageOf(() => validateMetadata({ k: { a: 1 } }))).toBe(
      `Invalid type for .k: {"a":1} - expected type ['string', 'number', 'null']`,
    );
    expect(validateMetadata({ k: 'x'.repeat(500) })).toEqual({ k: 'x'.repeat(500) });
    expect(messageOf(() => validateMetadata({ k: 'x'.repeat(501) }))).toBe(
      'The length of .k must be less than or equal to 500',
    );
  });

  test('a __proto__ key stays a plain data key', () => {
    const raw = JSON.parse('{"__proto__": "x", "constructor": 2}') as unknown;
    const out = validateMetadata(raw);
    expect(Object.hasOwn(out ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  test('arbitrary JSON only ever yields a 400', () => {
    fc.assert(fc.property(anyJson, (raw) => onlyBadRequest(() => validateMetadata(raw))));
  });
});
