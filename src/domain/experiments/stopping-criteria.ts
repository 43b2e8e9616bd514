import type { ObservationRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import { metricValue, optimizedMetrics, oriented, paretoFront } from './metric-values.ts';

export type StoppingReason = 'possible_stagnation' | 'observation_budget_reached';

/**
 * Stopping criteria (docs/api-compatibility.md#stopping-criteria). `observations` are the live ones in creation order.
 * Stagnation compares the first n − L observations with the last L = 5·D.
 */
export function stoppingReasons(spec: ExperimentSpec, observations: readonly ObservationRecord[]): StoppingReason[] {
  const reasons: StoppingReason[] = [];
  const n = observations.length;
  const d = spec.parameters.filter((p) => !p.deleted).length;
  const lag = 5 * d;
  const optimized = optimizedMetrics(spec);
  const budget = spec.observationBudget;
  if (n > lag + 4 && optimized.length > 0) {
    const values = (m: (typeof optimized)[number]) =>
      observations.map((o) => {
        const v = metricValue(o, m);
        return v === null ? -Infinity : oriented(m, v);
      });
    if (optimized.length === 1 && (spec.numSolutions ?? 1) <= 1) {
      const v = values(optimized[0]!);
      const early = v.slice(0, n - lag).sort((a, b) => b - a);
      const fifthBest = early[Math.min(4, early.length - 1)] ?? -Infinity;
      const lateBest = Math.max(...v.slice(n - lag));
      if (fifthBest >= lateBest) reasons.push('possible_stagnation');
    } else if (budget !== null && n >= budget) {
      const columns = optimized.map(values);
      const points = observations.map((_, i) => columns.map((c) => c[i] ?? -Infinity));
      const frontKey = (rows: number[][]) =>
        paretoFront(rows)
          .map((i) => JSON.stringify(rows[i]))
          .sort()
          .join('|');
      if (frontKey(points.slice(0, n - lag)) === frontKey(points)) reasons.push('possible_stagnation');
    }
  }
  if (budget !== null && n > budget) reasons.push('observation_budget_reached');
  return reasons;
}
