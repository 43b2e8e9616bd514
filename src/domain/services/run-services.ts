import { AiExperimentService } from './ai-experiment-service.ts';
import type { DomainDeps } from './domain-deps.ts';
import { ExperimentService } from './experiment-service.ts';
import { ObservationService } from './observation-service.ts';
import { RunCompletion } from './run-completion.ts';
import { RunFileService } from './run-file-service.ts';
import type { SuggestionService } from './suggestion-service.ts';
import { TrainingRunService } from './training-run-service.ts';

/** The training-run and AI-experiment services, wired to the loop services they build on. */
export interface RunServices {
  readonly trainingRuns: TrainingRunService;
  readonly aiExperiments: AiExperimentService;
  readonly runFiles: RunFileService;
}

/**
 * Builds the run services. `suggestions` is the composition root's suggestion service (the metered
 * one), so a run's suggestion is counted like any other; the other services are stateless over
 * `deps` and built here.
 */
export function createRunServices(deps: DomainDeps, suggestions: SuggestionService): RunServices {
  const completion = new RunCompletion(deps, new ObservationService(deps));
  const trainingRuns = new TrainingRunService(deps, completion);
  const aiExperiments = new AiExperimentService(deps, new ExperimentService(deps), suggestions, trainingRuns, completion);
  return { trainingRuns, aiExperiments, runFiles: new RunFileService(deps, trainingRuns) };
}
