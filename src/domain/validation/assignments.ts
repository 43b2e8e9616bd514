import type { Assignments, ExperimentSpec, LinearConstraintSpec, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { isParameterActive } from '../../optimizer/space/active-parameters.ts';
import { apiError } from '../errors.ts';
import { invalidType, isObject, reqString } from './schema.ts';
import { checkParameterValue, showValue } from './parameter-value.ts';

/**
 * Validates explicit assignments (docs/api-compatibility.md#explicit-assignment-rules) for suggestions, queued suggestions and
 * observations, and returns them normalized: conditionals plus the active parameters only, in
 * spec order. Each given value is checked first in body order (unknown names, categorical, grid
 * and number types), then completeness and conditions, log positivity, and linear constraints.
 * Bounds are deliberately not enforced (A10). A `null` value counts as not given.
 */
export function validateAssignments(spec: ExperimentSpec, raw: unknown): Assignments {
  if (raw === null || raw === undefined || (isObject(raw) && Object.keys(raw).length === 0)) {
    throw apiError('EMPTY_ASSIGNMENTS');
  }
  if (!isObject(raw)) throw invalidType('assignments', raw, 'object');
  const params = new Map<string, ParameterSpec>(spec.parameters.filter((p) => !p.deleted).map((p) => [p.name, p]));
  const conditionals = new Map(spec.conditionals.map((c) => [c.name, c]));
  const given = new Map<string, number | string>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === null) continue;
    const param = params.get(name);
    if (param !== undefined) {
      given.set(name, checkParameterValue(param, value));
      continue;
    }
    const conditional = conditionals.get(name);
    if (conditional !== undefined) {
      if (typeof value !== 'string' || !conditional.values.includes(value)) {
        throw apiError('INVALID_ASSIGNMENT_CONDITIONAL', { value: showValue(value), name });
      }
      given.set(name, value);
      continue;
    }
    throw apiError('ASSIGNMENT_FOR_UNKNOWN_PARAMETER', { name });
  }
  for (const c of spec.conditionals) {
    if (!given.has(c.name)) throw apiError('MISSING_CONDITIONAL_ASSIGNMENT', { name: c.name });
  }
  const conditionalValues = Object.fromEntries(spec.conditionals.map((c) => [c.name, given.get(c.name) ?? '']));
  const out: [string, number | string][] = spec.conditionals.map((c) => [c.name, given.get(c.name) ?? '']);
  for (const p of spec.parameters) {
    if (p.deleted) continue;
    const active = isParameterActive(p, conditionalValues);
    const value = given.get(p.name);
    if (value === undefined) {
      if (active) throw apiError('MISSING_PARAMETER_ASSIGNMENT', { name: p.name });
      continue;
    }
    if (!active) throw apiError('ASSIGNMENT_FOR_UNSATISFIED_PARAMETER', { name: p.name });
    if (p.transformation === 'log' && typeof value === 'number' && value <= 0) {
      throw apiError('LOG_ASSIGNMENT_NOT_POSITIVE', { name: p.name });
    }
    out.push([p.name, value]);
  }
  const result = Object.fromEntries(out);
  for (const c of spec.linearConstraints) {
    if (!constraintHolds(c, result)) throw apiError('ASSIGNMENTS_VIOLATE_CONSTRAINT', { constraint: describeConstraint(c) });
  }
  return result;
}

function constraintHolds(c: LinearConstraintSpec, assignments: Assignments): boolean {
  let lhs = 0;
  for (const t of c.terms) {
    const v = assignments[t.name];
    if (typeof v !== 'number') return false;
    lhs += t.weight * v;
  }
  return c.type === 'greater_than' ? lhs >= c.threshold : lhs <= c.threshold;
}

/** Human-readable form of a constraint for messages, e.g. `2*x + y >= 1`. */
export function describeConstraint(c: LinearConstraintSpec): string {
  const lhs = c.terms.map((t) => (t.weight === 1 ? t.name : `${t.weight}*${t.name}`)).join(' + ');
  return `${lhs} ${c.type === 'greater_than' ? '>=' : '<='} ${c.threshold}`;
}

/** Where a `task` was sent: the two endpoints word the T7 error differently. */
export type TaskContext = 'suggestion' | 'observation';

/**
 * Validates a `task` reference (string or `{name}`) against a multitask experiment (docs/api-compatibility.md#task-rules T7)
 * and returns the task name; `null`/absent → null.
 */
export function validateTask(spec: ExperimentSpec, raw: unknown, context: TaskContext = 'suggestion'): string | null {
  if (raw === null || raw === undefined) return null;
  if (spec.tasks === null) {
    throw apiError(context === 'suggestion' ? 'TASK_ON_NON_MULTITASK' : 'TASK_ON_NON_MULTITASK_OBSERVATION');
  }
  let name: string;
  if (typeof raw === 'string') name = raw;
  else if (isObject(raw)) {
    name = reqString(raw, 'name');
  } else throw invalidType('task', raw, "['object', 'string', 'null']");
  if (!spec.tasks.some((t) => t.name === name)) throw apiError('INVALID_TASK_NAME', { name });
  return name;
}
