import type { JsonObject, PathPart } from './schema.ts';
import {
  SchemaErrors,
  getOwn,
  isObject,
  schemaEnum,
  schemaKeys,
  schemaLength,
  schemaType,
} from './schema.ts';
import { apiError, type ApiError } from '../errors.ts';
import { NAME_MAX_LENGTH } from './names.ts';

/**
 * The first, purely structural pass over experiment create and update bodies, mirroring the JSON
 * schema of the original server: the shallowest problem wins (a missing `name` beats a bad nested
 * value), ties go to schema order. Semantic rules (docs/api-compatibility.md#validation-rules) run afterwards on a body known to
 * have the right shape at these places; parameter objects are deliberately loose (fix F3, docs/api-compatibility.md#fixes).
 */

/** Keys accepted at the top level of an experiment create body. */
export const EXPERIMENT_CREATE_KEYS = [
  'name',
  'project',
  'type',
  'observation_budget',
  'budget',
  'metrics',
  'parameters',
  'conditionals',
  'linear_constraints',
  'tasks',
  'metadata',
  'num_solutions',
  'parallel_bandwidth',
  'runs_only',
] as const;

/** Keys accepted at the top level of an experiment update body. */
export const EXPERIMENT_UPDATE_KEYS = [
  'project',
  'observation_budget',
  'budget',
  'state',
  'name',
  'metrics',
  'parameters',
  'no_optimize',
  'metadata',
  'parallel_bandwidth',
  'tasks',
] as const;

/** Allowed experiment `type` values (E5). */
export const EXPERIMENT_TYPES = ['offline', 'random', 'grid'] as const;
/** Allowed metric objectives. */
export const METRIC_OBJECTIVES = ['maximize', 'minimize'] as const;
/** Allowed metric strategies. */
export const METRIC_STRATEGIES = ['optimize', 'store', 'constraint'] as const;
/** Allowed linear constraint types. */
export const CONSTRAINT_TYPES = ['greater_than', 'less_than'] as const;

const PROJECT_ID_PATTERN = /^[a-z0-9\-_.]+$/;
/** How the project id pattern is shown in messages (the original's regex source). */
export const PROJECT_ID_PATTERN_TEXT = '^[a-z0-9\\-_\\.]+$';
/** Longest project id (docs/api-compatibility.md#other-limits). */
export const PROJECT_ID_MAX_LENGTH = 32;

type Path = readonly PathPart[];

/** Structural checks of a project id (also used by project create). */
export function checkProjectId(errors: SchemaErrors, path: Path, value: unknown, nullable: boolean): void {
  if (!schemaType(errors, path, value, nullable ? ['string', 'null'] : ['string'])) return;
  if (typeof value !== 'string') return;
  schemaLength(errors, path, value, 1, PROJECT_ID_MAX_LENGTH);
  if (!PROJECT_ID_PATTERN.test(value)) {
    errors.report(path, apiError('PROJECT_ID_PATTERN', { value, pattern: PROJECT_ID_PATTERN_TEXT }));
  }
}

function checkName(errors: SchemaErrors, path: Path, value: unknown, nullable: boolean): void {
  if (schemaType(errors, path, value, nullable ? ['string', 'null'] : ['string'])) {
    schemaLength(errors, path, value, 1, NAME_MAX_LENGTH);
  }
}

function checkMetrics(errors: SchemaErrors, value: unknown, nameNullable: boolean): void {
  const path: Path = ['metrics'];
  if (!schemaType(errors, path, value, ['array', 'null']) || !Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p: Path = [...path, i];
    if (!schemaType(errors, p, item, ['string', 'object']) || !isObject(item)) return;
    if (Object.hasOwn(item, 'name')) checkName(errors, [...p, 'name'], item.name, nameNullable);
    if (Object.hasOwn(item, 'objective')) {
      const v = item.objective;
      if (schemaType(errors, [...p, 'objective'], v, ['string', 'null'])) schemaEnum(errors, [...p, 'objective'], v, METRIC_OBJECTIVES);
    }
    if (Object.hasOwn(item, 'strategy')) {
      const v = item.strategy;
      if (schemaType(errors, [...p, 'strategy'], v, ['string', 'null'])) schemaEnum(errors, [...p, 'strategy'], v, METRIC_STRATEGIES);
    }
    if (Object.hasOwn(item, 'threshold')) schemaType(errors, [...p, 'threshold'], item.threshold, ['number', 'null']);
    if (Object.hasOwn(item, 'object')) {
      if (schemaType(errors, [...p, 'object'], item.object, ['string'])) schemaEnum(errors, [...p, 'object'], item.object, ['metric']);
    }
    schemaKeys(errors, p, item, [], ['name', 'objective', 'strategy', 'threshold', 'object']);
  });
}

