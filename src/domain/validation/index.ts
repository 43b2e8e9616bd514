/**
 * SigOpt request validation: pure functions from parsed JSON bodies to normalized domain inputs.
 * Every failure is a 400 ApiError with the original server's message text.
 */
export { validateMetadata } from './metadata.ts';
export { validateExperimentCreate } from './experiment-create.ts';
export type { ExperimentCreateInput, ExperimentValidationOptions } from './experiment-create.ts';
export { validateExperimentUpdate } from './experiment-update.ts';
export type { ExperimentPatch } from './experiment-update.ts';
export { validateAssignments, validateTask, describeConstraint } from './assignments.ts';
export type { TaskContext } from './assignments.ts';
export { validateObservationCreate, validateObservationUpdate, readId } from './observation.ts';
export type { ObservationInput, ObservationPatch } from './observation.ts';
export { validateObservationBatch, asBatchItem, withBatchPrefix } from './observation-batch.ts';
export type { ObservationBatchInput } from './observation-batch.ts';
export { validateSuggestionCreate, validateSuggestionUpdate, validateQueuedSuggestionCreate } from './suggestion.ts';
export type { SuggestionCreateInput } from './suggestion.ts';
export { validateProjectCreate, validateProjectUpdate } from './project.ts';
export type { ProjectCreateInput, ProjectPatch } from './project.ts';
export { isObject } from './schema.ts';
export type { JsonObject } from './schema.ts';
