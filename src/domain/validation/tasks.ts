import type { TaskSpec } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isObject, missingKey, optNumber, optString } from './schema.ts';

/**
 * Parses `tasks` of a create body (docs/api-compatibility.md#task-rules T1–T4) in the original's order: per-task cost range
 * while reading, then "a cost of 1", distinct costs, distinct names, and only last the count —
 * so a single task of cost 0.5 reports the missing cost-1 task. `null`/`[]` mean no tasks.
 */
export function parseTasks(body: JsonObject): TaskSpec[] | null {
  const raw = getOwn(body, 'tasks');
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw) || !raw.every(isObject)) throw invalidType('tasks', raw, 'array[object]');
  if (raw.length === 0) return null;
  const tasks: TaskSpec[] = [];
  for (const t of raw as JsonObject[]) {
    const name = optString(t, 'name');
    const cost = optNumber(t, 'cost');
    if (name === null) throw missingKey('name', t);
    if (cost === null) throw missingKey('cost', t);
    tasks.push({ name, cost });
    if (cost <= 0 || cost > 1) {
      throw apiError('TASK_COST_OUT_OF_RANGE');
    }
  }
  const costs = new Set(tasks.map((t) => t.cost));
  if (!costs.has(1)) throw apiError('NO_FULL_COST_TASK');
  if (costs.size !== tasks.length) throw apiError('TASK_COSTS_NOT_DISTINCT');
  if (new Set(tasks.map((t) => t.name)).size !== tasks.length) {
    throw apiError('TASK_NAMES_NOT_DISTINCT');
  }
  if (tasks.length < 2) throw apiError('TOO_FEW_TASKS');
  return tasks;
}
