/**
 * An experiment's fitted model kept between suggestions (optimizer-notes §17, DESIGN §8): one
 * incremental GP per modelled metric (the objective, then each constraint metric) with the
 * hyperparameters and target transforms of the last fit, plus a maintained candidate set.
 *
 * - A new observation is appended to every GP in O(n²) and to the candidate set in O(n·m).
 * - A refit (MAP hyperparameters, new transforms, new subset) is due on the schedule of
 *   {@link refitDue}; the caller runs it off the request path by building a new model.
 * - Past the subset size (MAX_GP_POINTS), a fit conditions on a subset (fit-model.ts); later
 *   observations are appended on top until the rows reach 1.2 × that size, which forces a refit
 *   and so a new subset.
 * - The saved state ({@link SavedFit}) lets a cold owner rebuild the same GPs without a MAP fit:
 *   the fit rows are conditioned at once and the later observations appended in order, exactly
 *   as the warm owner did.
 *
 * Supports one optimized metric without tasks or num_solutions (the shapes of nearly every
 * experiment); the others take the full path of bayesian-candidates.ts.
 */

import type { Rng } from '../numerics/rng.ts';
import { CandidateSet } from './candidate-set.ts';
import { createEncoding, type Encoding } from './encoding.ts';
import type { Effort, EngineObservation } from './engine-types.ts';
import type { ExperimentSpec, MetricSpec } from './experiment-spec.ts';
import { fitMetric, MAX_GP_POINTS, takeRows } from './fit-model.ts';
import { thetaToHyper } from './gp-hyperparameters.ts';
import { IncrementalGp } from './incremental-gp.ts';
import { metricSign, rawMetricValue, rawMetricValues } from './metric-targets.ts';
import { assignmentKey } from './space/index.ts';
import { applyTargetTransform, fitTargetTransform, isTargetTransform, type TargetTransform } from './target-transform.ts';

/** Refit when the observations grew by this fraction since the last fit. */
export const REFIT_GROWTH = 0.1;
/** The same for an owner under load (fast effort): refits there are light, and rarer. */
export const REFIT_GROWTH_UNDER_LOAD = 0.25;
/** Refit after this many surprising observations (|standardized residual| > {@link SURPRISE_Z}). */
export const SURPRISE_RUN = 3;
/** A residual (ỹ − μ)/√(σ² + noise) beyond this is a surprise; for an append it is z_new itself. */
export const SURPRISE_Z = 3;
/** Rows a GP may reach by appends past the subset size before a refit draws a new subset. */
export const MAX_WARM_ROWS = Math.round(1.2 * MAX_GP_POINTS);

/** Whether a refit is due: required by the schedule, optional (new data since the fit), or not. */
export type RefitNeed = 'required' | 'optional' | null;

/** One metric's saved fit: enough to rebuild its GP without a MAP fit. */
export interface SavedMetricFit {
  readonly key: string;
  readonly theta: readonly number[];
  readonly transform: TargetTransform;
  /** Observation indices the fit conditioned on (null: all observations of the fit). */
  readonly subset: readonly number[] | null;
}

/** The fit part of the model state (JSON). */
export interface SavedFit {
  /** Observations the fit saw; later ones were appended. */
  readonly count: number;
  readonly metrics: readonly SavedMetricFit[];
}

/** A modelled metric: its GP and how raw values map to its targets. */
export interface MetricModel {
  readonly key: string;
  readonly metric: MetricSpec;
  readonly gp: IncrementalGp;
  readonly fit: SavedMetricFit;
  /** Constraint metrics: the threshold in target units; null for the objective. */
  readonly threshold: number | null;
}

/** Whether the warm path models this experiment (see the module comment). */
export function supportsWarmModel(spec: ExperimentSpec): boolean {
  return (
    spec.metrics.filter((m) => m.strategy === 'optimize').length === 1 &&
    !(spec.tasks && spec.tasks.length > 0) &&
    (spec.numSolutions ?? 1) <= 1
  );
}

/** Parses a saved fit; null when absent or malformed (then a full fit runs). */
export function readSavedFit(raw: unknown): SavedFit | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const o = raw as Record<string, unknown>;
  if (typeof o['count'] !== 'number' || !Array.isArray(o['metrics'])) return null;
  const metrics: SavedMetricFit[] = [];
  for (const m of o['metrics'] as unknown[]) {
    const e = m as Record<string, unknown>;
    const theta = e['theta'];
    const subset = e['subset'];
    if (typeof e['key'] !== 'string' || !Array.isArray(theta) || !theta.every((t) => typeof t === 'number' && Number.isFinite(t)))
      return null;
    if (!isTargetTransform(e['transform'])) return null;
    if (subset !== null && !(Array.isArray(subset) && subset.every((i) => Number.isInteger(i)))) return null;
    metrics.push({ key: e['key'], theta: theta as number[], transform: e['transform'], subset: subset as number[] | null });
  }
  return { count: o['count'], metrics };
}

