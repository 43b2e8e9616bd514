import type {
  CategoricalValue,
  ConditionalSpec,
  ExperimentType,
  ParameterSpec,
  ParameterType,
} from '../../optimizer/experiment-spec.ts';
import { apiError, type ApiError, jsonDump } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isInteger, isNumber, isObject, missingKey, optBoolean, optObject, optString, reqString } from './schema.ts';
import { validateName } from './names.ts';
import { checkParameterValue } from './parameter-value.ts';

/**
 * The field-by-field readers of a request Parameter (docs/api-compatibility.md#parameter-rules, docs/api-compatibility.md#grid-rules,
 * X2), shared by experiment
 * create and by parameter updates. Each mirrors one step of the original, whose order decides
 * which error a client sees first.
 */

/** Smallest allowed `max - min` (P5); the original's domain edge length. */
export const MIN_BOUNDS_LENGTH = 1e-8;

const PARAMETER_TYPES: readonly ParameterType[] = ['double', 'int', 'categorical'];

/** `type` (E9). */
export function readParameterType(raw: JsonObject): ParameterType {
  const type = reqString(raw, 'type');
  if (!(PARAMETER_TYPES as readonly string[]).includes(type)) {
    throw apiError('INVALID_PARAM_TYPE', { type });
  }
  return type as ParameterType;
}

/** `transformation` (P6, P7); `"none"` and `""` mean no transformation. */
export function readTransformation(raw: JsonObject, type: ParameterType): 'log' | null {
  const value = getOwn(raw, 'transformation');
  if (type !== 'double' && value !== undefined && value !== null) {
    throw apiError('TRANSFORMATION_ON_NON_DOUBLE');
  }
  const t = optString(raw, 'transformation');
  if (!t) return null;
  if (t !== 'none' && t !== 'log') throw apiError('INVALID_TRANSFORMATION', { transformation: t });
  return t === 'log' ? 'log' : null;
}

/** The numeric `grid` as given (type-checked only), or null when absent. */
export function readNumericGrid(raw: JsonObject): number[] | null {
  const grid = getOwn(raw, 'grid');
  if (grid === undefined || grid === null) return null;
  if (!Array.isArray(grid) || !grid.every(isNumber)) throw invalidType('grid', grid, 'array[number]');
  return grid as number[];
}

/** `bounds` (P1–P5, P8, G8); grid parameters take their bounds from the grid. */
export function readBounds(
  raw: JsonObject,
  name: string,
  type: ParameterType,
  transformation: 'log' | null,
): { min: number; max: number } | null {
  const grid = readNumericGrid(raw);
  const boundsRaw = getOwn(raw, 'bounds');
  const hasGrid = grid !== null && grid.length > 0;
  if (hasGrid && boundsRaw !== undefined && boundsRaw !== null) {
    throw apiError('GRID_WITH_BOUNDS');
  }
  if (type === 'categorical') {
    if (boundsRaw !== undefined && boundsRaw !== null) throw apiError('BOUNDS_ON_CATEGORICAL', { name });
    return null;
  }
  // A given grid is checked before bounds are derived from it: otherwise an empty, one-value or
  // non-positive log grid would surface as a bounds error and G2/G4/G5 could never be reported.
  if (grid !== null) readGrid(raw, name, type, transformation, 0);
  const bounds = optObject(raw, 'bounds');
  // `{}` counts as absent: the original tested the parsed dict for truthiness.
  const hasBounds = bounds !== null && Object.keys(bounds).length > 0;
  if (!hasBounds && !hasGrid) throw apiError('MISSING_BOUNDS', { name });
  let min: number;
  let max: number;
  if (hasGrid) {
    min = Math.min(...grid);
    max = Math.max(...grid);
  } else {
    const b = bounds as JsonObject;
    min = readBound(b, 'min', type);
    max = readBound(b, 'max', type);
  }
  if (max < min) throw apiError('BOUNDS_INVERTED');
  if (max - min < MIN_BOUNDS_LENGTH) {
    throw apiError('BOUNDS_TOO_NARROW', { bounds: jsonDump({ min, max }) });
  }
  if (transformation === 'log' && min <= 0) throw apiError('LOG_BOUNDS_NOT_POSITIVE');
  return { min, max };
}

