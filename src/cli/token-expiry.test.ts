import { describe, expect, test } from 'vitest';
import { parseTokenExpiry } from './token-expiry.ts';

describe('parseTokenExpiry', () => {
  const now = 1_700_000_000;
  test('durations count from now', () => {
    expect(parseTokenExpiry('90m', now)).toBe(now + 5400);
    expect(parseTokenExpiry('12h', now)).toBe(now + 43200);
    expect(parseTokenExpiry('30d', now)).toBe(now + 30 * 86400);
    expect(parseTokenExpiry('2W', now)).toBe(now + 14 * 86400);
    expect(parseTokenExpiry('45s', now)).toBe(now + 45);
  });
  test('absolute unix times and never', () => {
    expect(parseTokenExpiry(String(now + 10), now)).toBe(now + 10);
    expect(parseTokenExpiry('never', now)).toBeNull();
  });
  test('rejects the past, zero and garbage', () => {
    expect(() => parseTokenExpiry(String(now), now)).toThrow(/in the past/);
    expect(() => parseTokenExpiry('0d', now)).toThrow(/positive/);
    for (const bad of ['', '1y', '-5d', 'tomorrow', '1.5h']) expect(() => parseTokenExpiry(bad, now), bad).toThrow(/--expires/);
  });
});
