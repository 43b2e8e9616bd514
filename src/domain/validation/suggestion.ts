import type { Assignments, ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import type { Metadata } from '../../store/ports/records.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, hasKey, missingKey } from './schema.ts';
import { validateAssignments, validateTask } from './assignments.ts';
import { validateMetadata } from './metadata.ts';

/** A validated suggestion create request; `assignments: null` asks the server for a point. */
export interface SuggestionCreateInput {
  readonly assignments: Assignments | null;
  readonly task: string | null;
  readonly metadata: Metadata | null;
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Validates `POST …/suggestions` (docs/api-compatibility.md#suggestions, T7, T8). No unknown-key check (the original has none
 * here). A present `assignments` key makes the suggestion explicit, so `assignments: null` or `{}`
 * is refused (A11) rather than silently meaning "generate one".
 */
export function validateSuggestionCreate(body: JsonObject, spec: ExperimentSpec): SuggestionCreateInput {
  const taskRaw = getOwn(body, 'task');
  if (present(taskRaw) && spec.tasks === null) throw apiError('TASK_ON_NON_MULTITASK');
  const explicit = hasKey(body, 'assignments');
  if (spec.tasks !== null && (explicit || present(taskRaw)) && !(explicit && present(taskRaw))) {
    throw apiError('MULTITASK_SUGGESTION_NEEDS_TASK');
  }
  const assignments = explicit ? validateAssignments(spec, getOwn(body, 'assignments')) : null;
  const task = validateTask(spec, taskRaw, 'suggestion');
  const metadata = validateMetadata(getOwn(body, 'metadata'));
  return { assignments, task, metadata };
}

/** Validates `PUT …/suggestions/{id}`: only `metadata` (absent keeps, `null` clears). */
export function validateSuggestionUpdate(body: JsonObject): { metadata?: Metadata | null } {
  return hasKey(body, 'metadata') ? { metadata: validateMetadata(getOwn(body, 'metadata')) } : {};
}

/** Validates `POST …/queued_suggestions` (docs/api-compatibility.md#queued-suggestions): assignments required, task required when multitask. */
export function validateQueuedSuggestionCreate(
  body: JsonObject,
  spec: ExperimentSpec,
): { assignments: Assignments; task: string | null } {
  if (!hasKey(body, 'assignments')) throw missingKey('assignments', body);
  const taskRaw = getOwn(body, 'task');
  if (present(taskRaw) && spec.tasks === null) throw apiError('TASK_ON_NON_MULTITASK');
  const assignments = validateAssignments(spec, getOwn(body, 'assignments'));
  const task = validateTask(spec, taskRaw, 'suggestion');
  if (spec.tasks !== null && task === null) throw missingKey('task', body);
  return { assignments, task };
}
