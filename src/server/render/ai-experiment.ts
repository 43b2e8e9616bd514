import type { ExperimentRecord } from '../../store/ports/records.ts';
import type { RunCounts } from '../../store/store.ts';
import { renderExperiment } from './experiment.ts';

/**
 * The AIExperiment object: the Experiment object without `development` and
 * `observation_budget`, with `budget`, and a progress that counts runs (sigopt-server's
 * RunProgress: finished, active, total and remaining budget).
 */
export function renderAiExperiment(exp: ExperimentRecord, runs: RunCounts): Record<string, unknown> {
  const { development: _development, observation_budget: _budget, ...rest } = renderExperiment(exp, null);
  const total = runs.active + runs.finished;
  const budget = exp.spec.observationBudget;
  return {
    ...rest,
    object: 'aiexperiment',
    budget,
    progress: {
      object: 'progress',
      active_run_count: runs.active,
      finished_run_count: runs.finished,
      total_run_count: total,
      remaining_budget: budget === null ? null : budget - total,
    },
  };
}
