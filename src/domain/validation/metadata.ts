import type { Metadata } from '../../store/ports/records.ts';
import { apiError } from '../errors.ts';
import { invalidType, isNumber, isObject, tooLong, tooManyKeys } from './schema.ts';

/** Most keys a metadata object may hold (docs/api-compatibility.md#metadata-rules D2). */
export const METADATA_MAX_KEYS = 100;
/** Longest metadata key (D3). */
export const METADATA_MAX_KEY_LENGTH = 100;
/** Longest string value (D4). */
export const METADATA_MAX_VALUE_LENGTH = 500;

/**
 * Validates user metadata (docs/api-compatibility.md#metadata-rules) on experiments, suggestions, observations and projects.
 *
 * `null`/`undefined` → `null` (callers distinguish "absent" themselves, PATCH semantics). The key
 * count is checked first, then each value in body order, then key lengths, as the original's
 * schema-then-loop order does. Null values are dropped (D5); booleans, arrays and objects are
 * refused (D4). Long keys are abbreviated in the message (first 10 + `...` + last 10).
 *
 * @param path the key name used in the type message (`Invalid type for .metadata: …`).
 */
export function validateMetadata(raw: unknown, path = 'metadata'): Metadata | null {
  if (raw === null || raw === undefined) return null;
  if (!isObject(raw)) throw invalidType(`.${path}`, raw, "['object', 'null']");
  const entries = Object.entries(raw);
  if (entries.length > METADATA_MAX_KEYS) throw tooManyKeys(METADATA_MAX_KEYS, raw);
  for (const [key, value] of entries) {
    if (value === null) continue;
    if (typeof value === 'string') {
      if ([...value].length > METADATA_MAX_VALUE_LENGTH) throw tooLong(`.${key}`, METADATA_MAX_VALUE_LENGTH);
      continue;
    }
    if (!isNumber(value)) throw invalidType(`.${key}`, value, "['string', 'number', 'null']");
  }
  for (const key of Object.keys(raw)) {
    const chars = [...key];
    if (chars.length > METADATA_MAX_KEY_LENGTH) {
      const shown = `${chars.slice(0, 10).join('')}...${chars.slice(-10).join('')}`;
      throw apiError('METADATA_KEY_TOO_LONG', { key: shown, max: METADATA_MAX_KEY_LENGTH });
    }
  }
  // fromEntries defines own properties, so a `__proto__` key stays data, not a prototype.
  return Object.freeze(Object.fromEntries(entries.filter(([, v]) => v !== null))) as Metadata;
}
