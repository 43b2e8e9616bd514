import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { assignmentKey } from './assignment-key.ts';

describe('assignmentKey', () => {
  test('ignores name order and null/absent entries', () => {
    const a = assignmentKey({ x: 1, y: 'red' }, null);
    const b = assignmentKey({ y: 'red', x: 1, z: null as unknown as number }, null);
    expect(a).toBe(b);
  });

  test('normalizes numbers: -0, float noise', () => {
    expect(assignmentKey({ x: -0 }, null)).toBe(assignmentKey({ x: 0 }, null));
    expect(assignmentKey({ x: 0.1 + 0.2 }, null)).toBe(assignmentKey({ x: 0.3 }, null));
  });

  test('distinguishes values, types, names and tasks', () => {
    const base = assignmentKey({ x: 1 }, null);
    expect(assignmentKey({ x: 2 }, null)).not.toBe(base);
    expect(assignmentKey({ x: '1' }, null)).not.toBe(base);
    expect(assignmentKey({ y: 1 }, null)).not.toBe(base);
    expect(assignmentKey({ x: 1 }, 'cheap')).not.toBe(base);
    expect(assignmentKey({ x: 1.0001 }, null)).not.toBe(base);
    expect(assignmentKey({ x: 1, y: 2 }, null)).not.toBe(base);
  });

  test('names containing separators cannot forge a collision', () => {
    expect(assignmentKey({ 'a","b': 1 }, null)).not.toBe(assignmentKey({ a: 'b', b: 1 }, null));
  });

  test('equal iff the normalized points are equal (property)', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('a', 'b', '1'));
    const point = fc.dictionary(fc.constantFrom('p', 'q', 'r'), value);
    fc.assert(
      fc.property(point, point, (a, b) => {
        expect(assignmentKey(a, null) === assignmentKey(b, null)).toBe(samePoint(a, b));
      }),
    );
  });
});

/** Same names with === values (so 0 and -0 agree, '1' and 1 do not). */
function samePoint(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
