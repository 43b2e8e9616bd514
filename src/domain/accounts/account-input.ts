import { apiError } from '../errors.ts';
import { getOwn, invalidType, missingKey, tooLong, unknownKeys, type JsonObject } from '../validation/schema.ts';

/**
 * Validation of the account bodies that carry a password (POST /v1/users, POST /v1/sessions). The
 * usual message families dump the request body ("… in: {…}"); here the password is replaced first,
 * so no error message (and so no log line that records one) ever contains it.
 */
const REDACTED = '[redacted]';
const MAX_NAME = 100;
const MAX_EMAIL = 254;
/** docs/api-compatibility.md#account-endpoints: 8–71 characters (bcrypt's 72-byte input limit, kept so passwords move between servers). */
const MIN_PASSWORD = 8;
const MAX_PASSWORD = 71;

/** The body with its password replaced, for error messages. */
export function redacted(body: JsonObject): JsonObject {
  return Object.hasOwn(body, 'password') ? { ...body, password: REDACTED } : body;
}

/** ``Unknown json keys …`` with the password redacted. */
export function rejectUnknownAccountKeys(body: JsonObject, allowed: readonly string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw unknownKeys(extra, redacted(body));
}

/** A required string field; its value is never echoed when the field is the password. */
export function requiredString(body: JsonObject, key: string): string {
  const v = getOwn(body, key);
  if (v === undefined || v === null) throw missingKey(key, redacted(body));
  if (typeof v !== 'string') throw invalidType(key, key === 'password' ? REDACTED : v, 'string');
  return v;
}

/** A trimmed, syntactically plausible email address (the same rule as the admin API). */
export function emailOf(body: JsonObject): string {
  const email = requiredString(body, 'email').trim();
  if (email.length > MAX_EMAIL) throw tooLong('.email', MAX_EMAIL);
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw apiError('INVALID_EMAIL', { email });
  return email;
}

/** A non-empty display name of at most 100 characters. */
export function nameOf(body: JsonObject, key: string): string {
  const name = requiredString(body, key).trim();
  if (name === '') throw apiError('EMPTY_VALUE', { key });
  if (name.length > MAX_NAME) throw tooLong(`.${key}`, MAX_NAME);
  return name;
}

/**
 * A new password: 8–71 characters with an upper-case letter, a lower-case letter, a digit and a
 * special character (docs/api-compatibility.md#account-endpoints). The message names the rule, never the password.
 */
export function newPasswordOf(body: JsonObject): string {
  const password = requiredString(body, 'password');
  const chars = [...password];
  const ok =
    chars.length >= MIN_PASSWORD &&
    chars.length <= MAX_PASSWORD &&
    /\p{Lu}/u.test(password) &&
    /\p{Ll}/u.test(password) &&
    /\p{Nd}/u.test(password) &&
    /[^\p{L}\p{Nd}]/u.test(password);
  if (!ok) {
    throw apiError('WEAK_PASSWORD', { min: MIN_PASSWORD, max: MAX_PASSWORD });
  }
  return password;
}
