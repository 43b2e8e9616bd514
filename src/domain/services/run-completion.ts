import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { ExperimentRecord, TrainingRunData, TrainingRunRecord, TrainingRunState } from '../../store/ports/records.ts';
import type { DomainDeps } from './domain-deps.ts';
import type { ObservationService } from './observation-service.ts';

/**
 * What finishing a run of an AI experiment means for the optimizer: the run's suggestion gets an
 * observation, made by the same {@link ObservationService} call a classic client's
 * `POST /experiments/{id}/observations` makes — so the model, progress, stopping criteria and
 * best assignments see exactly what they would have seen from the classic API.
 */
export class RunCompletion {
  constructor(
    private readonly deps: DomainDeps,
    private readonly observations: ObservationService,
  ) {}

  /**
   * A run of an AI experiment logs values only for the experiment's metrics: an unknown name is
   * refused (nothing stored) instead of being silently left out of the observation.
   */
  async checkValues(
    run: Pick<TrainingRunRecord, 'experimentId'>,
    data: Pick<TrainingRunData, 'values'>,
    known?: ExperimentRecord,
  ): Promise<void> {
    if (run.experimentId === null) return;
    const experiment = known ?? (await this.deps.store.experiments.get(run.experimentId));
    if (!experiment) return;
    const names = new Set(experiment.spec.metrics.map((m) => m.name));
    for (const name of Object.keys(data.values)) {
      if (!names.has(name)) throw apiError('UNKNOWN_RUN_METRIC', { name, id: experiment.id });
    }
  }

  /**
   * Records the observation of a run that reached `completed` or `failed`; returns its id, or
   * null when the run has nothing to report (no experiment or suggestion, or the experiment was
   * archived meanwhile). A completed run that lacks a value for some metric counts as failed, as
   * in SigOpt: a partial observation cannot be stored.
   */
  async record(p: Principal, run: TrainingRunRecord, state: TrainingRunState, data: TrainingRunData): Promise<string | null> {
    if (run.experimentId === null || run.suggestionId === null || state === 'active') return null;
    const experiment = await this.deps.store.experiments.get(run.experimentId);
    if (!experiment || experiment.state === 'deleted') return null;
    const { item } = await this.observations.create(
      p,
      experiment.id,
      observationBody(experiment, { suggestion: run.suggestionId }, state, data),
    );
    return item.id;
  }

  /** For a run created already finished: an observation at its assignments (no suggestion). */
  async recordAt(
    p: Principal,
    experiment: ExperimentRecord,
    assignments: Record<string, unknown>,
    state: TrainingRunState,
    data: TrainingRunData,
  ): Promise<string> {
    const { item } = await this.observations.create(p, experiment.id, observationBody(experiment, { assignments }, state, data));
    return item.id;
  }
}

function observationBody(
  experiment: ExperimentRecord,
  target: { suggestion: string } | { assignments: Record<string, unknown> },
  state: TrainingRunState,
  data: TrainingRunData,
): Record<string, unknown> {
  const metrics = experiment.spec.metrics;
  const values = metrics.map((m) => (m.name === null ? undefined : data.values[m.name]));
  if (state === 'failed' || values.some((v) => v === undefined)) return { ...target, failed: true };
  return {
    ...target,
    values: metrics.map((m, i) => ({ name: m.name, value: values[i]?.value, value_stddev: values[i]?.value_stddev ?? null })),
  };
}
