import fc from 'fast-check';
import { expect } from 'vitest';
import { ApiError } from '../../../src/domain/errors.ts';

/**
 * Test-only helpers for the validation suite: run a validator and return the ApiError it throws,
 * and an arbitrary for "any parsed JSON" (including the nasty shapes clients really send).
 */

/** Runs `fn`, asserts it throws an ApiError with status 400, and returns the message. */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(400);
    return (e as ApiError).message;
  }
  throw new Error('expected the validator to throw');
}

/** Any JSON value, with keys that collide with Object.prototype members now and then. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom('', 'a', 'b', 'x', 'log', 'none', 'double', 'int', 'categorical', 'grid', 'optimize', 'constraint', 'store'),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('name', 'type', 'bounds', 'min', 'max', 'value', 'values', '__proto__', 'constructor')),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** Asserts `fn` either returns or throws an ApiError with status 400 — never anything else. */
export function onlyBadRequest(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
  }
}
