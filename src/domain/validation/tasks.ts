import type { TaskSpec } from '../../optimizer/experiment-spec.ts';
import { badRequest } from '../errors.ts';
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
      throw badRequest('For multitask experiments, costs must all be positive and less than or equal to 1.');
    }
  }
  const costs = new Set(tasks.map((t) => t.cost));
  if (!costs.has(1)) throw badRequest('For multitask experiments, exactly one task must have cost == 1 (none present).');
  if (costs.size !== tasks.length) throw badRequest('For multitask experiments, all task costs must be distinct.');
  if (new Set(tasks.map((t) => t.name)).size !== tasks.length) {
    throw badRequest('For multitask experiments, all task names must be distinct.');
  }
  if (tasks.length < 2) throw badRequest('For multitask experiments, at least 2 tasks must be present.');
  return tasks;
}
