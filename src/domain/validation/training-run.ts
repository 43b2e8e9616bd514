import type { Metadata, RunValue, TrainingRunData, TrainingRunState } from '../../store/ports/records.ts';
import { apiError } from '../errors.ts';
import { validateMetadata } from './metadata.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, hasKey, invalidType, isNumber, isObject, missingKey, notAllowed, rejectUnknownKeys, tooLong, tooShort } from './schema.ts';

/** Keys a run create or update body may carry (SigOpt's training run fields). */
export const TRAINING_RUN_KEYS = [
  'assignments',
  'assignments_meta',
  'assignments_sources',
  'datasets',
  'deleted',
  'dev_metadata',
  'favorite',
  'logs',
  'metadata',
  'model',
  'name',
  'project',
  'source_code',
  'state',
  'sys_metadata',
  'values',
] as const;

const STATES: readonly TrainingRunState[] = ['active', 'completed', 'failed'];

/** Longest log stream kept: the python client truncates to 1024 chars plus its ~100-char disclaimer. */
export const MAX_LOG_LENGTH = 1124;

/** Most runs one batch create may hold (the python client's `upload_runs` sends batches of 10,000). */
export const MAX_RUN_BATCH = 10_000;

/**
 * A validated run body: the data fields it names (a map entry `null` means "remove this key" under
 * MERGE), plus the fields that are columns rather than data.
 */
export interface TrainingRunInput {
  readonly data: Partial<Record<keyof TrainingRunData, unknown>>;
  readonly state?: TrainingRunState;
  readonly deleted?: boolean;
  readonly project?: string;
  /** Keys given as explicit null (state, name and project cannot be removed from a run). */
  readonly nulls: ReadonlySet<string>;
}

type MapField = 'assignments' | 'values' | 'logs' | 'metadata' | 'dev_metadata' | 'sys_metadata' | 'datasets';
const MAP_FIELDS: readonly MapField[] = ['assignments', 'values', 'logs', 'metadata', 'dev_metadata', 'sys_metadata', 'datasets'];

function objectField(body: JsonObject, key: string): JsonObject | null {
  const v = getOwn(body, key);
  if (v === null) return null;
  if (!isObject(v)) throw invalidType(key, v, 'object');
  return v;
}

function optStr(obj: JsonObject, key: string, where: string): string | null {
  const v = getOwn(obj, key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalidType(`${where}.${key}`, v, 'string');
  return v;
}

/** One `values` entry: `{value, value_stddev?}`; null means "remove" (MERGE). */
function parseValue(name: string, raw: unknown): RunValue | null {
  if (raw === null) return null;
  if (!isObject(raw)) throw invalidType(`.values.${name}`, raw, 'object');
  rejectUnknownKeys(raw, ['value', 'value_stddev']);
  if (!hasKey(raw, 'value') || raw.value === null) throw missingKey('value', raw);
  if (!isNumber(raw.value)) throw invalidType(`.values.${name}.value`, raw.value, 'number');
  const sd = getOwn(raw, 'value_stddev') ?? null;
  if (sd !== null && !isNumber(sd)) throw invalidType(`.values.${name}.value_stddev`, sd, 'number');
  if (sd !== null && sd < 0) throw apiError('NEGATIVE_VALUE', { path: `.values.${name}.value_stddev` });
  return { value: raw.value, value_stddev: sd };
}

function parseMap(field: MapField, raw: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === null) {
      out[k] = null;
      continue;
    }
    switch (field) {
      case 'values':
        out[k] = parseValue(k, v);
        break;
      case 'logs': {
        if (!isObject(v)) throw invalidType(`.logs.${k}`, v, 'object');
        rejectUnknownKeys(v, ['content']);
        const content = optStr(v, 'content', `.logs.${k}`);
        out[k] = { content: content === null ? null : content.slice(0, MAX_LOG_LENGTH) };
        break;
      }
      case 'datasets':
        if (!isObject(v)) throw invalidType(`.datasets.${k}`, v, 'object');
        out[k] = {};
        break;
      case 'sys_metadata':
        out[k] = v;
        break;
      default:
        // assignments, metadata, dev_metadata: metadata rules per entry (string ≤ 500 or number).
        validateMetadata({ [k]: v }, field);
        out[k] = v;
    }
  }
  return out;
}

/**
 * Validates a run body (create, PUT or MERGE). Unknown keys are refused; `name` is required on
 * create; `state` is one of active, completed, failed.
 */
