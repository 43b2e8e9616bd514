import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import type { ObservationValue } from '../../store/ports/records.ts';
import { apiError } from '../errors.ts';
import type { JsonObject, PathPart } from './schema.ts';
import { SchemaErrors, getOwn, isNumber, isObject, pathString, schemaKeys, schemaType } from './schema.ts';
import { sortByName } from './sort-by-name.ts';

/** Keys allowed in one item of `values`. */
const VALUE_KEYS = ['name', 'value', 'value_stddev'] as const;

/**
 * Structural checks of `values` (part of the observation body schema): an array (or null) of
 * `{name?, value, value_stddev?}` with no other keys and a non-negative stddev (O9, O10).
 */
export function checkValuesSchema(errors: SchemaErrors, value: unknown, requireValue: boolean): void {
  const path: PathPart[] = ['values'];
  if (!schemaType(errors, path, value, ['array', 'null']) || !Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p = [...path, i];
    if (!schemaType(errors, p, item, ['object']) || !isObject(item)) return;
    schemaKeys(errors, p, item, requireValue ? ['value'] : [], VALUE_KEYS);
    if (Object.hasOwn(item, 'name')) schemaType(errors, [...p, 'name'], item.name, ['string', 'null']);
    if (Object.hasOwn(item, 'value')) schemaType(errors, [...p, 'value'], item.value, ['number', 'null']);
    if (Object.hasOwn(item, 'value_stddev')) {
      const sp = [...p, 'value_stddev'];
      if (schemaType(errors, sp, item.value_stddev, ['number', 'null']) && isNumber(item.value_stddev) && item.value_stddev < 0) {
        errors.report(sp, apiError('NEGATIVE_VALUE', { path: pathString(sp) }));
      }
    }
  });
}

const metricNamesSet = (names: readonly string[]): string => `{${names.map((n) => `'${n}'`).join(', ')}}`;

/**
 * Matches reported values to the experiment's metrics (docs/api-compatibility.md#observation-rules O6–O9): one value per metric,
 * store metrics included; a single unnamed value is allowed for a single-metric experiment and
 * takes that metric's name. Returned sorted by metric name. Items are assumed schema-checked.
 */
export function matchObservationValues(spec: ExperimentSpec, items: readonly JsonObject[]): ObservationValue[] {
  const metrics = spec.metrics;
  const unnamedExperiment = metrics.length === 1 && metrics[0]?.name === null;
  if (items.length !== metrics.length) {
    if (unnamedExperiment && items.length > 1) {
      throw apiError('MULTIPLE_VALUES_WITHOUT_METRICS');
    }
    throw apiError('VALUE_COUNT_MISMATCH');
  }
  const names = items.map((it) => {
    const n = getOwn(it, 'name');
    return typeof n === 'string' ? n : null;
  });
  const only = metrics[0];
  if (metrics.length === 1 && only !== undefined && names[0] === null) {
    names[0] = only.name;
  } else {
    if (names.some((n) => n === null)) throw apiError('VALUE_NAME_REQUIRED');
    const seen = new Set<string | null>();
    for (const n of names) {
      if (seen.has(n)) throw apiError('DUPLICATE_NAME', { name: n });
      seen.add(n);
    }
    const metricNames = metrics.map((m) => m.name ?? '');
    if (names.some((n) => !metricNames.includes(n ?? ''))) {
      throw apiError('UNKNOWN_METRIC_IN_VALUES', { names: metricNamesSet(metricNames) });
    }
  }
  const out: ObservationValue[] = items.map((it, i) => {
    const name = names[i] ?? null;
    const value = getOwn(it, 'value');
    if (!isNumber(value)) throw apiError('MISSING_VALUE', { name: name ?? '' });
    const sd = getOwn(it, 'value_stddev');
    return { name, value, valueStddev: isNumber(sd) ? sd : null };
  });
  return sortByName(out);
}
