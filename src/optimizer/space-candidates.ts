/**
 * Candidates that need no model: the experiment's scrambled-Sobol initial design (the same
 * sequence the server serves, see space/initial-design.ts) and random points for `random`
 * experiments and fallbacks. Both come from the space toolkit, so the engine and the server agree
 * on what a valid, deduplicated point is.
 */

import type { Rng } from '../numerics/rng.ts';
import type { Candidate, EngineInput, ModelState } from './engine-types.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import {
  assignmentKey,
  cheapestTask,
  createConstrainedSampler,
  initialDesignPoints,
  randomPoint,
  randomTask,
  satisfiesLinearConstraints,
} from './space/index.ts';

/** Keys (assignmentKey) of every observation and pending point of the input. */
export function takenKeys(input: EngineInput): Set<string> {
  const keys = new Set<string>();
  for (const o of input.observations) keys.add(assignmentKey(o.assignments, o.task));
  for (const p of input.pending) keys.add(assignmentKey(p.assignments, p.task));
  return keys;
}

/**
 * Up to `count` distinct random points (priors honoured, linear constraints satisfied) whose keys
 * are not in `excluded`; `excluded` is extended with the chosen keys. One constrained sampler is
 * reused across draws, so its hit-and-run chain and Chebyshev centre are computed once.
 */
export function randomCandidates(spec: ExperimentSpec, count: number, rng: Rng, excluded: Set<string>, task?: string | null): Candidate[] {
  const out: Candidate[] = [];
  const sampler = spec.linearConstraints.length > 0 ? createConstrainedSampler(spec) : undefined;
  // Small discrete spaces may be exhausted: give up after a bounded number of repeats.
  const maxTries = 50 * count + 200;
  for (let attempt = 0; attempt < maxTries && out.length < count; attempt++) {
    // After many repeats, drop the priors: a sharp prior can make a few points nearly certain.
    const assignments = randomPoint(spec, rng, { sampler, usePriors: attempt < 10 * count + 50 });
    if (!satisfiesLinearConstraints(spec, assignments)) continue;
    const t = task !== undefined ? task : randomTask(spec, rng);
    const key = assignmentKey(assignments, t);
    if (excluded.has(key)) continue;
    excluded.add(key);
    out.push({ assignments, task: t });
  }
  return out;
}

/**
 * The per-experiment design seed. The server serves the design with its own seed; when the engine
 * serves design points itself (benchmarks, a worker running during the design phase) it needs one
 * seed for the whole experiment, or consecutive calls would take points of different scrambled
 * sequences and lose the stratification. The first call derives it from its own seed and later
 * calls read it back from the saved state.
 */
export function designSeed(input: EngineInput): number {
  const saved = input.state?.['designSeed'];
  if (typeof saved === 'number' && Number.isInteger(saved) && saved >= 0 && saved <= 0xffffffff) return saved;
  return (Math.imul(input.seed ^ 0x2545f491, 0x9e3779b1) ^ 0x68e31da4) >>> 0;
}

/** `state` with the design seed recorded (so it survives into the model phase's state). */
export function withDesignSeed(state: ModelState, seed: number): ModelState {
  return { ...state, designSeed: seed };
}

/**
 * Up to `count` initial-design points continuing the experiment's sequence after every observed
 * and pending point, on the cheapest task (optimizer-notes §8.2, as the server does), never
 * repeating `excluded` (extended with the chosen keys).
 */
export function designCandidates(
  spec: ExperimentSpec,
  input: EngineInput,
  count: number,
  seed: number,
  excluded: Set<string>,
): Candidate[] {
  const task = cheapestTask(spec);
  const existing = [...input.observations.map((o) => o.assignments), ...input.pending.map((p) => p.assignments)];
  const points = initialDesignPoints(spec, { existing, count, seed, index: existing.length });
  const out: Candidate[] = [];
  for (const assignments of points) {
    const key = assignmentKey(assignments, task);
    if (excluded.has(key)) continue;
    excluded.add(key);
    out.push({ assignments, task });
  }
  return out;
}
