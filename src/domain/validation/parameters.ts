import type { ConditionalSpec, ExperimentType, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isObject, reqString } from './schema.ts';
import { validateName } from './names.ts';
import { parsePrior } from './prior.ts';
import {
  readBounds,
  readCategoricalValues,
  readConditions,
  readDefaultValue,
  readGrid,
  readParameterType,
  readPrecision,
  readTransformation,
  wantsGrid,
} from './parameter-fields.ts';

/** A parsed parameter plus its grid size (for the grid budget, G9). */
export interface ParsedParameter {
  readonly spec: ParameterSpec;
  /** Number of grid points (categoricals: number of values); null when not a grid parameter. */
  readonly gridSize: number | null;
}

/**
 * Parses one request Parameter (docs/api-compatibility.md#parameter-rules, docs/api-compatibility.md#grid-rules,
 * docs/api-compatibility.md#prior-rules, X2) in the original's step order: name, type,
 * transformation, bounds, prior, categorical values, grid, default value, conditions, then the
 * precision extension. Unknown keys are ignored (F3: clients send `object`, `tunable`, …).
 */
export function parseParameter(
  raw: JsonObject,
  experimentType: ExperimentType,
  conditionals: readonly ConditionalSpec[],
): ParsedParameter {
  const name = validateName('Parameter', reqString(raw, 'name'));
  const type = readParameterType(raw);
  const transformation = readTransformation(raw, type);
  const bounds = readBounds(raw, name, type, transformation);
  const prior = parsePrior(raw, { name, type, transformation, bounds });
  const categoricalValues = readCategoricalValues(raw, name, type);
  let grid: number[] | null = null;
  let gridSize: number | null = null;
  if (wantsGrid(raw, experimentType)) {
    const g = readGrid(raw, name, type, transformation, categoricalValues?.length ?? 0);
    grid = g.grid;
    gridSize = g.size;
  }
  const base: ParameterSpec = {
    name,
    type,
    bounds,
    categoricalValues,
    grid,
    prior,
    transformation,
    defaultValue: null,
    conditions: {},
    precision: null,
    deleted: false,
  };
  const defaultValue = readDefaultValue(raw, base);
  const conditions = readConditions(raw, name, conditionals);
  const precision = readPrecision(raw, name, type);
  return { spec: { ...base, defaultValue, conditions, precision }, gridSize };
}

/**
 * Parses the `parameters` list of a create body (E6–E8): at least one, unique names, no clash with
 * a conditional's name. Returned in request order; the caller sorts.
 */
export function parseParameters(
  body: JsonObject,
  experimentType: ExperimentType,
  conditionals: readonly ConditionalSpec[],
): ParsedParameter[] {
  const raw = getOwn(body, 'parameters');
  if (raw !== undefined && raw !== null && (!Array.isArray(raw) || !raw.every(isObject))) {
    throw invalidType('parameters', raw, 'array[object]');
  }
  const list = (raw ?? []) as JsonObject[];
  if (list.length === 0) throw apiError('NO_PARAMETERS');
  const seen = new Set<string>();
  const out: ParsedParameter[] = [];
  for (const item of list) {
    const parsed = parseParameter(item, experimentType, conditionals);
    const name = parsed.spec.name;
    if (seen.has(name)) throw apiError('DUPLICATE_PARAMETER_NAME', { name });
    if (conditionals.some((c) => c.name === name)) throw apiError('PARAMETER_CONDITIONAL_NAME_CLASH', { name });
    seen.add(name);
    out.push(parsed);
  }
  return out;
}
