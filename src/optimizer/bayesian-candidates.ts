/**
 * The model phase of {@link suggest}: a GP per modelled metric with MAP hyperparameters, log-EI ×
 * probability of feasibility (÷ task cost), Kriging-believer fantasies for pending points and
 * within the batch, ParEGO scalarization for ≥ 2 optimized metrics.
 */

import { createRng, type Rng } from '../numerics/rng.ts';
import { logAcquisition, type AcquisitionContext, type ConstraintModel } from './acquisition.ts';
import { maximizeAcquisition } from './acquisition-optimizer.ts';
import { createEncoding, type Encoding } from './encoding.ts';
import type { Candidate, EngineInput, EngineObservation, ModelState } from './engine-types.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { fitMetricModel } from './fit-model.ts';
import type { GpModel } from './gp.ts';
import { metricSign, rawMetricValues, standardizeTargets } from './metric-targets.ts';
import { warpTargets } from './output-warping.ts';
import { diverseSolutionIndices, logRepulsion, logVoronoi, solutionRadius } from './diverse-solutions.ts';
import { createSuccessModel } from './success-probability.ts';
import { takenKeys } from './space-candidates.ts';
import { satisfiesUnitConstraints } from './unit-sampler.ts';
import { TRUST_REGION_LENGTH, trustRegionBox } from './trust-region.ts';

/** Wall-clock reading used only for the cost figures in diagnostics, never for any decision. */
const clock = (): number => globalThis.performance.now();

/** What the model phase produced (possibly fewer than `count` candidates). */
export interface ModelCandidates {
  readonly candidates: Candidate[];
  /** Saved hyperparameters (warm starts for the next call). */
  readonly state: ModelState;
  readonly strategy: string;
  readonly fitMs: number;
  readonly acquisitionMs: number;
}

interface SavedState {
  version: 1;
  theta: Record<string, number[]>;
}

/** The saved hyperparameters of a model state (warm starts); empty when absent or malformed. */
export function readState(state: ModelState | null): SavedState {
  const theta: Record<string, number[]> = {};
  const raw = state?.['theta'];
  if (state?.['version'] === 1 && typeof raw === 'object' && raw !== null) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (Array.isArray(v) && v.every((e) => typeof e === 'number' && Number.isFinite(e))) theta[k] = v as number[];
    }
  }
  return { version: 1, theta };
}

/** ParEGO: a random augmented-Chebyshev scalarization of the normalized objectives. */
function scalarize(spec: ExperimentSpec, obs: readonly EngineObservation[], rng: Rng): { values: Float64Array; stddev: Float64Array } {
  const metrics = spec.metrics.filter((m) => m.strategy === 'optimize');
  const raws = metrics.map((m) => rawMetricValues(m, obs).values);
  const w = metrics.map(() => -Math.log(1 - rng.next()));
  const ws = w.reduce((a, b) => a + b, 0);
  const n = obs.length;
  const values = new Float64Array(n).fill(NaN);
  const lo = raws.map((r) => r.reduce((a, v) => (Number.isNaN(v) ? a : Math.min(a, v)), Infinity));
  const hi = raws.map((r) => r.reduce((a, v) => (Number.isNaN(v) ? a : Math.max(a, v)), -Infinity));
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    let sum = 0;
    let ok = true;
    for (let j = 0; j < metrics.length; j++) {
      const v = raws[j]![i]!;
      if (Number.isNaN(v)) ok = false;
      const range = hi[j]! - lo[j]!;
      const f = range > 0 ? (v - lo[j]!) / range : 0;
      const t = (w[j]! / ws) * f;
      mx = Math.max(mx, t);
      sum += t;
    }
    if (ok) values[i] = mx + 0.05 * sum;
  }
  return { values, stddev: new Float64Array(n) };
}

/**
 * Up to `count` model-chosen candidates, distinct from each other and from every observed and
 * pending point; null when a GP cannot be fitted (the caller falls back to random points).
 */
