import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hash.ts';

// A small cost keeps the unit test cheap; the format and the checks are the same at any cost.
const CHEAP = { logN: 10, r: 8, p: 1 } as const;

describe('password hashing (scrypt)', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('Correct-horse-1', CHEAP);
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[\w-]+\$[\w-]{43}$/);
    expect(await verifyPassword('Correct-horse-1', stored)).toBe(true);
    expect(await verifyPassword('Correct-horse-2', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    const [a, b] = await Promise.all([hashPassword('Same-pass-1', CHEAP), hashPassword('Same-pass-1', CHEAP)]);
    expect(a).not.toBe(b);
  });

  it('treats canonically equivalent unicode as the same password', async () => {
    const stored = await hashPassword('Caf\u00e9-pass-1', CHEAP);
    expect(await verifyPassword('Cafe\u0301-pass-1', stored)).toBe(true);
  });

  it('refuses malformed or oversized stored hashes instead of throwing', async () => {
    for (const bad of [
      '',
      'bcrypt$x',
      'scrypt$99$8$1$c2FsdA$a2V5',
      'scrypt$10$8$1$$a2V5',
      'scrypt$10$8$1$c2FsdA$short',
      'scrypt$x$8$1$c2FsdA$a2V5',
    ]) {
      expect(await verifyPassword('anything', bad), bad).toBe(false);
    }
  });
});
