import type { ExperimentRecord, ObservationRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { renderObservation } from './observation.ts';

/** Figures for the `progress` object, computed by the experiment service. */
export interface ProgressData {
  readonly observationCount: number;
  readonly budgetConsumed: number;
  readonly first: ObservationRecord | null;
  readonly last: ObservationRecord | null;
  readonly best: ObservationRecord | null;
}

export function renderParameter(p: ParameterSpec): Record<string, unknown> {
  const isInt = p.type === 'int';
  const out: Record<string, unknown> = {
    object: 'parameter',
    name: p.name,
    type: p.type,
    bounds: p.bounds
      ? { object: 'bounds', min: isInt ? Math.round(p.bounds.min) : p.bounds.min, max: isInt ? Math.round(p.bounds.max) : p.bounds.max }
      : null,
    categorical_values: p.categoricalValues
      ? p.categoricalValues
          .filter((v) => !v.deleted)
          .sort((a, b) => a.enumIndex - b.enumIndex)
          .map((v) => ({ object: 'categorical_value', name: v.name, enum_index: v.enumIndex }))
      : null,
    prior: p.prior
      ? p.prior.name === 'normal'
        ? { object: 'normal_prior', name: 'normal', mean: p.prior.mean, scale: p.prior.scale }
        : { object: 'beta_prior', name: 'beta', shape_a: p.prior.shapeA, shape_b: p.prior.shapeB }
      : null,
    transformation: p.transformation,
    default_value: p.defaultValue,
    conditions: Object.fromEntries(Object.entries(p.conditions).map(([k, v]) => [k, [...v]])),
    precision: p.precision,
  };
  if (p.grid) out.grid = [...p.grid];
  return out;
}

export function renderSpecParts(spec: ExperimentSpec): Record<string, unknown> {
  return {
    parameters: spec.parameters.filter((p) => !p.deleted).map(renderParameter),
    metrics: spec.metrics.map((m) => ({ object: 'metric', name: m.name, objective: m.objective, strategy: m.strategy, threshold: m.threshold })),
    conditionals: spec.conditionals.map((c) => ({ object: 'conditional', name: c.name, values: [...c.values] })),
    linear_constraints: spec.linearConstraints.map((c) => ({
      object: 'linear_constraint',
      type: c.type,
      threshold: c.threshold,
      terms: c.terms.map((t) => ({ object: 'constraint_term', name: t.name, weight: t.weight })),
    })),
  };
}

/** The Experiment object (docs/api-compatibility.md#response-objects). */
export function renderExperiment(exp: ExperimentRecord, progress: ProgressData | null): Record<string, unknown> {
  const spec = exp.spec;
  const out: Record<string, unknown> = {
    object: 'experiment',
    id: exp.id,
    name: exp.name,
    type: spec.type,
    state: exp.state,
    client: exp.clientId,
    user: exp.userId,
    project: exp.projectId,
    created: exp.created,
    updated: exp.updated,
    development: exp.development,
    ...renderSpecParts(spec),
    metadata: exp.metadata,
    num_solutions: spec.numSolutions,
    parallel_bandwidth: spec.parallelBandwidth,
    progress: progress ? renderProgress(exp, progress) : null,
    runs_only: exp.runsOnly,
  };
  if (exp.runsOnly) out.budget = spec.observationBudget;
  else out.observation_budget = spec.observationBudget;
  if (spec.tasks) out.tasks = [...spec.tasks].sort((a, b) => b.cost - a.cost).map((t) => ({ object: 'task', name: t.name, cost: t.cost }));
  return out;
}

function renderProgress(exp: ExperimentRecord, p: ProgressData): Record<string, unknown> {
  const obs = (o: ObservationRecord | null) => (o ? renderObservation(exp.spec, o) : null);
  return {
    object: 'progress',
    observation_count: p.observationCount,
    observation_budget_consumed: p.budgetConsumed,
    first_observation: obs(p.first),
    last_observation: obs(p.last),
    best_observation: obs(p.best),
  };
}
