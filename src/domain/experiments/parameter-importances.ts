import type { ObservationRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec, MetricSpec, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { metricValue } from './metric-values.ts';

/** Fewer successful observations than this per parameter give no importance (422). */
const MIN_OBSERVATIONS_PER_PARAMETER = 2;
const MIN_OBSERVATIONS = 6;
const BINS = 5;

/**
 * Parameter importances for one metric, in [0, 1]: the correlation ratio η² of the metric against
 * each parameter (variance of per-bin means over total variance; numeric parameters binned by
 * quantiles, categoricals by value). A transparent first-order measure: it ignores interactions,
 * which is why it is labelled an estimate in the docs. Null when there are too few observations.
 */
export function parameterImportances(
  spec: ExperimentSpec,
  metric: MetricSpec,
  observations: readonly ObservationRecord[],
): Record<string, number | null> | null {
  const params = spec.parameters.filter((p) => !p.deleted);
  const rows = observations
    .map((o) => ({ o, y: metricValue(o, metric) }))
    .filter((r): r is { o: ObservationRecord; y: number } => r.y !== null);
  if (params.length === 1 && rows.length > 0) return { [params[0]!.name]: 1 };
  if (rows.length < Math.max(MIN_OBSERVATIONS, MIN_OBSERVATIONS_PER_PARAMETER * params.length)) return null;
  const mean = rows.reduce((s, r) => s + r.y, 0) / rows.length;
  const total = rows.reduce((s, r) => s + (r.y - mean) ** 2, 0);
  const out: Record<string, number | null> = {};
  for (const p of params) {
    if (total === 0) {
      out[p.name] = 0;
      continue;
    }
    const groups = groupRows(p, rows);
    let between = 0;
    for (const g of groups) {
      if (g.length === 0) continue;
      const m = g.reduce((s, y) => s + y, 0) / g.length;
      between += g.length * (m - mean) ** 2;
    }
    out[p.name] = Math.min(1, Math.max(0, between / total));
  }
  return out;
}

function groupRows(p: ParameterSpec, rows: readonly { o: ObservationRecord; y: number }[]): number[][] {
  const present = rows.filter((r) => r.o.assignments[p.name] !== undefined);
  if (p.type === 'categorical') {
    const byValue = new Map<string, number[]>();
    for (const r of present) {
      const key = String(r.o.assignments[p.name]);
      byValue.set(key, [...(byValue.get(key) ?? []), r.y]);
    }
    return [...byValue.values()];
  }
  const sorted = [...present].sort((a, b) => Number(a.o.assignments[p.name]) - Number(b.o.assignments[p.name]));
  const groups: number[][] = Array.from({ length: BINS }, () => []);
  sorted.forEach((r, i) => groups[Math.min(BINS - 1, Math.floor((i * BINS) / sorted.length))]?.push(r.y));
  return groups;
}
