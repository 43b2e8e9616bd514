import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { JsonSyntaxError, parseStrictJson } from './strict-json.ts';

describe('parseStrictJson', () => {
  test('agrees with JSON.parse on valid documents without duplicates', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        // fast-check can generate "__proto__" keys and -0; compare through a JSON round trip.
        expect(JSON.stringify(parseStrictJson(text))).toBe(JSON.stringify(JSON.parse(text)));
      }),
    );
  });

  test.each([
    ['{"a":1,"a":2}', /Duplicate key value in JSON document: a/],
    ['{"a":{"b":1,"b":1}}', /Duplicate key/],
    ['NaN', /Unexpected token/],
    ['Infinity', /Unexpected token/],
    ['-Infinity', /Unexpected token/],
    ['1e400', /Number out of range/],
    ['{"a":"x\\u0000y"}', /NUL/],
    ['{"a\u0000":1}', /NUL/],
    ['{"a":1,}', /Expected string key/],
    ['"\\ud800"', /Unpaired surrogate/],
    ['"\\udc00x"', /Unpaired surrogate/],
    ['"\\ud800\\u0041"', /Unpaired surrogate/],
    ['[1,2', /Expected/],
    ['{"a":1} x', /Unexpected data/],
    ['', /Unexpected token/],
  ])('rejects %j', (text, message) => {
    expect(() => parseStrictJson(text)).toThrow(JsonSyntaxError);
    expect(() => parseStrictJson(text)).toThrow(message);
  });

  test('rejects deep nesting without overflowing the stack', () => {
    expect(() => parseStrictJson('['.repeat(100_000))).toThrow(/nested too deeply/);
  });

  test('a multi-megabyte integer literal fails with a syntax error', () => {
    expect(() => parseStrictJson('9'.repeat(5_000_000))).toThrow(/Number out of range/);
  });

  test('surrogate pairs given as escapes decode to one code point', () => {
    expect(parseStrictJson('"\\ud83d\\ude00"')).toBe('\u{1F600}');
  });

  test('__proto__ is kept as a plain key', () => {
    const v = parseStrictJson('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
