/**
 * The cheap acquisition step on a {@link WarmModel}: score the maintained candidate set from its
 * known posterior moments (O(m)), refresh a few candidates, polish the best few starts with a small
 * fixed L-BFGS budget, and choose. Pending points and earlier picks of the same call are
 * Kriging-believer fantasies appended on top of the real rows (the mean does not move; only
 * variances shrink), then dropped again: the factor is reused, nothing is refitted.
 *
 * The acquisition is the full path's (log-EI × probability of feasibility × probability of
 * success), including its trust-region turns, so the two paths differ only in how many points
 * they look at and how hard they polish.
 */

import type { Rng } from '../numerics/rng.ts';
import { logAcquisition, type AcquisitionContext } from './acquisition.ts';
import { localUnitPoints, polishBest, randomUnitPoints, type MaximizeOptions, type SearchSpace } from './acquisition-optimizer.ts';
import type { Candidate, Effort, PendingPoint } from './engine-types.ts';
import { createSuccessModel, type SuccessModel } from './success-probability.ts';
import { TRUST_REGION_LENGTH, trustRegionBox } from './trust-region.ts';
import { satisfiesUnitConstraints } from './unit-sampler.ts';
import type { WarmModel } from './warm-model.ts';

/** Inputs of one proposal. */
export interface ProposalInput {
  readonly pending: readonly PendingPoint[];
  readonly count: number;
  readonly rng: Rng;
  /** assignmentKeys that must not be returned (observations, pending); extended with the picks. */
  readonly excluded: Set<string>;
  readonly effort: Effort;
}

/** How hard one proposal searches, from the full path's budget down to a few milliseconds. */
export interface ProposalBudget {
  /** Target sizes of the candidate set's global and local parts. */
  readonly global: number;
  readonly local: number;
  /** New candidates per step (replacing the oldest); ≥ global + local renews the whole set. */
  readonly refresh: number;
  readonly polishStarts: number;
  readonly polishIterations: number;
}

/**
 * The search budget for `rows` GP rows. Each new candidate costs an O(rows²) solve per model and
 * each polish iteration about two, so with few rows (where quality is won and every operation is
 * cheap) a thorough step searches like the full path — a fresh candidate set of 300 + 30·D points
 * of each kind and 10 polished starts of 30 iterations — and with many rows, or at `fast` effort,
 * it keeps the set and polishes 2–3 starts briefly, staying within a few milliseconds.
 */
export function candidateBudget(d: number, rows: number, models: number, effort: Effort = 'thorough'): ProposalBudget {
  const base = Math.min(1000, 300 + 30 * d);
  const perModel = Math.max(1, rows * rows * models);
  // Rebuilding the set after a refit costs m·n² per model: keep it near 3·10⁷ flops.
  const size = Math.max(100, Math.round(base * Math.min(1, 3e7 / (2 * base * perModel))));
  const fast = effort === 'fast' || rows > 80;
  const refresh = Math.max(8, Math.min(fast ? 32 : 2 * size, Math.round(3e5 / perModel)));
  const [polishStarts, polishIterations] = !fast ? [10, 30] : rows <= 150 ? [3, 12] : [2, 12];
  return { global: size, local: size, refresh, polishStarts, polishIterations };
}

