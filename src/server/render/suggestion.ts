import type { QueuedSuggestionRecord, SuggestionRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import { renderAssignments, withTask } from './assignments.ts';

/** The Suggestion object (docs/api-compatibility.md#response-objects). */
export function renderSuggestion(spec: ExperimentSpec, s: SuggestionRecord): Record<string, unknown> {
  return withTask(
    {
      object: 'suggestion',
      id: s.id,
      experiment: s.experimentId,
      assignments: renderAssignments(spec, s.assignments),
      state: s.state,
      created: s.created,
      deleted: s.deleted,
      metadata: s.metadata,
    },
    spec,
    s.task,
  );
}

/** The QueuedSuggestion object (docs/api-compatibility.md#response-objects). */
export function renderQueuedSuggestion(spec: ExperimentSpec, q: QueuedSuggestionRecord): Record<string, unknown> {
  return withTask(
    { object: 'queued_suggestion', id: q.id, experiment: q.experimentId, assignments: renderAssignments(spec, q.assignments), created: q.created },
    spec,
    q.task,
  );
}
