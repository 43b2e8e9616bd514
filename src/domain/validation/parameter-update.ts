import type { CategoricalValue, ExperimentSpec, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, hasKey, invalidType, isObject, reqString } from './schema.ts';
import { parseParameter } from './parameters.ts';
import { parsePrior } from './prior.ts';
import {
  checkDefaultValue,
  readBounds,
  readCategoricalList,
  readCategoricalValueName,
  readDefaultValue,
  readGrid,
  readParameterType,
  readTransformation,
} from './parameter-fields.ts';
import { sortByName } from './sort-by-name.ts';

/** Python-style list of names, as the original prints duplicates: `['a', 'b']`. */
const pyList = (names: readonly string[]): string => `[${names.map((n) => `'${n}'`).join(', ')}]`;

/**
 * Applies an experiment update's `parameters` (the full new list, docs/api-compatibility.md#experiments): listed parameters
 * are updated (type, transformation and conditions fixed; a categorical's list replaces the active
 * values, keeping removed ones as deleted and numbering new ones after the highest enum index),
 * unknown names are created and — like revived deleted ones — need a `default_value`, and every
 * parameter not listed becomes deleted. Returns all parameters, sorted by name.
 */
export function updateParameters(spec: ExperimentSpec, raw: unknown): ParameterSpec[] {
  if (spec.type === 'grid') throw apiError('PARAMETER_UPDATE_ON_GRID');
  if (spec.linearConstraints.length > 0) throw apiError('PARAMETER_UPDATE_WITH_CONSTRAINTS');
  if (raw === null || raw === undefined) throw apiError('MISSING_PARAMETERS');
  if (!Array.isArray(raw) || !raw.every(isObject)) throw invalidType('parameters', raw, 'array[object]');
  const items = raw as JsonObject[];
  if (items.length === 0) throw apiError('NO_PARAMETERS');
  const counts = new Map<string, number>();
  for (const item of items) {
    const n = getOwn(item, 'name');
    if (typeof n === 'string') counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const dups = [...counts].filter(([, c]) => c > 1).map(([n]) => n);
  if (dups.length > 0) throw apiError('DUPLICATE_PARAMETER_NAMES', { names: pyList(dups) });

  const byName = new Map(spec.parameters.map((p) => [p.name, p]));
  const seen = new Set<string>();
  for (const item of items) {
    const name = reqString(item, 'name');
    const existing = byName.get(name);
    let updated: ParameterSpec;
    let isNew: boolean;
    if (existing === undefined) {
      updated = parseParameter(item, spec.type, spec.conditionals).spec;
      isNew = true;
    } else {
      updated = updateOne(existing, item);
      isNew = existing.deleted;
    }
    if (isNew && updated.defaultValue === null) throw apiError('NEW_PARAMETER_NEEDS_DEFAULT');
    if (updated.defaultValue !== null) checkDefaultValue(updated, updated.defaultValue);
    byName.set(updated.name, updated);
    seen.add(updated.name);
  }
  const all = [...byName.values()].map((p) => (seen.has(p.name) ? p : { ...p, deleted: true }));
  return sortByName(all);
}

function updateOne(param: ParameterSpec, item: JsonObject): ParameterSpec {
  const name = param.name;
  if (hasKey(item, 'conditions')) throw apiError('CONDITIONS_UPDATE');
  let next: ParameterSpec = { ...param, deleted: false };
  if (hasKey(item, 'type')) {
    const type = readParameterType(item);
    if (type !== param.type) throw apiError('PARAMETER_TYPE_CHANGED', { name, type: param.type });
  }
  if (hasKey(item, 'bounds') || hasKey(item, 'grid')) {
    next = { ...next, bounds: readBounds(item, name, param.type, param.transformation) };
  }
  if (hasKey(item, 'grid')) {
    const g = readGrid(item, name, param.type, param.transformation, param.categoricalValues?.length ?? 0);
    next = { ...next, grid: g.grid };
  }
  const list = readCategoricalList(item);
  if (list !== null && param.type === 'categorical') next = { ...next, categoricalValues: updateValues(param, list) };
  if (hasKey(item, 'default_value')) next = { ...next, defaultValue: readDefaultValue(item, next) };
  if (hasKey(item, 'prior')) {
    next = { ...next, prior: getOwn(item, 'prior') === null ? null : parsePrior(item, next) };
  }
  if (hasKey(item, 'transformation')) {
    const t = readTransformation(item, param.type);
    if (t !== param.transformation) {
      throw apiError('TRANSFORMATION_CHANGED', { name, transformation: param.transformation ?? 'none' });
    }
  }
  return next;
}

function updateValues(param: ParameterSpec, list: readonly unknown[]): CategoricalValue[] {
  const values = [...(param.categoricalValues ?? [])];
  let nextIndex = values.reduce((m, v) => Math.max(m, v.enumIndex), 0) + 1;
  const seen = new Set<string>();
  for (const item of list) {
    const valueName = typeof item === 'string' ? item : reqString(item as JsonObject, 'name');
    const idx = values.findIndex((v) => v.name === valueName);
    let finalName = valueName;
    if (idx >= 0) {
      values[idx] = { ...(values[idx] as CategoricalValue), deleted: false };
    } else {
      finalName = readCategoricalValueName(item, true);
      values.push({ name: finalName, enumIndex: nextIndex, deleted: false });
      nextIndex += 1;
    }
    if (seen.has(finalName)) throw apiError('DUPLICATE_CATEGORICAL_VALUE', { finalName, name: param.name });
    seen.add(finalName);
  }
  const out = values.map((v) => (seen.has(v.name) ? v : { ...v, deleted: true }));
  if (out.filter((v) => !v.deleted).length < 2) {
    throw apiError('TOO_FEW_ACTIVE_CATEGORICAL_VALUES', { name: param.name });
  }
  return out;
}