/** The modelled metrics of a spec with their state keys: the objective first, then constraints. */
function modelledMetrics(spec: ExperimentSpec, d: number): { metric: MetricSpec; key: string; objective: boolean }[] {
  const objective = spec.metrics.find((m) => m.strategy === 'optimize')!;
  const out = [{ metric: objective, key: `m:${objective.name ?? ''}|${d}`, objective: true }];
  for (const m of spec.metrics)
    if (m.strategy === 'constraint' && m.threshold !== null) out.push({ metric: m, key: `c:${m.name ?? ''}|${d}`, objective: false });
  return out;
}

/** See the module comment. */
export class WarmModel {
  readonly enc: Encoding;
  readonly metrics: readonly MetricModel[];
  /** Observations included so far. */
  private n: number;
  /** Objective GP rows: feasible (observed and within every constraint) and success flags. */
  readonly feasible: number[] = [];
  readonly succeeded: number[] = [];
  /** assignmentKeys of every included observation (suggestions must not repeat them). */
  readonly observedKeys = new Set<string>();
  private surprises = 0;
  readonly candidates: CandidateSet;
  /** How this model came about: conditioned from a saved fit, or fitted (MAP) now. */
  origin: 'rebuilt' | 'fitted' = 'fitted';

  private constructor(
    readonly spec: ExperimentSpec,
    readonly fitCount: number,
    metrics: MetricModel[],
    observations: readonly EngineObservation[],
    rows: readonly number[],
  ) {
    this.enc = createEncoding(spec);
    this.metrics = metrics;
    this.n = observations.length;
    for (const o of observations) this.observedKeys.add(assignmentKey(o.assignments, o.task));
    for (const i of rows) this.recordRow(observations[i]!);
    this.candidates = new CandidateSet(metrics.map((m) => m.gp));
  }

  /**
   * A model of `observations`: rebuilt from `saved` when it matches (no MAP fit), else fitted with
   * MAP hyperparameters warm-started from `warmTheta`. Null when no GP can be conditioned.
   */
  static build(
    spec: ExperimentSpec,
    observations: readonly EngineObservation[],
    saved: SavedFit | null,
    warmTheta: Readonly<Record<string, readonly number[]>>,
    rng: Rng,
    effort: Effort = 'thorough',
  ): WarmModel | null {
    const enc = createEncoding(spec);
    const d = enc.dim;
    const wanted = modelledMetrics(spec, d);
    const usable =
      saved !== null &&
      saved.count >= 2 &&
      saved.count <= observations.length &&
      saved.metrics.length === wanted.length &&
      saved.metrics.every(
        (m, i) => m.key === wanted[i]!.key && m.theta.length === d + 2 && (m.subset ?? []).every((j) => j >= 0 && j < saved.count),
      );
    return (
      (usable ? WarmModel.rebuild(spec, enc, observations, saved, wanted) : null) ??
      WarmModel.fitNew(spec, enc, observations, wanted, warmTheta, rng, effort)
    );
  }

  private static fitNew(
    spec: ExperimentSpec,
    enc: Encoding,
    observations: readonly EngineObservation[],
    wanted: ReturnType<typeof modelledMetrics>,
    warmTheta: Readonly<Record<string, readonly number[]>>,
    rng: Rng,
    effort: Effort,
  ): WarmModel | null {
    const n = observations.length;
    const d = enc.dim;
    const x = encodeAll(enc, observations);
    const metrics: MetricModel[] = [];
    let objectiveRows: number[] = [];
    for (const w of wanted) {
      const raw = rawMetricValues(w.metric, observations);
      const t = fitTargetTransform(raw.values, raw.stddev, w.objective);
      const warm = warmTheta[w.key] ? Float64Array.from(warmTheta[w.key]!) : null;
      const learnNoise = !raw.stddev.every((s) => s > 0);
      const fit = fitMetric(x, t.y, t.noise, n, d, { warm, rng, learnNoise, light: effort === 'fast' }, (data, hyper) =>
        IncrementalGp.fit(data, hyper, Math.max(MAX_WARM_ROWS, data.n) + 8),
      );
      if (fit === null) return null;
      const subset = fit.indices.length === n ? null : Array.from(fit.indices);
      if (w.objective) objectiveRows = subset ?? range(n);
      metrics.push(metricModel(w, fit.model, { key: w.key, theta: Array.from(fit.theta), transform: t.transform, subset }));
    }
    return new WarmModel(spec, n, metrics, observations, objectiveRows);
  }

