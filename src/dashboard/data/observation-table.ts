import type { Experiment, Observation } from '../types.ts';

/** A metric's column label: its name, or `value` for SigOpt's unnamed single metric. */
export function metricLabel(name: string | null): string {
  return name ?? 'value';
}

/** One cell of the flattened observations table. */
export type Cell = string | number | boolean | null;

/** The observations as a flat table: fixed columns, then parameters, metric values and stddevs. */
export interface ObservationTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/**
 * Flattens observations for the table and the CSV export: `id, created, suggestion, failed`, one
 * column per parameter (the experiment's order: by name), one per metric value, one per metric
 * stddev, then `metadata` as JSON. Unset cells (failed values, inactive conditional parameters)
 * are null.
 */
export function observationTable(experiment: Experiment, observations: readonly Observation[]): ObservationTable {
  const params = experiment.parameters.map((p) => p.name);
  const metrics = experiment.metrics.map((m) => m.name);
  const columns = [
    'id',
    'created',
    'suggestion',
    'failed',
    ...params,
    ...metrics.map(metricLabel),
    ...metrics.map((m) => `${metricLabel(m)}_stddev`),
    'metadata',
  ];
  const rows = observations.map((o): Cell[] => {
    const byName = new Map(o.values.map((v) => [v.name, v]));
    // An unnamed value of a single-metric experiment belongs to that metric (docs/api-compatibility.md#response-objects).
    const value = (m: string | null) => byName.get(m) ?? (metrics.length === 1 ? byName.get(null) : undefined);
    return [
      o.id,
      o.created,
      o.suggestion,
      o.failed,
      ...params.map((p) => o.assignments[p] ?? null),
      ...metrics.map((m) => value(m)?.value ?? null),
      ...metrics.map((m) => value(m)?.value_stddev ?? null),
      o.metadata === null ? null : JSON.stringify(o.metadata),
    ];
  });
  return { columns, rows };
}

/** The value of one metric in an observation, or null (failed, or not reported). */
export function metricValue(experiment: Experiment, o: Observation, metric: string | null): number | null {
  const hit = o.values.find((v) => v.name === metric) ?? (experiment.metrics.length === 1 ? o.values[0] : undefined);
  return o.failed || hit === undefined ? null : hit.value;
}
