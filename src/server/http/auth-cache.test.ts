import { describe, expect, test } from 'vitest';
import type { Principal } from '../../domain/access/principal.ts';
import { apiError } from '../../domain/errors.ts';
import { manualClock } from '../../../test/support/manual-clock.ts';
import { cacheAuthentication } from './auth-cache.ts';

const principal = (expires: number | null = null) => ({ type: 'client-api', token: { expires } }) as unknown as Principal;

describe('cacheAuthentication', () => {
  test('one lookup per token within the TTL, again after it', async () => {
    const clock = manualClock(1_000_000);
    let calls = 0;
    const auth = cacheAuthentication(async () => (calls++, principal()), () => 2000, clock);
    await auth('a');
    await auth('a');
    expect(calls).toBe(1);
    await auth('b');
    expect(calls).toBe(2);
    clock.advance(2001);
    await auth('a');
    expect(calls).toBe(3);
  });

  test('failures are not cached; TTL 0 disables; clear() forgets', async () => {
    let calls = 0;
    let fail = true;
    const auth = cacheAuthentication(
      async () => {
        calls++;
        if (fail) throw apiError('TOKEN_NOT_PERMITTED');
        return principal();
      },
      () => 5000,
    );
    await expect(auth('t')).rejects.toThrow('This token is not permitted');
    fail = false;
    await auth('t');
    await auth('t');
    expect(calls).toBe(2);
    auth.clear();
    await auth('t');
    expect(calls).toBe(3);
    const off = cacheAuthentication(async () => (calls++, principal()), () => 0);
    await off('t');
    await off('t');
    expect(calls).toBe(5);
  });

  test('a token that expires within the TTL is looked up again', async () => {
    const clock = manualClock(10_000_000);
    let calls = 0;
    const auth = cacheAuthentication(async () => (calls++, principal(10_001)), () => 60_000, clock);
    await auth('x');
    clock.set(10_001_500);
    await auth('x');
    expect(calls).toBe(2);
  });
});