export function modelCandidates(input: EngineInput, count: number): ModelCandidates | null {
  const t0 = clock();
  const spec = input.experiment;
  const rng = createRng(input.seed);
  const enc: Encoding = createEncoding(spec);
  const d = enc.dim;
  const obs = input.observations;
  const n = obs.length;
  const x = new Float64Array(n * d);
  obs.forEach((o, i) => x.set(enc.encode(o.assignments, o.task), i * d));
  const saved = readState(input.state);
  const newTheta: Record<string, number[]> = {};

  const optimized = spec.metrics.filter((m) => m.strategy === 'optimize');
  const multi = optimized.length >= 2;
  const objRaw = multi ? scalarize(spec, obs, rng) : rawMetricValues(optimized[0]!, obs);
  // Warped (order-preserving): offset/scale of objT no longer map back to raw values, and are not used.
  const objT = warpTargets(standardizeTargets(objRaw.values, objRaw.stddev));
  const learnNoise = !objRaw.stddev.every((s) => s > 0);
  const objKey = `${multi ? 'parego' : `m:${optimized[0]!.name ?? ''}`}|${d}`;
  const warm = (k: string): Float64Array | null => (saved.theta[k] ? Float64Array.from(saved.theta[k]) : null);
  const objFit = fitMetricModel(x, objT.y, objT.noise, n, d, { warm: warm(objKey), rng, learnNoise });
  if (objFit === null) return null;
  newTheta[objKey] = Array.from(objFit.theta);
  let objective: GpModel = objFit.model;

  // Constraint metrics: own GPs, thresholds in standardized minimization units.
  const feasible = new Uint8Array(n);
  for (let i = 0; i < n; i++) feasible[i] = objT.observed[i]!;
  let constraints: ConstraintModel[] = [];
  for (const m of spec.metrics) {
    if (m.strategy !== 'constraint' || m.threshold === null) continue;
    const raw = rawMetricValues(m, obs);
    const t = standardizeTargets(raw.values, raw.stddev);
    const thrRaw = metricSign(m) * m.threshold;
    for (let i = 0; i < n; i++) if (!(raw.values[i]! <= thrRaw)) feasible[i] = 0;
    const key = `c:${m.name ?? ''}|${d}`;
    const fit = fitMetricModel(x, t.y, t.noise, n, d, { warm: warm(key), rng, learnNoise: !raw.stddev.every((s) => s > 0) });
    if (fit === null) return null;
    newTheta[key] = Array.from(fit.theta);
    constraints.push({ model: fit.model, threshold: (thrRaw - t.offset) / t.scale });
  }
  const success = new Uint8Array(n);
  for (let i = 0; i < n; i++) success[i] = obs[i]!.failed ? 0 : 1;
  const successModel = createSuccessModel(x, success, n, d, objFit.model.hyper.lengthscales);
  const t1 = clock();

  // Incumbent: lowest posterior mean over feasible observed points (robust to noise), evaluated at
  // full cost for multitask experiments.
  const fullCost = spec.tasks ? Math.max(...spec.tasks.map((t) => t.cost)) : 1;
  let incumbent = Infinity;
  const ranked: { i: number; m: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (!feasible[i]) continue;
    const xi = x.slice(i * d, (i + 1) * d);
    if (enc.taskDim >= 0) xi[enc.taskDim] = fullCost;
    const m = objective.mean(xi);
    ranked.push({ i, m });
    const fullTask = enc.taskDim < 0 || Math.abs(x[i * d + enc.taskDim]! - fullCost) < 1e-12;
    if (fullTask) incumbent = Math.min(incumbent, m);
  }
  if (!Number.isFinite(incumbent) && ranked.length > 0) incumbent = Math.min(...ranked.map((r) => r.m));
  ranked.sort((a, b) => a.m - b.m);
  const anchors = ranked
    .slice(0, 5)
    .map((r) => x.slice(r.i * d, (r.i + 1) * d))
    .filter((a) => satisfiesUnitConstraints(enc, a));

  // Pending points as Kriging-believer fantasies (posterior mean as the lie), in every model.
  const fantasize = (xp: Float64Array): void => {
    objective = objective.append(xp, objective.mean(xp), 0);
    constraints = constraints.map((c) => ({ model: c.model.append(xp, c.model.mean(xp), 0), threshold: c.threshold }));
  };
  for (const p of input.pending) fantasize(enc.encode(p.assignments, p.task));

  // num_solutions > 1: diverse solution slots served in rotation (see diverse-solutions.ts).
  const k = Math.max(1, Math.floor(spec.numSolutions ?? 1));
  const radius = solutionRadius(d);
  const solutionIdx =
    k > 1
      ? diverseSolutionIndices(
          ranked.length,
          (j) => x.subarray(ranked[j]!.i * d, (ranked[j]!.i + 1) * d),
          (p) => objective.mean(p),
          k,
          radius,
        )
      : [];
  const solutions = solutionIdx.map((j) => x.slice(ranked[j]!.i * d, (ranked[j]!.i + 1) * d));
  const solutionMeans = solutionIdx.map((j) => ranked[j]!.m);
  const slotBase = input.observations.length + input.pending.length;

  // Trust region (single objective, one task, one solution): some suggestions maximize EI only in
  // a box around the incumbent (see trust-region.ts).
  const centre = anchors[0];
  const region =
    !multi && k === 1 && enc.taskDim < 0 && enc.numeric.length > 0 && centre !== undefined
      ? trustRegionBox(enc, centre, objFit.model.hyper.lengthscales, TRUST_REGION_LENGTH)
      : undefined;

  // With pending points the incumbent is stale and the batch already crowds it: local turns are rarer.
  const localPeriod = input.pending.length + count > 1 ? 4 : 2;

  const excluded = takenKeys(input);
  const candidates: Candidate[] = [];
  const tasks = spec.tasks && spec.tasks.length > 0 ? spec.tasks : [{ name: '', cost: 1 }];
  for (let c = 0; c < count; c++) {
    const slot = k > 1 && solutions.length > 0 ? (slotBase + c) % k : 0;
    let slotIncumbent = incumbent;
    let centres: Float64Array[] = [];
    let own: Float64Array | null = null;
    let slotAnchors = anchors;
    if (slot > 0 && slot < solutions.length) {
      // Improve the slot's own basin, kept apart from the other solutions.
      slotIncumbent = solutionMeans[slot]!;
      centres = solutions.filter((_, j) => j !== slot);
      own = solutions[slot]!;
      slotAnchors = [solutions[slot]!].filter((a) => satisfiesUnitConstraints(enc, a));
    } else if (slot > 0) {
      // Fewer basins known than wanted: a new one counts if it beats the worst current solution.
      slotIncumbent = Math.max(...solutionMeans);
      centres = solutions;
      slotAnchors = [];
    }
    let best: ReturnType<typeof maximizeAcquisition> = null;
    for (const task of tasks) {
      const ctx: AcquisitionContext = {
        objective: Number.isFinite(slotIncumbent) ? objective : null,
        incumbent: slotIncumbent,
        constraints,
        logCost: Math.log(task.cost / fullCost),
        success: successModel,
      };
      const cell = own;
      const acq =
        centres.length === 0
          ? (p: Float64Array, g?: Float64Array) => logAcquisition(ctx, p, g)
          : cell !== null
            ? (p: Float64Array, g?: Float64Array) => logAcquisition(ctx, p, g) + logVoronoi(p, cell, centres, 0.01 * d, g)
            : (p: Float64Array, g?: Float64Array) => logAcquisition(ctx, p, g) + logRepulsion(p, centres, radius / 2, g);
      const r = maximizeAcquisition({
        spec,
        enc,
        acq,
        rng,
        anchors: slotAnchors,
        taskValue: task.cost,
        excluded,
        box: region !== undefined && (slotBase + c) % localPeriod === localPeriod - 1 ? region : undefined,
      });
      if (r !== null && (best === null || r.value > best.value)) best = r;
    }
    if (best === null) break;
    excluded.add(best.key);
    candidates.push({ assignments: best.assignments, task: best.task });
    if (c + 1 < count) fantasize(best.x);
  }
  const state: ModelState = { version: 1, theta: newTheta };
  const strategy = `gp-logei${multi ? '-parego' : ''}${constraints.length > 0 ? '-constrained' : ''}${k > 1 ? '-diverse' : ''}${successModel ? '-failure-aware' : ''}`;
  return { candidates, state, strategy, fitMs: t1 - t0, acquisitionMs: clock() - t1 };
}
