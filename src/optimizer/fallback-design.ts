/**
 * Random and Latin-hypercube assignment sets, used by the engine for `random` experiments, the
 * initial design and any fallback. (The space module is building Sobol-based designs; once
 * `initialDesignPoints` lands, `suggest` prefers it. This file keeps the engine self-sufficient.)
 */

import type { Rng } from '../numerics/rng.ts';
import type { Assignments, ExperimentSpec } from './experiment-spec.ts';
import { isParameterActive } from './space/active-parameters.ts';
import { assignmentKey } from './space/assignment-key.ts';
import { finalizeAssignments } from './space/precision.ts';
import { valueFromUnit } from './space/value-from-unit.ts';

/** Whether finalized assignments satisfy every linear constraint (terms of inactive params count 0). */
export function satisfiesLinearConstraintsLocal(spec: ExperimentSpec, a: Assignments): boolean {
  for (const c of spec.linearConstraints) {
    let s = 0;
    for (const t of c.terms) {
      const v = a[t.name];
      if (typeof v === 'number') s += t.weight * v;
    }
    const tol = 1e-9 * (1 + Math.abs(c.threshold));
    if (c.type === 'greater_than' ? s < c.threshold - tol : s > c.threshold + tol) return false;
  }
  return true;
}

/** One assignment set from per-dimension unit coordinates drawn by `unit(name)`. Null if invalid. */
function assignmentsFromUnits(spec: ExperimentSpec, unit: (name: string) => number): Assignments | null {
  const raw: Record<string, number | string> = {};
  for (const c of spec.conditionals) {
    const v = c.values[Math.min(c.values.length - 1, Math.floor(unit(c.name) * c.values.length))];
    if (v === undefined) return null;
    raw[c.name] = v;
  }
  try {
    for (const p of spec.parameters) {
      if (!isParameterActive(p, raw)) continue;
      raw[p.name] = valueFromUnit(p, unit(p.name));
    }
    return finalizeAssignments(spec, raw);
  } catch {
    return null;
  }
}

/**
 * Up to `count` distinct random assignment sets (priors honoured) that satisfy the linear
 * constraints and whose keys are not in `excluded`; tasks drawn uniformly if any.
 * With `stratified`, the first `count` draws form a Latin hypercube over the parameters.
 */
export function randomDesign(
  spec: ExperimentSpec,
  count: number,
  rng: Rng,
  excluded: ReadonlySet<string>,
  options: { stratified?: boolean; task?: string | null } = {},
): { assignments: Assignments; task: string | null }[] {
  const out: { assignments: Assignments; task: string | null }[] = [];
  const seen = new Set(excluded);
  const names = [...spec.conditionals.map((c) => c.name), ...spec.parameters.map((p) => p.name)];
  const perms = new Map<string, number[]>();
  if (options.stratified) {
    for (const name of names) {
      const perm = Array.from({ length: count }, (_, i) => i);
      for (let i = count - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      perms.set(name, perm);
    }
  }
  const tasks = spec.tasks;
  const maxTries = 200 * count + 1000;
  for (let attempt = 0; attempt < maxTries && out.length < count; attempt++) {
    const stratum = options.stratified && attempt < count ? attempt : -1;
    const a = assignmentsFromUnits(spec, (name) => {
      const perm = perms.get(name);
      return stratum >= 0 && perm !== undefined ? (perm[stratum]! + rng.next()) / count : rng.next();
    });
    if (a === null || !satisfiesLinearConstraintsLocal(spec, a)) continue;
    let task: string | null = null;
    if (tasks !== null && tasks.length > 0) {
      task = options.task !== undefined && options.task !== null ? options.task : tasks[rng.int(tasks.length)]!.name;
    }
    const key = assignmentKey(a, task);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ assignments: a, task });
  }
  return out;
}

/** Initial-design length: enough points to fit a first model, small enough to leave budget for BO. */
export function fallbackInitialDesignSize(spec: ExperimentSpec): number {
  let d = spec.conditionals.length;
  for (const p of spec.parameters) if (!p.deleted) d++;
  const bw = spec.parallelBandwidth ?? 1;
  return Math.max(5, Math.min(2 * d + 1, 20)) + Math.max(0, Math.min(bw, 10) - 1);
}
