import type { Rng } from '../../numerics/rng.ts';
import type { Assignments, ExperimentSpec } from '../experiment-spec.ts';
import { isParameterActive } from './active-parameters.ts';
import { createConstrainedSampler } from './constrained-sampler.ts';
import { finalizeAssignments } from './precision.ts';
import { valueFromUnit } from './value-from-unit.ts';

/**
 * A random point of the space per spec §5 rule 2, finalized (precision, bounds) and valid:
 * conditionals uniform over their values, then every satisfied parameter drawn independently —
 * doubles uniform in bounds (log parameters uniform in log space), ints uniform over the integers,
 * grid parameters uniform over the grid, categoricals uniform over non-deleted values — with
 * priors (normal truncated to the bounds, beta rescaled to the bounds) when `usePriors`
 * (default true). Linearly constrained parameters are drawn jointly so the constraints hold
 * (see createConstrainedSampler; pass `sampler` to reuse one across many draws).
 * Deterministic for a given rng state.
 */
export function randomPoint(
  spec: ExperimentSpec,
  rng: Rng,
  opts: { readonly usePriors?: boolean; readonly sampler?: ReturnType<typeof createConstrainedSampler> } = {},
): Assignments {
  const usePriors = opts.usePriors ?? true;
  const raw: Record<string, number | string> = {};
  for (const conditional of spec.conditionals) {
    const value = conditional.values[rng.int(conditional.values.length)];
    if (value !== undefined) raw[conditional.name] = value;
  }
  const constrained = new Set(spec.linearConstraints.flatMap((c) => c.terms.map((t) => t.name)));
  for (const param of spec.parameters) {
    if (constrained.has(param.name) || !isParameterActive(param, raw)) continue;
    raw[param.name] = valueFromUnit(param, rng.next(), usePriors);
  }
  if (constrained.size > 0) {
    const sampler = opts.sampler ?? createConstrainedSampler(spec);
    Object.assign(raw, sampler.sample(rng, usePriors));
  }
  return finalizeAssignments(spec, raw);
}

/**
 * A task chosen uniformly for a multitask experiment, null otherwise. Favouring cheap tasks early
 * is the engine's decision, not the sampler's.
 */
export function randomTask(spec: ExperimentSpec, rng: Rng): string | null {
  const tasks = spec.tasks;
  if (tasks === null || tasks.length === 0) return null;
  return tasks[rng.int(tasks.length)]?.name ?? null;
}
