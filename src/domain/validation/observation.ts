import type { Assignments, ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import type { Metadata, ObservationRecord, ObservationValue } from '../../store/ports/records.ts';
import { apiError, jsonDump } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, hasKey, invalidType, isInteger, isObject, missingKey, optBoolean } from './schema.ts';
import { checkObservationSchema } from './observation-schema.ts';
import { matchObservationValues } from './observation-values.ts';
import { validateAssignments, validateTask } from './assignments.ts';
import { validateMetadata } from './metadata.ts';

/** A validated observation create request. */
export interface ObservationInput {
  /** Decimal id string; existence in the experiment (O11) is checked by the service. */
  readonly suggestionId: string | null;
  /** Normalized explicit assignments; null when `suggestion` is given. */
  readonly assignments: Assignments | null;
  readonly task: string | null;
  /** Sorted by metric name; empty when failed. */
  readonly values: ObservationValue[];
  readonly failed: boolean;
  readonly metadata: Metadata | null;
  readonly noOptimize: boolean;
}

/** A validated observation update: only the given fields. */
export interface ObservationPatch {
  readonly suggestionId?: string | null;
  /** New explicit assignments (absent when unchanged or when switching to a suggestion). */
  readonly assignments?: Assignments;
  readonly task?: string | null;
  /** The full new value list (given items merged into the stored ones by metric name). */
  readonly values?: ObservationValue[];
  readonly failed?: boolean;
  readonly metadata?: Metadata | null;
  readonly noOptimize: boolean;
}

/**
 * Reads an id given as an integer or a decimal string (docs/api-compatibility.md#request-parsing), as a canonical decimal string.
 * Strings keep ids beyond 2^53 exact.
 */
export function readId(key: string, value: unknown): string {
  if (isInteger(value)) return BigInt(value).toString();
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim()).toString();
  throw invalidType(key, value, 'id');
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Validates `POST …/observations` (docs/api-compatibility.md#observations, docs/api-compatibility.md#observation-rules O1–O10, O12,
 * T7, T9). The order follows the
 * original: body schema, failed-with-values, suggestion/assignments exclusivity, missing values;
 * then task placement, assignments, values against metrics, metadata.
 */
export function validateObservationCreate(body: JsonObject, spec: ExperimentSpec): ObservationInput {
  checkObservationSchema(body);
  const failed = optBoolean(body, 'failed') === true;
  const rawValues = getOwn(body, 'values');
  const valueItems = Array.isArray(rawValues) ? (rawValues as JsonObject[]) : [];
  if (failed && valueItems.length > 0) throw apiError('VALUES_ON_FAILED_OBSERVATION');
  const hasSuggestion = present(getOwn(body, 'suggestion'));
  const hasAssignments = present(getOwn(body, 'assignments'));
  if (hasSuggestion && hasAssignments) throw apiError('SUGGESTION_AND_ASSIGNMENTS');
  if (!hasKey(body, 'suggestion') && !hasKey(body, 'assignments')) {
    throw apiError('SUGGESTION_OR_ASSIGNMENTS_IN', { json: jsonDump(body) });
  }
  if (!failed && valueItems.length === 0) throw missingKey('value', body);

  const noOptimize = optBoolean(body, 'no_optimize') ?? false;
  const taskRaw = getOwn(body, 'task');
  if (present(taskRaw) && hasSuggestion) throw apiError('TASK_WITH_SUGGESTION');
  let suggestionId: string | null = null;
  let assignments: Assignments | null = null;
  let task: string | null = null;
  if (hasSuggestion || !hasAssignments) {
    if (!hasSuggestion) throw apiError('SUGGESTION_OR_ASSIGNMENTS_IN', { json: jsonDump(body) });
    suggestionId = readId('suggestion', getOwn(body, 'suggestion'));
  } else {
    task = validateTask(spec, taskRaw, 'observation');
    assignments = validateAssignments(spec, getOwn(body, 'assignments'));
    if (spec.tasks !== null && task === null) {
      throw apiError('MULTITASK_OBSERVATION_NEEDS_TASK');
    }
  }
  const values = failed ? [] : matchObservationValues(spec, valueItems);
  const metadata = validateMetadata(getOwn(body, 'metadata'));
  return { suggestionId, assignments, task, values, failed, metadata, noOptimize };
}

