import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing for password logins (docs/security.md, "Passwords"). scrypt is memory-hard and
 * ships with Node (OpenSSL), so no native add-on has to build on the deployment's machine. It runs
 * on libuv's thread pool: a login never blocks the event loop.
 *
 * Stored form: `scrypt$<log2 N>$<r>$<p>$<salt base64url>$<key base64url>`. The parameters travel
 * with each hash, so raising the cost later needs no migration and old hashes keep verifying.
 */
export interface ScryptCost {
  /** log2 of the CPU/memory cost N. */
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** N = 2^15, r = 8: 32 MiB and roughly 50–100 ms per hash on one core (OWASP's scrypt minimum is 2^17 / r 8 / p 1 at 128 MiB; 2^15 keeps a 2-core host answering logins under load). */
export const DEFAULT_SCRYPT_COST: ScryptCost = Object.freeze({ logN: 15, r: 8, p: 1 });

const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  // OpenSSL refuses unless maxmem covers 128·N·r bytes; leave headroom for its bookkeeping.
  const opts: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A fresh salted hash of a password, in the stored form above. */
export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Bounds on stored parameters, so a corrupt or hostile row cannot make one login allocate gigabytes. */
const MAX_LOG_N = 20;

/**
 * Whether a password matches a stored hash; false for a malformed hash. The comparison is
 * constant-time over the derived key.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every(Number.isSafeInteger) || logN < 1 || logN > MAX_LOG_N || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length !== KEY_BYTES) return false;
  const key = await derive(password, salt, { logN, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * A hash of a random password, verified against when the email is unknown, so an unknown account
 * costs the same KDF time as a wrong password (no account enumeration by timing).
 */
export function decoyHash(cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  return hashPassword(randomBytes(18).toString('base64url'), cost);
}
