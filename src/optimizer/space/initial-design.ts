import { createRng } from '../../numerics/rng.ts';
import { createSobolSequence } from '../../numerics/sobol.ts';
import type { Assignments, ExperimentSpec } from '../experiment-spec.ts';
import { isParameterActive } from './active-parameters.ts';
import { assignmentKey } from './assignment-key.ts';
import { createConstrainedSampler } from './constrained-sampler.ts';
import { satisfiesLinearConstraints } from './linear-constraints.ts';
import { finalizeAssignments } from './precision.ts';
import { randomPoint } from './random-point.ts';
import { discreteSpaceSize } from './space-size.ts';
import { valueFromUnit } from './value-from-unit.ts';

/** Design points per design dimension (before the bandwidth term). */
const POINTS_PER_DIMENSION = 2;
/** Cap on the design length for one worker (bandwidth 1). */
const MAX_DESIGN = 20;

/**
 * Length S of the initial space-filling phase of an offline experiment (docs/api-compatibility.md#offline-experiments), shared
 * by the server (when to stop serving design points) and the engine (when to start modelling):
 *
 *   S = max(4, min(2·d + B − 1, 20 + B − 1)),  capped by the number of distinct points,
 *
 * with d = non-deleted parameters + conditionals (the design's dimensions) and
 * B = parallel_bandwidth (default 1). Why not SigOpt's Σcategories × #numeric (up to 100 + B − 1,
 * optimizer-notes §8.2): that grows with the product of two space sizes, so mixed spaces spend up
 * to 100 evaluations before any model — §14 item 11 lists it as a weakness. A GP with
 * hyperparameter priors is informative after a handful of points; 2·d space-filling points is the
 * common default of modern BO libraries, and the cap keeps large spaces from wasting budget.
 * The B − 1 term keeps SigOpt's rule that each extra parallel worker gets a design point instead
 * of waiting for the first fit.
 */
export function initialDesignSize(spec: ExperimentSpec): number {
  const bandwidth = Math.max(1, Math.floor(spec.parallelBandwidth ?? 1));
  const dims = spec.parameters.filter((p) => !p.deleted).length + spec.conditionals.length;
  const size = Math.max(4, Math.min(POINTS_PER_DIMENSION * dims + bandwidth - 1, MAX_DESIGN + bandwidth - 1));
  return Math.max(1, Math.min(size, discreteSpaceSize(spec)));
}

/**
 * Whether the next suggestion of an offline experiment is an initial-design point: fewer than
 * {@link initialDesignSize} observations, where with parallel bandwidth the open suggestions count
 * as taken design positions. The one statement of the rule: the server serves design points while
 * it holds, the engine's design strategy continues the same sequence, and no model is fitted.
 */
export function inDesignPhase(spec: ExperimentSpec, observationCount: number, openCount: number): boolean {
  const bandwidth = spec.parallelBandwidth ?? 1;
  return observationCount + (bandwidth > 1 ? openCount : 0) < initialDesignSize(spec);
}

/** Arguments of {@link initialDesignPoints}. */
export interface InitialDesignArgs {
  /** Points already taken (open suggestions, observations); results never repeat them. */
  readonly existing: readonly Assignments[];
  /** How many points are wanted. */
  readonly count: number;
  /** Per-experiment seed: fixes the scrambling, so the design is one sequence per experiment. */
  readonly seed: number;
  /** How many design points were served before (where in the sequence to continue). */
  readonly index: number;
}

/**
 * Up to `count` distinct, valid points of a scrambled-Sobol design, continuing the experiment's
 * sequence at `index`.
 *
 * Each Sobol coordinate maps to one parameter (non-deleted ones in name order, then one per
 * conditional) through {@link valueFromUnit}: log parameters are stratified in log space, ints,
 * grids and categoricals by equal shares, and doubles with a prior through the prior's quantile
 * function, so priors shape the design without losing stratification. Conditionals take the
 * value of their coordinate and only satisfied parameters are kept. When the point violates the
 * linear constraints, its constrained values are redrawn by the constrained sampler (seeded by
 * seed and position, so results do not depend on how requests were batched). Points that repeat
 * `existing` or each other (by assignmentKey) are skipped; when the sequence keeps producing
 * repeats (small discrete spaces) random points are tried, and fewer than `count` points are
 * returned only when those fail as well.
 */
export function initialDesignPoints(spec: ExperimentSpec, args: InitialDesignArgs): Assignments[] {
  const { count, seed } = args;
  const index = Math.max(0, Math.floor(args.index));
  if (!(count > 0)) return [];
  const params = spec.parameters.filter((p) => !p.deleted);
  const dimension = params.length + spec.conditionals.length;
  const sequence = createSobolSequence(Math.max(1, dimension), createRng(seed));
  const constrained = spec.linearConstraints.length > 0;
  const taken = new Set(args.existing.map((a) => assignmentKey(a, null)));
  const out: Assignments[] = [];
  const accept = (a: Assignments): void => {
    const key = assignmentKey(a, null);
    if (taken.has(key)) return;
    taken.add(key);
    out.push(a);
  };

  const budget = 10 * count + 100;
  for (let i = index; i < index + budget && out.length < count; i++) {
    const u = sequence.point(i);
    const raw: Record<string, number | string> = {};
    spec.conditionals.forEach((c, j) => {
      const v = u[params.length + j] ?? 0;
      raw[c.name] = c.values[Math.min(c.values.length - 1, Math.floor(v * c.values.length))] ?? '';
    });
    params.forEach((p, j) => {
      if (isParameterActive(p, raw)) raw[p.name] = valueFromUnit(p, u[j] ?? 0, true);
    });
    if (constrained && !satisfiesLinearConstraints(spec, raw, 0)) {
      Object.assign(raw, createConstrainedSampler(spec).sample(createRng(mix(seed, i)), true));
    }
    accept(finalizeAssignments(spec, raw));
  }
  if (out.length < count) {
    const rng = createRng(mix(seed, index + budget));
    const sampler = constrained ? createConstrainedSampler(spec) : undefined;
    for (let attempt = 0; attempt < budget && out.length < count; attempt++) {
      accept(randomPoint(spec, rng, { sampler }));
    }
  }
  return out;
}

/** A seed for position i of the experiment's design (splitmix-style mixing in createRng). */
function mix(seed: number, i: number): number {
  return (seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
}