function checkParameters(errors: SchemaErrors, value: unknown, withConditions: boolean): void {
  const path: Path = ['parameters'];
  if (!schemaType(errors, path, value, ['array']) || !Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p: Path = [...path, i];
    if (!schemaType(errors, p, item, ['object']) || !isObject(item)) return;
    schemaKeys(errors, p, item, ['name'], null);
    if (Object.hasOwn(item, 'name')) checkName(errors, [...p, 'name'], item.name, false);
    if (withConditions && Object.hasOwn(item, 'conditions')) {
      const c = item.conditions;
      const cp: Path = [...p, 'conditions'];
      if (!schemaType(errors, cp, c, ['object']) || !isObject(c)) return;
      for (const [k, v] of Object.entries(c)) {
        if (!schemaType(errors, [...cp, k], v, ['array', 'string']) || !Array.isArray(v)) continue;
        v.forEach((s: unknown, j) => schemaType(errors, [...cp, k, j], s, ['string']));
      }
    }
  });
}

function checkConditionals(errors: SchemaErrors, value: unknown): void {
  const path: Path = ['conditionals'];
  if (!schemaType(errors, path, value, ['array', 'null']) || !Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p: Path = [...path, i];
    if (!schemaType(errors, p, item, ['object']) || !isObject(item)) return;
    schemaKeys(errors, p, item, ['name', 'values'], null);
    if (Object.hasOwn(item, 'name')) checkName(errors, [...p, 'name'], item.name, false);
    if (Object.hasOwn(item, 'values')) {
      const v = item.values;
      if (schemaType(errors, [...p, 'values'], v, ['array']) && Array.isArray(v)) {
        v.forEach((s: unknown, j) => schemaType(errors, [...p, 'values', j], s, ['string']));
      }
    }
    schemaKeys(errors, p, item, [], ['name', 'values']);
  });
}

/**
 * Runs `check` on a sub-document whose errors the original reports with paths relative to that
 * sub-document (its `oneOf` wrappers lose the outer path), e.g. `Invalid type for .threshold`.
 */
function relative(errors: SchemaErrors, at: Path, check: (inner: SchemaErrors) => void): void {
  const inner = new SchemaErrors();
  check(inner);
  try {
    inner.throwIfAny();
  } catch (e) {
    errors.report(at, e as ApiError);
  }
}

function checkConstraints(errors: SchemaErrors, value: unknown): void {
  const path: Path = ['linear_constraints'];
  if (!schemaType(errors, path, value, ['array', 'null']) || !Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p: Path = [...path, i];
    if (!schemaType(errors, p, item, ['object']) || !isObject(item)) return;
    schemaKeys(errors, p, item, ['type'], null);
    relative(errors, p, (e) => {
      schemaKeys(e, [], item, ['type', 'terms', 'threshold'], null);
      if (Object.hasOwn(item, 'type') && schemaType(e, ['type'], item.type, ['string'])) {
        schemaEnum(e, ['type'], item.type, CONSTRAINT_TYPES);
      }
      if (Object.hasOwn(item, 'terms') && schemaType(e, ['terms'], item.terms, ['array']) && Array.isArray(item.terms)) {
        item.terms.forEach((term: unknown, j) => {
          const tp: Path = ['terms', j];
          if (!schemaType(e, tp, term, ['object']) || !isObject(term)) return;
          schemaKeys(e, tp, term, ['name', 'weight'], null);
          if (Object.hasOwn(term, 'name')) checkName(e, [...tp, 'name'], term.name, true);
          if (Object.hasOwn(term, 'weight')) schemaType(e, [...tp, 'weight'], term.weight, ['number']);
          schemaKeys(e, tp, term, [], ['name', 'weight']);
        });
      }
      if (Object.hasOwn(item, 'threshold')) schemaType(e, ['threshold'], item.threshold, ['number']);
      schemaKeys(e, [], item, [], ['type', 'terms', 'threshold']);
    });
  });
}

