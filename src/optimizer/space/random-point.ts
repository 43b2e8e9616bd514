import type { Rng } from '../../numerics/rng.ts';
import type { Assignments, ExperimentSpec } from '../experiment-spec.ts';
import { isParameterActive } from './active-parameters.ts';
import { createConstrainedSampler } from './constrained-sampler.ts';
import { finalizeAssignments } from './precision.ts';
import { valueFromUnit } from './value-from-unit.ts';

/**
 * A random point of the space per docs/api-compatibility.md#random-points, finalized (precision, bounds) and valid:
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
 * A random task of a multitask experiment (null without tasks): cheap tasks are favoured with
 * probability ∝ e^(−cost), SigOpt's softmax over −cost (optimizer-notes §8.2). One draw of `rng`.
 */
export function randomTask(spec: ExperimentSpec, rng: Rng): string | null {
  const tasks = spec.tasks;
  if (tasks === null || tasks.length === 0) return null;
  const u = rng.next();
  const weights = tasks.map((t) => Math.exp(-t.cost));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < tasks.length; i++) {
    acc += weights[i]! / total;
    if (u < acc) return tasks[i]!.name;
  }
  return tasks[tasks.length - 1]!.name;
}

/** The cheapest task (null without tasks): the initial design runs on it (optimizer-notes §8.2). */
export function cheapestTask(spec: ExperimentSpec): string | null {
  const tasks = spec.tasks;
  if (tasks === null || tasks.length === 0) return null;
  return tasks.reduce((a, b) => (b.cost < a.cost ? b : a)).name;
}
