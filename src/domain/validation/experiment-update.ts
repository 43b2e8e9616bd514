import type { ExperimentSpec, MetricSpec } from '../../optimizer/experiment-spec.ts';
import type { Metadata } from '../../store/ports/records.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, hasKey, isObject, optBoolean, optPositiveInteger, optString, reqString } from './schema.ts';
import { checkExperimentUpdateSchema } from './experiment-schema.ts';
import { validateName } from './names.ts';
import { validateMetadata } from './metadata.ts';
import { readMetricThreshold } from './metrics.ts';
import { updateParameters } from './parameter-update.ts';
import type { ExperimentValidationOptions } from './experiment-create.ts';

/** A validated experiment update (PATCH semantics: only given keys appear). */
export interface ExperimentPatch {
  readonly name?: string;
  readonly state?: 'active' | 'deleted';
  /** Project id to move to (existence checked by the service), or null to remove. */
  readonly project?: string | null;
  readonly metadata?: Metadata | null;
  /** The new spec when budget, bandwidth, metric thresholds or parameters changed. */
  readonly spec?: ExperimentSpec;
  readonly noOptimize: boolean;
  /** Unless `no_optimize: true`, an update resets model state and re-optimizes (docs/api-compatibility.md#experiments). */
  readonly resetsModel: boolean;
}

/**
 * Validates `PUT /experiments/{id}` (docs/api-compatibility.md#experiments update, M13, M14, G11, L11, C8, S4, tasks) in the
 * original's order: `no_optimize`, body schema, tasks, project, name, state, budget, parameters,
 * metadata, parallel bandwidth, metrics.
 */
export function validateExperimentUpdate(
  body: JsonObject,
  current: { readonly spec: ExperimentSpec; readonly development: boolean; readonly runsOnly?: boolean },
  opts: ExperimentValidationOptions,
): ExperimentPatch {
  // Metric limits are fixed at create; kept in the signature so callers pass one settings object.
  void opts;
  const noOptimize = optBoolean(body, 'no_optimize') ?? false;
  checkExperimentUpdateSchema(body);
  if (hasKey(body, 'tasks')) throw apiError('TASK_UPDATE');
  const old = current.spec;
  const patch: { -readonly [K in keyof ExperimentPatch]: ExperimentPatch[K] } = { noOptimize, resetsModel: !noOptimize };
  let spec: ExperimentSpec = old;
  let specChanged = false;

  if (hasKey(body, 'project')) patch.project = optString(body, 'project');
  if (hasKey(body, 'name')) patch.name = validateName('Experiment', reqString(body, 'name'));
  if (hasKey(body, 'state')) {
    const state = reqString(body, 'state');
    if (state !== 'active' && state !== 'deleted') {
      throw apiError('INVALID_STATE', { state });
    }
    patch.state = state;
  }
  // Runs-only (AI) experiments call their budget `budget`; classic ones `observation_budget`.
  const budgetKey = current.runsOnly ? 'budget' : 'observation_budget';
  if (current.runsOnly && hasKey(body, 'observation_budget')) {
    throw apiError('OBSERVATION_BUDGET_ON_AI_EXPERIMENT');
  }
  if (!current.runsOnly && hasKey(body, 'budget')) throw apiError('BUDGET_NOT_A_FIELD');
  if (hasKey(body, budgetKey)) {
    const budget = optPositiveInteger(body, budgetKey);
    if (old.type === 'grid') throw apiError('BUDGET_UPDATE_ON_GRID', { budgetKey });
    if (old.metrics.filter((m) => m.strategy === 'optimize').length > 1) {
      throw apiError('BUDGET_UPDATE_ON_MULTIMETRIC', { budgetKey });
    }
    if ((old.numSolutions ?? 1) > 1) {
      throw apiError('BUDGET_UPDATE_ON_MULTISOLUTION', { budgetKey });
    }
    spec = { ...spec, observationBudget: budget };
    specChanged = true;
  }
  if (hasKey(body, 'parameters')) {
    spec = { ...spec, parameters: updateParameters(old, getOwn(body, 'parameters')) };
    specChanged = true;
  }
  if (hasKey(body, 'metadata')) patch.metadata = validateMetadata(getOwn(body, 'metadata'));
  if (hasKey(body, 'parallel_bandwidth')) {
    spec = { ...spec, parallelBandwidth: optPositiveInteger(body, 'parallel_bandwidth') };
    specChanged = true;
  }
  if (hasKey(body, 'metrics')) {
    spec = { ...spec, metrics: updateMetrics(old.metrics, getOwn(body, 'metrics')) };
    specChanged = true;
  }
  if (specChanged) patch.spec = spec;
  return patch;
}

/** Only thresholds may change (M13); the list is matched to the stored metrics by name. */
function updateMetrics(metrics: readonly MetricSpec[], raw: unknown): MetricSpec[] {
  if (!Array.isArray(raw)) throw apiError('METRICS_NOT_ARRAY');
  const items: JsonObject[] = raw.map((m: unknown) => (typeof m === 'string' ? { name: m } : isObject(m) ? m : {}));
  if (items.length !== metrics.length) throw apiError('METRIC_COUNT_CHANGED');
  let provided: (string | null)[];
  if (metrics.length > 1) {
    if (items.some((m) => !hasKey(m, 'name'))) {
      throw apiError('METRIC_NAME_REQUIRED');
    }
    provided = items.map((m) => optString(m, 'name'));
  } else {
    const only = items[0] as JsonObject;
    provided = [hasKey(only, 'name') ? optString(only, 'name') : (metrics[0]?.name ?? null)];
  }
  const norm = (n: string | null): string => n ?? '';
  const stored = new Set(metrics.map((m) => norm(m.name)));
  const given = new Set(provided.map(norm));
  if (stored.size !== given.size || [...given].some((n) => !stored.has(n))) {
    throw apiError('METRIC_NAME_CHANGED');
  }
  const pairs = items.map((item, i) => {
    const metric = metrics.length === 1 ? metrics[0] : metrics.find((m) => norm(m.name) === norm(provided[i] ?? null));
    return [item, metric as MetricSpec] as const;
  });
  for (const [item, metric] of pairs) {
    if (hasKey(item, 'objective') && getOwn(item, 'objective') !== metric.objective) {
      throw apiError('METRIC_OBJECTIVE_CHANGED');
    }
  }
  for (const [item, metric] of pairs) {
    if (hasKey(item, 'strategy') && getOwn(item, 'strategy') !== metric.strategy) {
      throw apiError('METRIC_STRATEGY_CHANGED');
    }
  }
  const optimized = metrics.filter((m) => m.strategy === 'optimize').length;
  for (const [item, metric] of pairs) readMetricThreshold(item, metric.strategy, optimized);
  return metrics.map((metric) => {
    const pair = pairs.find(([, m]) => m === metric);
    if (pair === undefined || !hasKey(pair[0], 'threshold')) return metric;
    const t = getOwn(pair[0], 'threshold');
    return { ...metric, threshold: typeof t === 'number' ? t : null };
  });
}
