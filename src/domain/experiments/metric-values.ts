import type { ObservationRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec, MetricSpec } from '../../optimizer/experiment-spec.ts';

/** The value an observation reports for a metric (null when failed or missing). */
export function metricValue(o: ObservationRecord, metric: MetricSpec): number | null {
  if (o.failed) return null;
  const v = o.values.find((x) => x.name === metric.name) ?? (o.values.length === 1 && metric.name === null ? o.values[0] : undefined);
  return v ? v.value : null;
}

/** Orients a value so that larger is better. */
export function oriented(metric: MetricSpec, value: number): number {
  return metric.objective === 'maximize' ? value : -value;
}

/** Metrics being optimized, in name order (the spec keeps metrics sorted by name). */
export function optimizedMetrics(spec: ExperimentSpec): MetricSpec[] {
  return spec.metrics.filter((m) => m.strategy === 'optimize');
}

/** Whether a value is within the metric's threshold (maximize: ≥; minimize: ≤; none: always). */
export function withinThreshold(metric: MetricSpec, value: number): boolean {
  if (metric.threshold === null) return true;
  return metric.objective === 'maximize' ? value >= metric.threshold : value <= metric.threshold;
}

/**
 * Observations eligible for best assignments (docs/api-compatibility.md#best-assignments): not failed and every metric with a
 * threshold satisfied. Callers pass only live (non-deleted) observations.
 */
export function eligibleObservations(spec: ExperimentSpec, observations: readonly ObservationRecord[]): ObservationRecord[] {
  return observations.filter((o) => {
    if (o.failed) return false;
    for (const m of spec.metrics) {
      const v = metricValue(o, m);
      if (v === null) {
        if (m.strategy !== 'store') return false;
        continue;
      }
      if (!withinThreshold(m, v)) return false;
    }
    return true;
  });
}

/** Indices of the Pareto-optimal rows of `points` (each row oriented larger-is-better). */
export function paretoFront(points: readonly (readonly number[])[]): number[] {
  const front: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i] ?? [];
    let dominated = false;
    for (let j = 0; j < points.length && !dominated; j++) {
      if (i === j) continue;
      const q = points[j] ?? [];
      let geAll = true;
      let gtAny = false;
      for (let k = 0; k < p.length; k++) {
        const a = q[k] ?? -Infinity;
        const b = p[k] ?? -Infinity;
        if (a < b) geAll = false;
        else if (a > b) gtAny = true;
      }
      dominated = geAll && gtAny;
    }
    if (!dominated) front.push(i);
  }
  return front;
}
