import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { finalizeAssignments, roundToPrecision } from './precision.ts';
import { makeCategorical, makeParameter, makeSpec } from '../../../test/support/kits/space-arbitraries.ts';

describe('roundToPrecision', () => {
  test('rounds to significant digits', () => {
    expect(roundToPrecision(123.456, 2)).toBe(120);
    expect(roundToPrecision(0.0012345, 3)).toBe(0.00123);
    expect(roundToPrecision(-98765, 1)).toBe(-100000);
    expect(roundToPrecision(0.15, 1)).toBe(0.1); // 0.15 is 0.1499999… as a double
    expect(roundToPrecision(1 / 3, 15)).toBe(0.333333333333333);
    expect(roundToPrecision(0, 3)).toBe(0);
    expect(Object.is(roundToPrecision(-0.0001, 1), -0.0001)).toBe(true);
    expect(roundToPrecision(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  test('rejects invalid digit counts', () => {
    expect(() => roundToPrecision(1, 0)).toThrow(RangeError);
    expect(() => roundToPrecision(1, 2.5)).toThrow(RangeError);
  });

  test('is idempotent and within half a unit of the last kept digit (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        fc.integer({ min: 1, max: 15 }),
        (x, digits) => {
          const r = roundToPrecision(x, digits);
          expect(roundToPrecision(r, digits)).toBe(r);
          if (x !== 0) {
            const unit = 10 ** (Math.floor(Math.log10(Math.abs(x))) - digits + 1);
            // Plus one ulp of x: the decimal result itself is rounded to the nearest double.
            expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5 * unit * (1 + 1e-9) + Math.abs(x) * Number.EPSILON + 1e-300);
          }
        },
      ),
    );
  });
});

describe('finalizeAssignments', () => {
  const spec = makeSpec({
    parameters: [
      makeParameter('d', { bounds: { min: 0, max: 1 }, precision: 2 }),
      makeParameter('i', { type: 'int', bounds: { min: -3, max: 3 } }),
      makeParameter('g', { grid: [1, 2, 5], bounds: { min: 1, max: 5 } }),
      makeParameter('lg', { grid: [1, 10, 100], bounds: { min: 1, max: 100 }, transformation: 'log' }),
      makeCategorical('k', ['a', 'b', 'c'], ['b']),
      makeParameter('cond', { conditions: { mode: ['on'] } }),
      makeParameter('gone', { deleted: true }),
    ],
    conditionals: [{ name: 'mode', values: ['on', 'off'] }],
  });

  test('rounds, clamps, snaps and drops inactive/unknown names', () => {
    const out = finalizeAssignments(spec, {
      d: 0.12345,
      i: 2.6,
      g: 3.6,
      lg: 30,
      k: 'c',
      cond: 0.5,
      gone: 1,
      unknown: 3,
      mode: 'off',
    });
    expect(out).toEqual({ d: 0.12, i: 3, g: 5, lg: 10, k: 'c', mode: 'off' });
  });

  test('clamps after rounding (X2) and clamps ints into bounds', () => {
    const out = finalizeAssignments(spec, {
      d: 0.999,
      i: -7.2,
      g: 0,
      lg: 1000,
      k: 'a',
      cond: 2,
      mode: 'on',
    });
    expect(out).toEqual({ d: 1, i: -3, g: 1, lg: 100, k: 'a', cond: 1, mode: 'on' });
  });

  test('throws on missing or invalid values (caller bugs)', () => {
    const ok = { d: 0.5, i: 0, g: 1, lg: 1, k: 'a', mode: 'off' };
    expect(() => finalizeAssignments(spec, { ...ok, k: 'b' })).toThrow(/categorical/);
    expect(() => finalizeAssignments(spec, { ...ok, mode: 'maybe' })).toThrow(/conditional/);
    expect(() => finalizeAssignments(spec, { ...ok, d: Number.NaN })).toThrow(/finite/);
    const { i: _i, ...noInt } = ok;
    expect(() => finalizeAssignments(spec, noInt)).toThrow(/parameter i/);
    expect(() => finalizeAssignments(spec, { ...ok, mode: 'on' })).toThrow(/parameter cond/);
  });

  test('rounding that would break a linear constraint is redone in the feasible direction', () => {
    const terms = [
      { name: 'i', weight: 1 },
      { name: 'j', weight: 1 },
    ];
    const intSpec = makeSpec({
      parameters: [
        makeParameter('i', { type: 'int', bounds: { min: 0, max: 5 } }),
        makeParameter('j', { type: 'int', bounds: { min: 0, max: 5 } }),
      ],
      linearConstraints: [{ type: 'less_than', terms, threshold: 3 }],
    });
    expect(finalizeAssignments(intSpec, { i: 1.6, j: 1.6 })).toEqual({ i: 1, j: 2 });
    const dblSpec = makeSpec({
      parameters: [
        makeParameter('i', { precision: 1 }),
        makeParameter('j', { precision: 1 }),
      ],
      linearConstraints: [{ type: 'less_than', terms, threshold: 0.55 }],
    });
    const out = finalizeAssignments(dblSpec, { i: 0.27, j: 0.26 });
    expect(out).toEqual({ i: 0.3, j: 0.2 });
    // No 1-digit rounding fits 0.5 ≤ i + j ≤ 0.55 near (0.26, 0.26): keep the raw values.
    const band = makeSpec({
      parameters: dblSpec.parameters,
      linearConstraints: [...dblSpec.linearConstraints, { type: 'greater_than', terms, threshold: 0.51 }],
    });
    expect(finalizeAssignments(band, { i: 0.26, j: 0.26 })).toEqual({ i: 0.26, j: 0.26 });
  });
});