function readBound(bounds: JsonObject, key: 'min' | 'max', type: ParameterType): number {
  const v = getOwn(bounds, key);
  if (v === undefined || v === null) throw missingKey(key, bounds);
  if (type === 'int' ? !isInteger(v) : !isNumber(v)) throw invalidType(key, v, type === 'int' ? 'integer' : 'number');
  return v as number;
}

/** Reads the name of one categorical value item (string or `{name}`). */
export function readCategoricalValueName(item: unknown, atCreate: boolean): string {
  if (typeof item === 'string') return validateName('Categorical', item);
  const obj = item as JsonObject;
  const name = reqString(obj, 'name');
  if (atCreate && optBoolean(obj, 'deleted') === true) {
    throw apiError('CATEGORICAL_VALUE_DELETED_AT_CREATION', { name });
  }
  return validateName('Categorical', name);
}

/** The `categorical_values` list, type-checked, or null when absent/null. */
export function readCategoricalList(raw: JsonObject): unknown[] | null {
  const v = getOwn(raw, 'categorical_values');
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' || isObject(x))) {
    throw invalidType('categorical_values', v, 'array[oneOf[object, string]]');
  }
  return v;
}

/** `categorical_values` at create (P9–P13); enum indexes 1..n in creation order. */
export function readCategoricalValues(raw: JsonObject, name: string, type: ParameterType): CategoricalValue[] | null {
  const present = getOwn(raw, 'categorical_values');
  if (type !== 'categorical') {
    if (present !== undefined && present !== null) throw apiError('CATEGORICAL_VALUES_ON_NUMERIC_PARAMETER', { name });
    return null;
  }
  const list = readCategoricalList(raw);
  if (list === null) throw missingKey('categorical_values', raw);
  const values: CategoricalValue[] = [];
  list.forEach((item, i) => {
    const valueName = readCategoricalValueName(item, true);
    if (values.some((v) => v.name === valueName)) throw apiError('DUPLICATE_CATEGORICAL_VALUE_NAME', { valueName });
    values.push({ name: valueName, enumIndex: i + 1, deleted: false });
  });
  if (values.length === 0) throw apiError('NO_CATEGORICAL_VALUES', { name });
  if (values.length === 1) throw apiError('TOO_FEW_CATEGORICAL_VALUES', { name });
  return values;
}

const gridError = (name: string, msg: string): ApiError =>
  apiError('INVALID_GRID', { name, msg });

/**
 * `grid` (G1–G5, G7). Returns the sorted numeric grid, or null for categoricals (their values are
 * the grid) and for parameters without one. Only called when a grid is given or the experiment is
 * a grid experiment, as in the original.
 */
export function readGrid(
  raw: JsonObject,
  name: string,
  type: ParameterType,
  transformation: 'log' | null,
  categoricalCount: number,
): { grid: number[] | null; size: number } {
  const given = readNumericGrid(raw);
  if (type === 'categorical') {
    if (given !== null && given.length > 0) {
      throw gridError(name, 'Categorical parameters cannot have a grid specified. `categorical_values` will be used as a grid.');
    }
    return { grid: null, size: categoricalCount };
  }
  if (given === null || given.length === 0) throw gridError(name, 'Cannot be an empty list.');
  if (type === 'int' && !given.every(isInteger)) throw invalidType('grid', given, 'array[integer]');
  const grid = [...given].sort((a, b) => a - b);
  if (new Set(grid).size !== grid.length) throw gridError(name, 'Cannot have duplicate values in grid.');
  if (grid.length < 2) throw gridError(name, 'Must have 2 or more values in grid');
  if (transformation === 'log' && grid.some((v) => v <= 0)) {
    throw gridError(name, 'Values must be greater than zero when transformation log is specified');
  }
  return { grid, size: grid.length };
}

