import { createHash, randomBytes } from 'node:crypto';

/** A new token value: 192 bits from the CSPRNG, URL-safe. */
export function newTokenValue(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Tokens are stored as SHA-256 hashes only. A fast hash is right here (unlike passwords): token
 * values are uniformly random with ≥ 128 bits, so there is nothing to brute-force, and lookup is
 * an equality match on an index (no timing side channel on the secret itself).
 */
export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The row of a team's root API token (write, all endpoints, never expires) holding `hash`. */
export function rootTokenRow(clientId: string, hash: string, now: number) {
  return {
    hash,
    type: 'client-api',
    scope: 'all_endpoints',
    clientId,
    userId: null,
    experimentId: null,
    permissions: 'write',
    created: now,
    expires: null,
    root: true,
  } as const;
}
