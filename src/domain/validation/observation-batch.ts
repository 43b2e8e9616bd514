import { apiError, ApiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isObject, missingKey, optBoolean } from './schema.ts';

/** A validated batch envelope; items are validated one by one by the caller. */
export interface ObservationBatchInput {
  readonly items: unknown[];
  readonly dryRun: boolean;
  /** Given explicitly, or implied because every item says `no_optimize: true`. */
  readonly noOptimize: boolean;
}

/**
 * Validates the envelope of `POST …/observations/batch` (docs/api-compatibility.md#observations, O13, O14). Each item is then
 * validated with {@link asBatchItem} and `validateObservationCreate` inside {@link withBatchPrefix}.
 */
export function validateObservationBatch(body: JsonObject, opts: { readonly maxBatch: number }): ObservationBatchInput {
  const raw = getOwn(body, 'observations');
  if (raw === undefined || raw === null) throw missingKey('observations', body);
  if (!Array.isArray(raw)) throw invalidType('observations', raw, 'array');
  if (raw.length > opts.maxBatch) {
    throw apiError('BATCH_TOO_LARGE', { maxBatch: opts.maxBatch });
  }
  const dryRun = optBoolean(body, 'dry_run') ?? false;
  const explicit = optBoolean(body, 'no_optimize');
  const implied = raw.length > 0 && raw.every((item) => isObject(item) && getOwn(item, 'no_optimize') === true);
  return { items: raw, dryRun, noOptimize: explicit === true || implied };
}

/** One batch item as a body object (an item that is not an object is a schema error of that item). */
export function asBatchItem(item: unknown, index: number): JsonObject {
  if (!isObject(item)) throw invalidType(`.observations[${index}]`, item, 'object');
  return item;
}

/**
 * Runs `fn` for batch item `index` (0-based) of `total` and re-throws its ApiError with the prefix
 * `Error in observation i/n: ` (1-based i). The original turned these into 500s (fix F1, docs/api-compatibility.md#fixes).
 */
export function withBatchPrefix<T>(index: number, total: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ApiError) {
      throw e.withPrefix(`Error in observation ${index + 1}/${total}: `);
    }
    throw e;
  }
}
