import type { MetricSpec, MetricStrategy, Objective } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, invalidType, isObject, optNumber, optString } from './schema.ts';
import { validateName } from './names.ts';

/** Most metrics of any strategy (M2). */
export const MAX_METRICS = 50;
/** Most constraint metrics (M4). */
export const MAX_CONSTRAINT_METRICS = 4;

/** The metric an experiment gets when the body has no `metrics`. */
export const DEFAULT_METRIC: MetricSpec = Object.freeze({
  name: null,
  objective: 'maximize',
  strategy: 'optimize',
  threshold: null,
});

const strategyOf = (item: unknown): string => {
  if (!isObject(item)) return 'optimize';
  const s = getOwn(item, 'strategy');
  return typeof s === 'string' ? s : 'optimize';
};

/**
 * The threshold rules of one metric (M8–M10), shared with experiment updates (which re-check a new
 * threshold against the stored strategy).
 */
export function readMetricThreshold(item: JsonObject, strategy: MetricStrategy, optimizedCount: number): number | null {
  const threshold = optNumber(item, 'threshold');
  if (strategy === 'optimize') {
    if (optimizedCount === 1 && threshold !== null) {
      throw apiError('THRESHOLD_ON_SINGLE_METRIC');
    }
  } else if (strategy === 'constraint') {
    if (threshold === null) throw apiError('CONSTRAINT_METRIC_WITHOUT_THRESHOLD');
  } else if (threshold !== null) {
    throw apiError('THRESHOLD_ON_STORED_METRIC');
  }
  return threshold;
}

/**
 * Parses `metrics` of a create body (docs/api-compatibility.md#metric-rules M1–M10) in the original's order: list-level
 * counts first, then each metric. A string item is shorthand for `{name: item}`. Request order
 * is kept; the caller sorts.
 */
export function parseMetrics(body: JsonObject, maxOptimized: number): MetricSpec[] {
  const raw = getOwn(body, 'metrics');
  if (raw === undefined || raw === null) return [DEFAULT_METRIC];
  if (!Array.isArray(raw) || !raw.every((m) => typeof m === 'string' || isObject(m))) {
    throw invalidType('metrics', raw, 'array[oneOf[string, object]]');
  }
  if (raw.length === 0) throw apiError('METRICS_EMPTY');
  if (raw.length > MAX_METRICS) throw apiError('TOO_MANY_METRICS', { max: MAX_METRICS });
  const optimizedCount = raw.filter((m) => strategyOf(m) === 'optimize').length;
  if (optimizedCount > maxOptimized) throw apiError('TOO_MANY_OPTIMIZED_METRICS', { max: maxOptimized });
  if (raw.filter((m) => strategyOf(m) === 'constraint').length > MAX_CONSTRAINT_METRICS) {
    throw apiError('TOO_MANY_CONSTRAINT_METRICS', { max: MAX_CONSTRAINT_METRICS });
  }
  const seen = new Set<string | null>();
  const out: MetricSpec[] = [];
  for (const item of raw as (string | JsonObject)[]) {
    let name: string | null;
    let objective: Objective = 'maximize';
    let strategy: MetricStrategy = 'optimize';
    let threshold: number | null = null;
    if (typeof item === 'string') {
      name = item;
      if (seen.has(name)) throw apiError('DUPLICATE_METRIC_NAME', { name });
    } else {
      name = optString(item, 'name');
      if (name === null && raw.length > 1) throw apiError('UNNAMED_METRIC_IN_MULTIMETRIC');
      if (seen.has(name)) throw apiError('DUPLICATE_METRIC_NAME', { name });
      const o = optString(item, 'objective');
      if (o !== null) {
        if (o !== 'maximize' && o !== 'minimize') {
          throw apiError('INVALID_OBJECTIVE', { objective: o });
        }
        objective = o;
      }
      const s = optString(item, 'strategy');
      if (s !== null) {
        if (s !== 'optimize' && s !== 'store' && s !== 'constraint') {
          throw apiError('INVALID_STRATEGY', { strategy: s });
        }
        strategy = s;
      }
      threshold = readMetricThreshold(item, strategy, optimizedCount);
    }
    seen.add(name);
    if (name !== null) name = validateName('Metric', name);
    out.push({ name, objective, strategy, threshold });
  }
  return out;
}
