import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import type { ExperimentRecord, ObservationRecord } from '../../store/ports/records.ts';
import { bestAssignments } from './best-assignments.ts';

/** Figures for an experiment's `progress` object (docs/api-compatibility.md#response-objects). */
export interface Progress {
  readonly observationCount: number;
  readonly budgetConsumed: number;
  readonly first: ObservationRecord | null;
  readonly last: ObservationRecord | null;
  readonly best: ObservationRecord | null;
}

/** Progress of an experiment without observations. */
export const EMPTY_PROGRESS: Progress = Object.freeze({ observationCount: 0, budgetConsumed: 0, first: null, last: null, best: null });

/** Progress (docs/api-compatibility.md#response-objects) from all live observations in creation order. */
export function computeProgress(experiment: ExperimentRecord, live: readonly ObservationRecord[]): Progress {
  return advanceProgress(experiment.spec, EMPTY_PROGRESS, live);
}

/**
 * Progress after `created` (new live observations, ascending id) were added to `before` — the
 * incremental form the cached counters use on every observation write. Exact: the count and budget
 * add up, the newest observation is the last one, and the best of `{best} ∪ created` is the best
 * of all, because eligibility and score of an observation depend on that observation alone.
 */
export function advanceProgress(spec: ExperimentSpec, before: Progress, created: readonly ObservationRecord[]): Progress {
  if (created.length === 0) return before;
  const costs = new Map((spec.tasks ?? []).map((t) => [t.name, t.cost]));
  const budget = created.reduce((sum, o) => sum + (o.task !== null ? (costs.get(o.task) ?? 1) : 1), 0);
  return {
    observationCount: before.observationCount + created.length,
    budgetConsumed: before.budgetConsumed + budget,
    first: before.first ?? created[0] ?? null,
    last: created[created.length - 1] ?? before.last,
    best: singleBest(spec, before.best ? [before.best, ...created] : created),
  };
}

/**
 * What a cached progress depends on besides the observations: metric strategies, objectives and
 * thresholds (eligibility and score) and task costs (budget). An experiment update that changes
 * one of them makes cached progress stale.
 */
export function progressFingerprint(spec: ExperimentSpec): string {
  return JSON.stringify([spec.metrics.map((m) => [m.name, m.strategy, m.objective, m.threshold ?? null]), spec.tasks ?? null]);
}

/** The single best observation of one optimized metric (null with none or several). */
function singleBest(spec: ExperimentSpec, observations: readonly ObservationRecord[]): ObservationRecord | null {
  const optimized = spec.metrics.filter((m) => m.strategy === 'optimize');
  if (optimized.length !== 1) return null;
  return bestAssignments({ ...spec, numSolutions: 1 }, observations)[0] ?? null;
}