/**
 * Validates `PUT …/observations/{id}` (docs/api-compatibility.md#observations): partial, every create key allowed. The
 * suggestion/assignments pair and the failed/values pair are checked on the merged result, as
 * the original does; value items are matched to metrics by name and replace only given fields.
 */
export function validateObservationUpdate(body: JsonObject, spec: ExperimentSpec, current: ObservationRecord): ObservationPatch {
  checkObservationSchema(body);
  const noOptimize = optBoolean(body, 'no_optimize') ?? false;
  const suggestion = hasKey(body, 'suggestion') ? getOwn(body, 'suggestion') : current.suggestionId;
  const assignmentsRaw = hasKey(body, 'assignments')
    ? getOwn(body, 'assignments')
    : current.suggestionId === null
      ? current.assignments
      : null;
  if (present(suggestion) === present(assignmentsRaw)) {
    throw apiError('SUGGESTION_OR_ASSIGNMENTS');
  }
  const failed = hasKey(body, 'failed') ? optBoolean(body, 'failed') === true : current.failed;
  const givenValues = hasKey(body, 'values') ? getOwn(body, 'values') : undefined;
  const valuesAfter = givenValues === undefined ? current.values : Array.isArray(givenValues) ? givenValues : [];
  const hasValues = valuesAfter.length > 0;
  if (spec.metrics.length > 1) {
    if (hasValues && failed) throw apiError('MULTIMETRIC_OBSERVATION_VALUES_AND_FAILED');
    if (!hasValues && !failed) throw apiError('MULTIMETRIC_OBSERVATION_WITHOUT_VALUES');
  } else {
    if (hasValues && failed) throw apiError('OBSERVATION_VALUE_AND_FAILED');
    if (!hasValues && !failed) throw apiError('OBSERVATION_WITHOUT_VALUE');
  }
  const taskRaw = getOwn(body, 'task');
  if (hasKey(body, 'task') && spec.tasks === null) throw apiError('TASK_ON_NON_MULTITASK_OBSERVATION');
  if (present(taskRaw) && present(suggestion)) throw apiError('TASK_WITH_SUGGESTION');

  const patch: { -readonly [K in keyof ObservationPatch]: ObservationPatch[K] } = { noOptimize };
  if (hasKey(body, 'suggestion')) patch.suggestionId = present(suggestion) ? readId('suggestion', suggestion) : null;
  if (hasKey(body, 'assignments') && present(assignmentsRaw)) patch.assignments = validateAssignments(spec, assignmentsRaw);
  if (hasKey(body, 'task')) patch.task = validateTask(spec, taskRaw, 'observation');
  if (hasKey(body, 'failed')) patch.failed = failed;
  if (givenValues !== undefined) patch.values = failed ? [] : mergeValues(spec, current, givenValues as JsonObject[] | null);
  if (hasKey(body, 'metadata')) patch.metadata = validateMetadata(getOwn(body, 'metadata'));
  return patch;
}

/** Given value items replace the stored value of the metric they name, field by field. */
function mergeValues(spec: ExperimentSpec, current: ObservationRecord, items: JsonObject[] | null): ObservationValue[] {
  if (items === null || items.length === 0) return [];
  const byName = new Map<string | null, ObservationValue>(current.values.map((v) => [v.name, v]));
  const single = spec.metrics.length === 1 ? spec.metrics[0] : undefined;
  const merged: JsonObject[] = spec.metrics.map((m) => {
    const v = byName.get(m.name);
    return v === undefined ? { name: m.name } : { name: m.name, value: v.value, value_stddev: v.valueStddev };
  });
  for (const item of items) {
    const n = getOwn(item, 'name');
    const name = typeof n === 'string' ? n : single !== undefined ? single.name : null;
    const idx = spec.metrics.findIndex((m) => m.name === name || (single !== undefined && n == null));
    if (idx < 0) throw apiError('INVALID_METRIC_NAME', { name: typeof n === 'string' ? n : 'null' });
    const target = merged[idx] as JsonObject;
    if (hasKey(item, 'value')) target.value = getOwn(item, 'value');
    if (hasKey(item, 'value_stddev')) target.value_stddev = getOwn(item, 'value_stddev');
  }
  return matchObservationValues(spec, merged.map((m) => (isObject(m) ? m : {})));
}