  private static rebuild(
    spec: ExperimentSpec,
    enc: Encoding,
    observations: readonly EngineObservation[],
    saved: SavedFit,
    wanted: ReturnType<typeof modelledMetrics>,
  ): WarmModel | null {
    const d = enc.dim;
    const base = observations.slice(0, saved.count);
    const x = encodeAll(enc, base);
    const metrics: MetricModel[] = [];
    for (let i = 0; i < wanted.length; i++) {
      const w = wanted[i]!;
      const fit = saved.metrics[i]!;
      const rows = Int32Array.from(fit.subset ?? range(saved.count));
      const y = new Float64Array(base.length);
      const noise = new Float64Array(base.length);
      base.forEach((o, j) => {
        const r = rawMetricValue(w.metric, o);
        const t = applyTargetTransform(fit.transform, r.value, r.stddev);
        y[j] = t.y;
        noise[j] = t.noise;
      });
      const gp = IncrementalGp.fit(takeRows(x, y, noise, d, rows), thetaToHyper(fit.theta, d), Math.max(MAX_WARM_ROWS, rows.length) + 8);
      if (gp === null) return null;
      metrics.push(metricModel(w, gp, fit));
    }
    const model = new WarmModel(spec, saved.count, metrics, base, saved.metrics[0]!.subset ?? range(saved.count));
    model.origin = 'rebuilt';
    model.append(observations.slice(saved.count));
    return model;
  }

  /** Observations included. */
  get count(): number {
    return this.n;
  }

  /** The objective's model. */
  get objective(): MetricModel {
    return this.metrics[0]!;
  }

  /** Appends observations (in creation order) to every GP and to the candidate set. */
  append(observations: readonly EngineObservation[]): void {
    for (const o of observations) {
      const xo = this.enc.encode(o.assignments, o.task);
      this.metrics.forEach((m, g) => {
        const r = rawMetricValue(m.metric, o);
        const t = applyTargetTransform(m.fit.transform, r.value, r.stddev);
        m.gp.dropFantasies();
        const step = m.gp.append(xo, t.y, t.noise);
        if (g === 0 && Math.abs(step.zNew) > SURPRISE_Z) this.surprises++;
        this.candidates.observe(g, step);
      });
      this.recordRow(o);
      this.observedKeys.add(assignmentKey(o.assignments, o.task));
      this.n++;
    }
  }

  /**
   * Whether the hyperparameters should be refitted. `required`: the data grew by
   * {@link REFIT_GROWTH} since the fit ({@link REFIT_GROWTH_UNDER_LOAD} at fast effort), {@link SURPRISE_RUN} observations surprised the model, or the
   * rows reached {@link MAX_WARM_ROWS} (a new subset is due). `optional`: any observation arrived
   * since the fit. An owner refits when required, and also when optional whenever the refit is free
   * (its thread idle, evaluations slower than a refit): a model refitted at every observation
   * is what the quality benchmark measures (bench/results/optimizer-engine-comparison.md shows
   * that refitting only on the schedule loses on Styblinski-Tang at these budgets).
   */
  refitDue(effort: Effort = 'thorough'): RefitNeed {
    const grown = this.n - this.fitCount;
    const growth = effort === 'fast' ? REFIT_GROWTH_UNDER_LOAD : REFIT_GROWTH;
    if (
      grown >= Math.max(1, Math.ceil(growth * this.fitCount)) ||
      this.surprises >= SURPRISE_RUN ||
      this.objective.gp.realN >= MAX_WARM_ROWS
    )
      return 'required';
    return grown > 0 ? 'optional' : null;
  }

  /** The fit to save: a cold owner rebuilds this model from it and the observations. */
  savedFit(): SavedFit {
    return { count: this.fitCount, metrics: this.metrics.map((m) => m.fit) };
  }

  /** θ per state key (warm starts for the next fit, and for the full path). */
  thetas(): Record<string, number[]> {
    return Object.fromEntries(this.metrics.map((m) => [m.key, [...m.fit.theta]]));
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.metrics.reduce((a, m) => a + m.gp.bytes, 0) + this.candidates.bytes + 64 * this.observedKeys.size;
  }

  private recordRow(o: EngineObservation): void {
    let feasible = !o.failed;
    for (const m of this.metrics) {
      const r = rawMetricValue(m.metric, o);
      if (Number.isNaN(r.value)) feasible = false;
      else if (m.metric.strategy === 'constraint' && m.metric.threshold !== null && !(r.value <= metricSign(m.metric) * m.metric.threshold))
        feasible = false;
    }
    this.feasible.push(feasible ? 1 : 0);
    this.succeeded.push(o.failed ? 0 : 1);
  }
}

function metricModel(w: { metric: MetricSpec; key: string; objective: boolean }, gp: IncrementalGp, fit: SavedMetricFit): MetricModel {
  const threshold =
    w.objective || w.metric.threshold === null ? null : applyTargetTransform(fit.transform, metricSign(w.metric) * w.metric.threshold, 0).y;
  return { key: w.key, metric: w.metric, gp, fit, threshold };
}

function encodeAll(enc: Encoding, observations: readonly EngineObservation[]): Float64Array {
  const x = new Float64Array(observations.length * enc.dim);
  observations.forEach((o, i) => x.set(enc.encode(o.assignments, o.task), i * enc.dim));
  return x;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
