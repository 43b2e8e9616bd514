import type { ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import { invalidType, isInteger, isNumber } from './schema.ts';

/** Shows a value the way the original's Python f-strings do (strings bare, numbers plain). */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * Checks one explicit assignment for one parameter (docs/api-compatibility.md#explicit-assignment-rules A4, A6, A7) and returns it
 * normalized (categoricals as value names, numbers as numbers). Bounds are deliberately not
 * enforced (A10): SigOpt lets users report points outside the search box.
 *
 * Order follows the original: grid membership first, then categorical lookup, then number types.
 */
export function checkParameterValue(param: ParameterSpec, value: unknown): number | string {
  if (param.grid !== null && !(isNumber(value) && param.grid.includes(value))) {
    throw apiError('INVALID_GRID_ASSIGNMENT', { name: param.name, value: showValue(value), grid: param.grid.join(', ') });
  }
  if (param.type === 'categorical') {
    if (typeof value !== 'string') throw invalidType(param.name, value, 'string');
    const found = (param.categoricalValues ?? []).find((c) => c.name === value);
    if (found === undefined) throw apiError('INVALID_CATEGORICAL_ASSIGNMENT', { name: param.name, value });
    if (found.deleted) throw apiError('DELETED_CATEGORICAL_ASSIGNMENT', { value, name: param.name });
    return value;
  }
  if (param.type === 'int') {
    if (!isInteger(value)) throw invalidType(param.name, value, 'integer');
    return value;
  }
  if (!isNumber(value)) throw invalidType(param.name, value, 'number');
  return value;
}