function checkTasks(errors: SchemaErrors, value: unknown): void {
  const path: Path = ['tasks'];
  if (!schemaType(errors, path, value, ['array', 'null']) || !Array.isArray(value)) return;
  value.forEach((item: unknown, i) => {
    const p: Path = [...path, i];
    if (!schemaType(errors, p, item, ['object']) || !isObject(item)) return;
    schemaKeys(errors, p, item, ['name', 'cost'], null);
    relative(errors, p, (e) => {
      if (Object.hasOwn(item, 'name')) checkName(e, ['name'], item.name, true);
      if (Object.hasOwn(item, 'cost')) schemaType(e, ['cost'], item.cost, ['number']);
      schemaKeys(e, [], item, [], ['name', 'cost']);
    });
  });
}

/** Structural pass for `POST /experiments` (E1, E3, E5 and the nested shapes). */
export function checkExperimentCreateSchema(body: JsonObject): void {
  const errors = new SchemaErrors();
  schemaKeys(errors, [], body, ['name'], EXPERIMENT_CREATE_KEYS);
  const has = (k: string): boolean => Object.hasOwn(body, k);
  if (has('name')) checkName(errors, ['name'], body.name, false);
  if (has('project')) checkProjectId(errors, ['project'], body.project, true);
  if (has('type') && schemaType(errors, ['type'], body.type, ['string', 'null'])) {
    schemaEnum(errors, ['type'], body.type, EXPERIMENT_TYPES);
  }
  for (const k of ['observation_budget', 'budget'] as const) {
    if (has(k)) schemaType(errors, [k], getOwn(body, k), ['integer', 'null']);
  }
  if (has('metrics')) checkMetrics(errors, body.metrics, true);
  if (has('parameters')) checkParameters(errors, body.parameters, true);
  if (has('conditionals')) checkConditionals(errors, body.conditionals);
  if (has('linear_constraints')) checkConstraints(errors, body.linear_constraints);
  if (has('tasks')) checkTasks(errors, body.tasks);
  if (has('metadata')) schemaType(errors, ['metadata'], body.metadata, ['object', 'null']);
  for (const k of ['num_solutions', 'parallel_bandwidth'] as const) {
    if (has(k)) schemaType(errors, [k], getOwn(body, k), ['integer', 'null']);
  }
  if (has('runs_only')) schemaType(errors, ['runs_only'], body.runs_only, ['boolean', 'null']);
  errors.throwIfAny();
}

/** Structural pass for `PUT /experiments/{id}`. */
export function checkExperimentUpdateSchema(body: JsonObject): void {
  const errors = new SchemaErrors();
  schemaKeys(errors, [], body, [], EXPERIMENT_UPDATE_KEYS);
  const has = (k: string): boolean => Object.hasOwn(body, k);
  if (has('project')) checkProjectId(errors, ['project'], body.project, true);
  for (const k of ['observation_budget', 'budget'] as const) {
    if (has(k)) schemaType(errors, [k], getOwn(body, k), ['integer', 'null']);
  }
  if (has('state')) schemaType(errors, ['state'], body.state, ['string', 'null']);
  if (has('name')) checkName(errors, ['name'], body.name, true);
  if (has('metrics')) checkMetrics(errors, body.metrics, true);
  if (has('parameters')) checkParameters(errors, body.parameters, false);
  if (has('metadata')) schemaType(errors, ['metadata'], body.metadata, ['object', 'null']);
  if (has('parallel_bandwidth')) schemaType(errors, ['parallel_bandwidth'], body.parallel_bandwidth, ['integer', 'null']);
  if (has('tasks') && schemaType(errors, ['tasks'], body.tasks, ['array']) && Array.isArray(body.tasks)) {
    body.tasks.forEach((t: unknown, i) => schemaType(errors, ['tasks', i], t, ['object']));
  }
  errors.throwIfAny();
}
