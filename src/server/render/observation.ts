import type { ObservationRecord, ObservationValue } from '../../store/ports/records.ts';
import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import { renderAssignments, withTask } from './assignments.ts';

export function renderValues(values: readonly ObservationValue[]): Record<string, unknown>[] {
  return [...values]
    .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''))
    .map((v) => ({ object: 'metric_evaluation', name: v.name, value: v.value, value_stddev: v.valueStddev }));
}

/** The Observation object (docs/api-compatibility.md#response-objects); `id` null for dry-run batch items. */
export function renderObservation(spec: ExperimentSpec, o: ObservationRecord | (Omit<ObservationRecord, 'id'> & { id: string | null })): Record<string, unknown> {
  return withTask(
    {
      object: 'observation',
      id: o.id,
      experiment: o.experimentId,
      suggestion: o.suggestionId,
      assignments: renderAssignments(spec, o.assignments),
      values: renderValues(o.values),
      failed: o.failed,
      metadata: o.metadata,
      created: o.created,
    },
    spec,
    o.task,
  );
}

/** The BestAssignments object (docs/api-compatibility.md#response-objects). */
export function renderBestAssignments(spec: ExperimentSpec, o: ObservationRecord): Record<string, unknown> {
  return withTask(
    {
      object: 'best_assignments',
      id: o.id,
      assignments: renderAssignments(spec, o.assignments),
      values: renderValues(o.values),
      metadata: o.metadata,
    },
    spec,
    o.task,
  );
}
