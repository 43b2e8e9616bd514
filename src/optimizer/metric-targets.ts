/**
 * Turns observed metric values into GP training targets: minimization form, failures imputed with
 * the worst successful value, standardized to mean 0 / variance 1, known noise scaled alike.
 */

import type { EngineObservation } from './engine-types.ts';
import type { MetricSpec } from './experiment-spec.ts';

/** Standardized minimization-form targets of one metric (or a scalarization). */
export interface Targets {
  /** One per observation; failures and missing values already imputed. */
  readonly y: Float64Array;
  /** Known noise variance per observation, in standardized units (0 when unknown). */
  readonly noise: Float64Array;
  /** Raw minimization-form value = y·scale + offset. */
  readonly offset: number;
  readonly scale: number;
  /** Which observations had a real (non-imputed) value. */
  readonly observed: Uint8Array;
}

/** Sign turning a metric into minimization form. */
export function metricSign(metric: MetricSpec): number {
  return metric.objective === 'maximize' ? -1 : 1;
}

/** Raw minimization-form values (NaN where failed/missing) and their known stddevs. */
export function rawMetricValues(
  metric: MetricSpec,
  observations: readonly EngineObservation[],
): { values: Float64Array; stddev: Float64Array } {
  const values = new Float64Array(observations.length);
  const stddev = new Float64Array(observations.length);
  observations.forEach((o, i) => {
    const r = rawMetricValue(metric, o);
    values[i] = r.value;
    stddev[i] = r.stddev;
  });
  return { values, stddev };
}

/** One observation's raw minimization-form value (NaN when failed or missing) and known stddev (0 = unknown). */
export function rawMetricValue(metric: MetricSpec, o: EngineObservation): { value: number; stddev: number } {
  if (o.failed) return { value: NaN, stddev: 0 };
  const v = o.values.find((e) => e.name === metric.name);
  if (v === undefined || !Number.isFinite(v.value)) return { value: NaN, stddev: 0 };
  const stddev = v.valueStddev !== null && Number.isFinite(v.valueStddev) ? Math.abs(v.valueStddev) : 0;
  return { value: metricSign(metric) * v.value, stddev };
}

/**
 * Standardizes minimization-form values; NaN entries (failures) get the worst observed value, which
 * steers the search away from failing regions without a separate classifier.
 */
export function standardizeTargets(values: Float64Array, stddev: Float64Array): Targets {
  const n = values.length;
  let worst = -Infinity;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    worst = Math.max(worst, v);
    sum += v;
    count++;
  }
  const observed = new Uint8Array(n);
  const filled = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    observed[i] = Number.isNaN(v) ? 0 : 1;
    filled[i] = Number.isNaN(v) ? (count > 0 ? worst : 0) : v;
  }
  const mean = count > 0 ? sum / count : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (filled[i]! - mean) ** 2;
  let sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 1;
  if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) sd = 1;
  const y = new Float64Array(n);
  const noise = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = (filled[i]! - mean) / sd;
    noise[i] = (stddev[i]! / sd) ** 2;
  }
  return { y, noise, offset: mean, scale: sd, observed };
}
