import { apiError, ApiError, jsonDump } from '../errors.ts';

/**
 * Shared building blocks for request validation. They reproduce the message families of the
 * original server (docs/api-compatibility.md#request-parsing): its first pass is a JSON-schema check whose messages carry a
 * dotted path (`.parameters[0].name`), its second pass reads keys one by one in the handler and
 * names the bare key (`Invalid type for min: …`). Input is any parsed JSON, so every helper is
 * total: it either returns a value of the promised type or throws a 400 {@link ApiError}.
 */

/** A parsed JSON object (never null, never an array). */
export type JsonObject = Record<string, unknown>;

/** One step of a JSON path: object key or array index. */
export type PathPart = string | number;

/** The JSON-schema primitive type names the original uses. */
export type SchemaType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

/** True for a JSON object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a finite number. Booleans are never numbers (JS already keeps them apart). */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** True for an integer-valued number; `5.0` counts because JSON cannot tell it from `5`. */
export function isInteger(value: unknown): value is number {
  return isNumber(value) && Number.isInteger(value);
}

/**
 * Own-property lookup. Plain `obj[key]` would reach `Object.prototype` for keys such as
 * `constructor` or `toString`, which a client may well send as parameter names.
 */
export function getOwn(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Whether the key is present at all (even with `null`). */
export function hasKey(obj: JsonObject, key: string): boolean {
  return Object.hasOwn(obj, key);
}

/** Renders a path the way the original schema errors do: `.a[0].b`. */
export function pathString(path: readonly PathPart[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

/** `Missing required json key "k" in: …` */
export function missingKey(key: string, container: unknown): ApiError {
  return apiError('MISSING_KEY', { key, json: jsonDump(container) });
}

/** ``Unknown json keys `k1`, `k2` in: …`` */
export function unknownKeys(keys: readonly string[], container: unknown): ApiError {
  return apiError('UNKNOWN_JSON_KEYS', { keys: keys.map((k) => `\`${k}\``).join(', '), json: jsonDump(container) });
}

/** `Invalid type for <key>: <json> - expected type <t>` (key is a bare key or a dotted path). */
export function invalidType(key: string, value: unknown, expected: string): ApiError {
  return apiError('INVALID_TYPE', { key, json: jsonDump(value), expected });
}

/** `x is not one of the allowed values: a, b, c` */
export function notAllowed(value: unknown, allowed: readonly string[]): ApiError {
  const shown = typeof value === 'string' ? value : jsonDump(value);
  return apiError('NOT_ALLOWED_VALUE', { value: shown, allowed: allowed.join(', ') });
}

/** `The length of .path must be less than or equal to N` */
export function tooLong(path: string, max: number): ApiError {
  return apiError('TOO_LONG', { path, max });
}

/** `The length of .path must be greater than or equal to N` */
export function tooShort(path: string, min: number): ApiError {
  return apiError('TOO_SHORT', { path, min });
}

/** `Expected at most N keys in …` */
export function tooManyKeys(max: number, container: unknown): ApiError {
  return apiError('TOO_MANY_KEYS', { max, json: jsonDump(container) });
}

/** Throws ``Unknown json keys …`` when `obj` has keys outside `allowed` (listed in body order). */
export function rejectUnknownKeys(obj: JsonObject, allowed: readonly string[]): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw unknownKeys(extra, obj);
}

/** The JSON-schema type of a value (`integer` for integer-valued numbers). */
export function jsonType(value: unknown): SchemaType | 'invalid' {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (isInteger(value)) return 'integer';
  if (isNumber(value)) return 'number';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  if (isObject(value)) return 'object';
  return 'invalid';
}

/** Whether `value` is of one of the schema types (an integer is also a number). */
export function matchesType(value: unknown, types: readonly SchemaType[]): boolean {
  const t = jsonType(value);
  return types.some((want) => want === t || (want === 'number' && t === 'integer'));
}

/** Schema type list as shown in messages: `string`, or `['string', 'null']` for several. */
export function typeLabel(types: readonly SchemaType[]): string {
  if (types.length === 1) return types[0] ?? '';
  return `[${types.map((t) => `'${t}'`).join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Handler-level getters. Like the original's `get_opt_with_validation`, a `null` value is the
// same as an absent key; the type error names the bare key.

/** Optional string (`null`/absent → null). */
export function optString(obj: JsonObject, key: string): string | null {
  const v = getOwn(obj, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalidType(key, v, 'string');
  return v;
}

/** Required string: absent or null → missing key. */
export function reqString(obj: JsonObject, key: string): string {
  const v = optString(obj, key);
  if (v === null) throw missingKey(key, obj);
  return v;
}

/** Optional number. */
export function optNumber(obj: JsonObject, key: string): number | null {
  const v = getOwn(obj, key);
  if (v === undefined || v === null) return null;
  if (!isNumber(v)) throw invalidType(key, v, 'number');
  return v;
}

/** Required number. */
export function reqNumber(obj: JsonObject, key: string): number {
  const v = optNumber(obj, key);
  if (v === null) throw missingKey(key, obj);
  return v;
}

/** Optional positive integer (`observation_budget`, `num_solutions`, `parallel_bandwidth`). */
export function optPositiveInteger(obj: JsonObject, key: string): number | null {
  const v = getOwn(obj, key);
  if (v === undefined || v === null) return null;
  if (!isInteger(v) || v <= 0) throw invalidType(key, v, 'positive_integer');
  return v;
}

/** Optional boolean. */
export function optBoolean(obj: JsonObject, key: string): boolean | null {
  const v = getOwn(obj, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw invalidType(key, v, 'boolean');
  return v;
}

/** Optional object. */
export function optObject(obj: JsonObject, key: string): JsonObject | null {
  const v = getOwn(obj, key);
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw invalidType(key, v, 'object');
  return v;
}

/** Required object. */
export function reqObject(obj: JsonObject, key: string): JsonObject {
  const v = optObject(obj, key);
  if (v === null) throw missingKey(key, obj);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Schema pass. The original validates the whole body against a JSON schema and reports the
// "best" error: the one closest to the root, first in schema order among equals. The collector
// reproduces that choice so that, e.g., a missing top-level key wins over a bad nested value.

/** Collects schema errors and keeps the shallowest one (first reported among equals). */
export class SchemaErrors {
  private best: { depth: number; error: ApiError } | null = null;

  /** Records an error found at `path` (its depth decides its priority). */
  report(path: readonly PathPart[], error: ApiError): void {
    if (this.best === null || path.length < this.best.depth) this.best = { depth: path.length, error };
  }

  /** Throws the chosen error, if any. */
  throwIfAny(): void {
    if (this.best !== null) throw this.best.error;
  }
}

/** Reports a type error at `path` unless `value` matches; returns whether it matched. */
export function schemaType(errors: SchemaErrors, path: readonly PathPart[], value: unknown, types: readonly SchemaType[]): boolean {
  if (matchesType(value, types)) return true;
  errors.report(path, invalidType(pathString(path), value, typeLabel(types)));
  return false;
}

/** Reports minLength/maxLength errors for a string at `path`. Non-strings are ignored. */
export function schemaLength(errors: SchemaErrors, path: readonly PathPart[], value: unknown, min: number, max: number): void {
  if (typeof value !== 'string') return;
  // JSON-schema lengths count code points, not UTF-16 units.
  const len = [...value].length;
  if (len < min) errors.report(path, tooShort(pathString(path), min));
  else if (len > max) errors.report(path, tooLong(pathString(path), max));
}

/** Reports the missing required keys and the unknown keys of an object at `path`. */
export function schemaKeys(
  errors: SchemaErrors,
  path: readonly PathPart[],
  obj: JsonObject,
  required: readonly string[],
  allowed: readonly string[] | null,
): void {
  const missing = required.find((k) => !hasKey(obj, k));
  if (missing !== undefined) errors.report(path, missingKey(missing, obj));
  if (allowed !== null) {
    const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
    if (extra.length > 0) errors.report(path, unknownKeys(extra, obj));
  }
}

/** Reports an enum error when a string value is not allowed (`null` passes when `nullable`). */
export function schemaEnum(errors: SchemaErrors, path: readonly PathPart[], value: unknown, allowed: readonly string[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' && allowed.includes(value)) return;
  errors.report(path, notAllowed(value, allowed));
}
