import type { ConditionalSpec } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isObject, missingKey, reqString } from './schema.ts';
import { validateName } from './names.ts';

/**
 * Parses `conditionals` of an experiment create body (docs/api-compatibility.md#conditional-rules C1, C2). The body already passed
 * the structural schema, but this stays total on any input. Values keep creation order.
 */
export function parseConditionals(body: JsonObject): ConditionalSpec[] {
  const raw = getOwn(body, 'conditionals');
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every(isObject)) throw invalidType('conditionals', raw, 'array[object]');
  const seen = new Set<string>();
  const out: ConditionalSpec[] = [];
  for (const item of raw as JsonObject[]) {
    const name = validateName('Parameter', reqString(item, 'name'));
    const values = getOwn(item, 'values');
    if (values === undefined || values === null) throw missingKey('values', item);
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
      throw invalidType('values', values, 'array[string]');
    }
    const names: string[] = [];
    for (const v of values as string[]) {
      const value = validateName('Categorical', v);
      if (names.includes(value)) throw apiError('DUPLICATE_CONDITIONAL_VALUE', { value, name });
      names.push(value);
    }
    if (names.length === 0) throw apiError('NO_CONDITIONAL_VALUES', { name });
    if (names.length < 2) throw apiError('TOO_FEW_CONDITIONAL_VALUES', { name });
    if (seen.has(name)) throw apiError('DUPLICATE_CONDITIONAL_NAME', { name });
    seen.add(name);
    out.push({ name, values: names });
  }
  return out;
}
