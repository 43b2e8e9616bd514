import type { LinearConstraintSpec, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isObject, missingKey, optNumber, reqString } from './schema.ts';
import { validateName } from './names.ts';

/** Most distinct int parameters across all constraints (L8). */
export const MAX_INT_CONSTRAINT_VARIABLES = 10;

/**
 * Parses `linear_constraints` of a create body (docs/api-compatibility.md#linear-constraint-rules L1, L3–L8) in the original's order.
 * Note the quirk kept from the original: the int/double mix check (L7) looks at every term,
 * including zero-weight and unknown ones (which count as "int"), before names are checked.
 * L2 and L9 need the whole experiment and run at the end of create.
 */
export function parseLinearConstraints(body: JsonObject, parameters: readonly ParameterSpec[]): LinearConstraintSpec[] {
  const raw = getOwn(body, 'linear_constraints');
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || !raw.every(isObject)) throw invalidType('linear_constraints', raw, 'array[object]');
  const byName = new Map(parameters.map((p) => [p.name, p]));
  const intVariables = new Set<string>();
  const out: LinearConstraintSpec[] = [];
  for (const c of raw as JsonObject[]) {
    const type = reqString(c, 'type');
    if (type !== 'greater_than' && type !== 'less_than') {
      throw apiError('INVALID_CONSTRAINT_TYPE', { type });
    }
    const terms = getOwn(c, 'terms');
    if (terms === undefined || terms === null) throw missingKey('terms', c);
    if (!Array.isArray(terms) || !terms.every(isObject)) throw invalidType('terms', terms, 'array[object]');
    const threshold = optNumber(c, 'threshold');
    if (threshold === null) throw missingKey('threshold', c);
    if (terms.length < 1) throw apiError('CONSTRAINT_NO_TERMS');
    const kinds = new Set(
      (terms as JsonObject[]).map((t) => {
        const n = getOwn(t, 'name');
        return typeof n === 'string' && byName.get(n)?.type === 'double' ? 'double' : 'int';
      }),
    );
    if (kinds.size > 1) throw apiError('CONSTRAINT_MIXES_TYPES');
    const seen = new Set<string>();
    const parsed: { name: string; weight: number }[] = [];
    for (const t of terms as JsonObject[]) {
      const weight = optNumber(t, 'weight');
      if (weight === null) throw missingKey('weight', t);
      if (weight === 0) continue;
      const name = validateName('Variable', reqString(t, 'name'));
      const param = byName.get(name);
      if (param?.type === 'int') intVariables.add(name);
      if (intVariables.size > MAX_INT_CONSTRAINT_VARIABLES) {
        throw apiError('TOO_MANY_INTEGER_CONSTRAINT_VARIABLES', { max: MAX_INT_CONSTRAINT_VARIABLES });
      }
      if (param === undefined) throw apiError('CONSTRAINT_UNKNOWN_VARIABLE', { name });
      if (param.type !== 'double' && param.type !== 'int') {
        throw apiError('CONSTRAINT_VARIABLE_NOT_NUMERIC', { name });
      }
      if (Object.keys(param.conditions).length > 0) throw apiError('CONSTRAINT_ON_CONDITIONED_PARAMETER', { name });
      if (param.transformation === 'log') throw apiError('CONSTRAINT_ON_LOG_PARAMETER', { name });
      if (param.grid !== null) throw apiError('CONSTRAINT_ON_GRID_PARAMETER', { name });
      if (seen.has(name)) throw apiError('DUPLICATE_VARIABLE_NAME', { name });
      seen.add(name);
      parsed.push({ name, weight });
    }
    parsed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push({ type, terms: parsed, threshold });
  }
  return out;
}