/** Python's rendering of a float (`1.0`, `2.5`), used in the original's bounds messages. */
function pyFloat(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1e16 ? `${n}.0` : String(n);
}

/**
 * `default_value` (P14, P15): must be a valid assignment of the finished parameter, positive for
 * log parameters and — unlike explicit assignments — inside the bounds.
 */
export function readDefaultValue(raw: JsonObject, param: ParameterSpec): number | string | null {
  const value = getOwn(raw, 'default_value');
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && !isNumber(value)) throw invalidType('default_value', value, 'oneOf[string, number]');
  return checkDefaultValue(param, value);
}

/** Validates a default value against a (possibly updated) parameter definition. */
export function checkDefaultValue(param: ParameterSpec, value: number | string): number | string {
  const prefix = `\`default_value\` for parameter ${param.name} is invalid`;
  if (param.type === 'categorical') {
    const ok = (param.categoricalValues ?? []).some((c) => c.name === value && !c.deleted);
    if (!ok) throw apiError('DEFAULT_NOT_CATEGORICAL_VALUE', { assignment: prefix });
    return value;
  }
  if (param.grid !== null) {
    if (!isNumber(value) || !param.grid.includes(value)) throw apiError('DEFAULT_NOT_GRID_VALUE', { assignment: prefix });
  }
  const checked = checkParameterValue({ ...param, grid: null }, value) as number;
  if (param.transformation === 'log' && checked <= 0) {
    throw apiError('LOG_DEFAULT_NOT_POSITIVE');
  }
  if (param.bounds !== null && (checked < param.bounds.min || checked > param.bounds.max)) {
    throw apiError('ASSIGNMENT_OUT_OF_BOUNDS', { assignment: prefix, min: pyFloat(param.bounds.min), max: pyFloat(param.bounds.max) });
  }
  return checked;
}

/** `conditions` (C3–C5): conditional name → values enabling this parameter. */
export function readConditions(
  raw: JsonObject,
  name: string,
  conditionals: readonly ConditionalSpec[],
): Record<string, string[]> {
  const value = getOwn(raw, 'conditions');
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw invalidType('conditions', value, 'object<string, oneOf[array[string], string]>');
  const entries: [string, string[]][] = [];
  for (const [cond, spec] of Object.entries(value)) {
    const isStrings = Array.isArray(spec) && spec.every((s) => typeof s === 'string');
    if (!isStrings && typeof spec !== 'string') {
      throw invalidType('conditions', value, 'object<string, oneOf[array[string], string]>');
    }
    const conditional = conditionals.find((c) => c.name === cond);
    if (conditional === undefined) throw apiError('UNKNOWN_CONDITIONAL', { name, cond });
    const values = typeof spec === 'string' ? (spec === '' ? [] : [spec]) : (spec as string[]);
    if (values.length === 0) {
      throw apiError('EMPTY_CONDITION', { cond, name });
    }
    for (const v of values) {
      if (!conditional.values.includes(v)) {
        throw apiError('UNKNOWN_CONDITIONAL_VALUE', { cond, name, value: v });
      }
    }
    entries.push([cond, [...new Set(values)]]);
  }
  return Object.fromEntries(entries);
}

/** `precision` ([Extension] X2): an integer 1–15, doubles only. */
export function readPrecision(raw: JsonObject, name: string, type: ParameterType): number | null {
  const value = getOwn(raw, 'precision');
  if (value === undefined || value === null) return null;
  if (type !== 'double') throw apiError('PRECISION_ON_NON_DOUBLE');
  if (!isInteger(value) || value < 1 || value > 15) {
    throw apiError('INVALID_PRECISION', { name });
  }
  return value;
}

/** Whether the grid step runs for this parameter (a grid was given or it is a grid experiment). */
export function wantsGrid(raw: JsonObject, experimentType: ExperimentType): boolean {
  return Object.hasOwn(raw, 'grid') || experimentType === 'grid';
}