export function validateTrainingRunBody(body: JsonObject, opts: { readonly create: boolean }): TrainingRunInput {
  rejectUnknownKeys(body, TRAINING_RUN_KEYS);
  const nulls = new Set(Object.keys(body).filter((k) => body[k] === null));
  const data: Partial<Record<keyof TrainingRunData, unknown>> = {};
  if (opts.create && (!hasKey(body, 'name') || body.name === null)) throw missingKey('name', body);
  if (hasKey(body, 'name') && body.name !== null) {
    if (typeof body.name !== 'string') throw invalidType('name', body.name, 'string');
    const name = body.name.trim();
    if (name.length < 1) throw tooShort('.name', 1);
    if ([...name].length > 100) throw tooLong('.name', 100);
    data.name = name;
  }
  let state: TrainingRunState | undefined;
  if (hasKey(body, 'state') && body.state !== null) {
    if (typeof body.state !== 'string' || !(STATES as readonly string[]).includes(body.state)) throw notAllowed(body.state, STATES);
    state = body.state as TrainingRunState;
  }
  let deleted: boolean | undefined;
  if (hasKey(body, 'deleted') && body.deleted !== null) {
    if (typeof body.deleted !== 'boolean') throw invalidType('deleted', body.deleted, 'boolean');
    deleted = body.deleted;
  }
  let project: string | undefined;
  if (hasKey(body, 'project') && body.project !== null) {
    if (typeof body.project !== 'string') throw invalidType('project', body.project, 'string');
    project = body.project;
  }
  if (hasKey(body, 'favorite') && body.favorite !== null) {
    if (typeof body.favorite !== 'boolean') throw invalidType('favorite', body.favorite, 'boolean');
    data.favorite = body.favorite;
  }
  for (const field of MAP_FIELDS) {
    if (!hasKey(body, field)) continue;
    const raw = objectField(body, field);
    data[field] = raw === null ? null : parseMap(field, raw);
  }
  if (hasKey(body, 'model')) {
    const raw = objectField(body, 'model');
    if (raw !== null) rejectUnknownKeys(raw, ['type']);
    data.model = raw === null ? null : { type: optStr(raw, 'type', '.model') };
  }
  if (hasKey(body, 'source_code')) {
    const raw = objectField(body, 'source_code');
    if (raw !== null) rejectUnknownKeys(raw, ['content', 'hash']);
    data.source_code = raw === null ? null : { content: optStr(raw, 'content', '.source_code'), hash: optStr(raw, 'hash', '.source_code') };
  }
  // Display hints of the python client's parameter sources; accepted so those calls succeed, not stored.
  for (const key of ['assignments_meta', 'assignments_sources']) {
    if (hasKey(body, key) && body[key] !== null) objectField(body, key);
  }
  return {
    data,
    ...(state ? { state } : {}),
    ...(deleted !== undefined ? { deleted } : {}),
    ...(project !== undefined ? { project } : {}),
    nulls,
  };
}

/** The data of a run nobody has written to yet. */
export const EMPTY_RUN_DATA: TrainingRunData = Object.freeze({
  name: null,
  assignments: {},
  values: {},
  logs: {},
  metadata: null,
  dev_metadata: null,
  sys_metadata: null,
  model: { type: null },
  datasets: {},
  source_code: { content: null, hash: null },
  favorite: false,
  tags: [],
});

const dropNulls = (m: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(m).filter(([, v]) => v !== null));

/**
 * Applies a validated body to a run's data. MERGE merges maps key by key (a `null` entry removes
 * the key) and objects field by field; PUT replaces each given field (SigOpt's two update verbs).
 * Metadata maps are re-checked as a whole afterwards (the key limit applies to the result).
 */
export function applyRunData(current: TrainingRunData, patch: TrainingRunInput['data'], merge: boolean): TrainingRunData {
  const out: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    const field = key as keyof TrainingRunData;
    if ((MAP_FIELDS as readonly string[]).includes(field)) {
      const given = value as Record<string, unknown> | null;
      const base = merge ? ((current[field] as Record<string, unknown> | null) ?? {}) : {};
      const merged = given === null ? (merge ? base : {}) : dropNulls({ ...base, ...given });
      const isMetadata = field === 'metadata' || field === 'dev_metadata' || field === 'sys_metadata';
      out[field] = isMetadata && given === null && !merge ? null : merged;
    } else if (field === 'model' || field === 'source_code') {
      const given = value as Record<string, unknown> | null;
      const empty = EMPTY_RUN_DATA[field] as unknown as Record<string, unknown>;
      const base = merge ? (current[field] as unknown as Record<string, unknown>) : empty;
      out[field] =
        given === null ? empty : { ...base, ...Object.fromEntries(Object.entries(given).filter(([, v]) => !merge || v !== null)) };
    } else {
      out[field] = value;
    }
  }
  for (const field of ['assignments', 'metadata', 'dev_metadata'] as const) {
    if (field in patch && out[field] !== null) out[field] = validateMetadata(out[field], field) ?? (field === 'assignments' ? {} : null);
  }
  return out as unknown as TrainingRunData;
}

/** Checkpoint body: `values` `[{name, value}]` (required) and optional metadata. */
export function validateCheckpointBody(body: JsonObject): {
  readonly values: { name: string; value: number }[];
  readonly metadata: Metadata | null;
} {
  rejectUnknownKeys(body, ['values', 'metadata']);
  const raw = getOwn(body, 'values');
  if (raw === undefined || raw === null) throw missingKey('values', body);
  if (!Array.isArray(raw)) throw invalidType('values', raw, 'array');
  const values = raw.map((item: unknown, i) => {
    if (!isObject(item)) throw invalidType(`.values[${i}]`, item, 'object');
    rejectUnknownKeys(item, ['name', 'value', 'value_stddev']);
    if (typeof item.name !== 'string') throw invalidType(`.values[${i}].name`, item.name, 'string');
    if (!isNumber(item.value)) throw invalidType(`.values[${i}].value`, item.value, 'number');
    return { name: item.name, value: item.value };
  });
  const names = new Set<string>();
  for (const v of values) {
    if (names.has(v.name)) throw apiError('DUPLICATE_NAME', { name: v.name });
    names.add(v.name);
  }
  return { values, metadata: validateMetadata(getOwn(body, 'metadata')) };
}
