import type { Assignments, ExperimentSpec, TaskSpec } from '../../optimizer/experiment-spec.ts';

/**
 * Assignments as the API shows them (docs/api-compatibility.md#response-objects): every current parameter appears, with `null`
 * when its conditions are not satisfied; conditionals appear by value name. Values of parameters
 * deleted since are kept as stored so old observations stay complete.
 */
export function renderAssignments(spec: ExperimentSpec, assignments: Assignments): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const c of spec.conditionals) out[c.name] = assignments[c.name] ?? null;
  for (const p of spec.parameters) {
    if (!p.deleted || p.name in assignments) out[p.name] = assignments[p.name] ?? null;
  }
  for (const [k, v] of Object.entries(assignments)) if (!(k in out)) out[k] = v;
  return out;
}

/** The Task object, or undefined (hidden) unless the experiment is multitask. */
export function renderTask(spec: ExperimentSpec, task: string | null): { object: 'task'; name: string; cost: number } | null | undefined {
  if (!spec.tasks) return undefined;
  const t: TaskSpec | undefined = spec.tasks.find((x) => x.name === task);
  return t ? { object: 'task', name: t.name, cost: t.cost } : null;
}

/** Adds `task` to a rendered object only for multitask experiments (hidden otherwise). */
export function withTask<T extends Record<string, unknown>>(obj: T, spec: ExperimentSpec, task: string | null): T {
  const rendered = renderTask(spec, task);
  return rendered === undefined ? obj : { ...obj, task: rendered };
}