/** See the module comment. */
export function proposeFromWarmModel(model: WarmModel, input: ProposalInput): { candidates: Candidate[]; strategy: string } {
  const { enc, metrics } = model;
  const d = enc.dim;
  const objective = metrics[0]!;
  const constraints = metrics.slice(1);
  const rows = objective.gp.realN;
  const budget = candidateBudget(d, rows, metrics.length, input.effort);

  // Incumbent and anchors: lowest posterior mean over feasible observed rows.
  const means = objective.gp.meansAtRows();
  const ranked: { r: number; m: number }[] = [];
  const xs = objective.gp.x;
  for (let r = 0; r < rows; r++) if (model.feasible[r]) ranked.push({ r, m: means[r]! });
  ranked.sort((a, b) => a.m - b.m);
  const incumbent = ranked.length > 0 ? ranked[0]!.m : Infinity;
  const anchors = ranked
    .slice(0, 5)
    .map((e) => xs.slice(e.r * d, (e.r + 1) * d))
    .filter((a) => satisfiesUnitConstraints(enc, a));
  const space: SearchSpace = { spec: model.spec, enc, rng: input.rng, taskValue: 1, box: undefined };
  refreshCandidates(model, space, anchors, budget, model.count);

  const success = model.succeeded.every(Boolean)
    ? null
    : createSuccessModel(objective.gp.x.slice(0, rows * d), Uint8Array.from(model.succeeded), rows, d, objective.gp.hyper.lengthscales);
  const cset = model.candidates;
  const reduction = metrics.map(() => new Float64Array(cset.size));
  const fantasize = (x: Float64Array): void => {
    metrics.forEach((m, g) => {
      const step = m.gp.append(x, m.gp.mean(x), 0, true);
      cset.observe(g, step, reduction[g]);
    });
  };
  const region = centreRegion(model, anchors[0]);
  const localPeriod = input.pending.length + input.count > 1 ? 4 : 2;
  const slotBase = model.count + input.pending.length;
  const candidates: Candidate[] = [];
  try {
    for (const p of input.pending) fantasize(enc.encode(p.assignments, p.task));
    const logSuccess =
      cset.size > 0 && success ? Float64Array.from({ length: cset.size }, (_, c) => success.logProbability(cset.point(c))) : null;
    const thresholds = constraints.map((m) => m.threshold!);
    const scores = new Float64Array(cset.size);
    // The first parallel_bandwidth picks are served now; the rest are spares for a late refresh,
    // chosen from the scored set with a short polish of one start.
    const primary = Math.max(1, Math.floor(model.spec.parallelBandwidth ?? 1));
    for (let c = 0; c < input.count; c++) {
      const spare = c >= primary;
      const box = !spare && region !== undefined && (slotBase + c) % localPeriod === localPeriod - 1 ? region : undefined;
      const ctx = acquisitionContext(model, incumbent, success);
      const acq = (p: Float64Array, g?: Float64Array) => logAcquisition(ctx, p, g);
      cset.scoreAll(Number.isFinite(incumbent) ? incumbent : null, thresholds, reduction, logSuccess, scores);
      const pool: { x: Float64Array; v: number }[] = [];
      for (let i = 0; i < cset.size; i++) {
        const x = cset.point(i);
        if (box === undefined || insideBox(enc, x, box)) pool.push({ x, v: scores[i]! });
      }
      if (box !== undefined) {
        // A local turn searches the region as densely as the set searches the box: fresh uniform
        // points in it and perturbations of the best points clamped into it, scored exactly.
        const inBox = { ...space, box };
        const k = Math.max(16, Math.min(budget.global, Math.ceil(budget.refresh / 2)));
        for (const x of [...randomUnitPoints(inBox, k), ...localUnitPoints(inBox, anchors, k)]) pool.push({ x, v: acq(x) });
      }
      if (pool.length === 0) break;
      pool.sort((p, q) => q.v - p.v);
      const o: MaximizeOptions = {
        ...space,
        acq,
        anchors,
        excluded: input.excluded,
        box,
        polishIterations: spare ? 5 : budget.polishIterations,
      };
      const best = polishBest(o, pool, spare ? 1 : budget.polishStarts);
      if (best === null) break;
      input.excluded.add(best.key);
      candidates.push({ assignments: best.assignments, task: best.task });
      if (c + 1 < input.count) fantasize(best.x);
    }
  } finally {
    for (const m of metrics) m.gp.dropFantasies();
  }
  const strategy = `gp-logei${constraints.length > 0 ? '-constrained' : ''}${success ? '-failure-aware' : ''}`;
  return { candidates, strategy };
}

/** Fills the candidate set to its size, replacing its oldest global points and adding local ones. */
function refreshCandidates(
  model: WarmModel,
  space: SearchSpace,
  anchors: readonly Float64Array[],
  budget: ProposalBudget,
  step: number,
): void {
  const cset = model.candidates;
  const count = (kind: 'global' | 'local') => {
    let k = 0;
    for (let i = 0; i < cset.size; i++) if (cset.kind(i) === kind) k++;
    return k;
  };
  const evictOldest = (kind: 'global' | 'local', keep: number) => {
    const mine: number[] = [];
    for (let i = 0; i < cset.size; i++) if (cset.kind(i) === kind) mine.push(i);
    if (mine.length <= keep) return;
    mine.sort((a, b) => cset.born(a) - cset.born(b));
    // Highest index first: remove() moves the last candidate into the hole, never one still to remove.
    for (const i of mine.slice(0, mine.length - Math.max(0, keep)).sort((a, b) => b - a)) cset.remove(i);
  };
  const globals = count('global');
  const newGlobal = globals < budget.global ? budget.global - globals : Math.min(budget.global, Math.ceil(budget.refresh / 2));
  evictOldest('global', budget.global - newGlobal);
  for (const x of randomUnitPoints(space, newGlobal)) cset.add(x, 'global', step);
  const locals = count('local');
  const newLocal =
    anchors.length === 0
      ? 0
      : locals < budget.local
        ? budget.local - locals
        : Math.min(budget.local, budget.refresh - Math.ceil(budget.refresh / 2));
  evictOldest('local', budget.local - newLocal);
  for (const x of localUnitPoints(space, anchors, newLocal)) cset.add(x, 'local', step);
}

/** The trust region around the incumbent (single-objective experiments with numeric parameters). */
function centreRegion(model: WarmModel, centre: Float64Array | undefined): { lower: Float64Array; upper: Float64Array } | undefined {
  if (centre === undefined || model.enc.numeric.length === 0) return undefined;
  return trustRegionBox(model.enc, centre, model.objective.gp.hyper.lengthscales, TRUST_REGION_LENGTH);
}

function insideBox(enc: WarmModel['enc'], x: Float64Array, box: { lower: Float64Array; upper: Float64Array }): boolean {
  for (const b of enc.numeric) if (x[b.dim]! < box.lower[b.dim]! || x[b.dim]! > box.upper[b.dim]!) return false;
  return true;
}

/** The exact acquisition on the current rows (fantasies included), for polishing. */
function acquisitionContext(model: WarmModel, incumbent: number, success: SuccessModel | null): AcquisitionContext {
  return {
    objective: Number.isFinite(incumbent) ? model.objective.gp.model() : null,
    incumbent,
    constraints: model.metrics.slice(1).map((m) => ({ model: m.gp.model(), threshold: m.threshold! })),
    logCost: 0,
    success,
  };
}
