/**
 * Limits password-login attempts per account and per client address (docs/security.md,
 * "Passwords"): failed logins are counted in fixed windows; once either count reaches its limit,
 * further attempts are refused (429) until the window ends, before any password is checked.
 */
export interface LoginThrottle {
  /** Seconds until an attempt for this account from this address is allowed again; 0 = allowed now. */
  blockedFor(account: string, address: string): Promise<number>;
  /** Counts one failed login (or one sign-up, which costs the address the same). */
  recordFailure(account: string | null, address: string): Promise<void>;
  /** A successful login clears the account's count (not the address's). */
  recordSuccess(account: string): Promise<void>;
}

/** Limits of a {@link LoginThrottle}, read at each attempt so live setting changes apply at once. */
export interface LoginLimits {
  /** Failed attempts per account per window; 0 disables the account limit. */
  readonly perAccount: number;
  /** Failed attempts (and sign-ups) per address per window; 0 disables the address limit. */
  readonly perAddress: number;
  readonly windowMs: number;
}
