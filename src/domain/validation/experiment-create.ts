import type { ExperimentSpec, ExperimentType, LinearConstraintSpec } from '../../optimizer/experiment-spec.ts';
import type { Metadata } from '../../store/ports/records.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, hasKey, notAllowed, optBoolean, optPositiveInteger, optString, reqString } from './schema.ts';
import { checkExperimentCreateSchema } from './experiment-schema.ts';
import { validateName } from './names.ts';
import { parseConditionals } from './conditionals.ts';
import { parseParameters } from './parameters.ts';
import { parseLinearConstraints } from './linear-constraints.ts';
import { parseMetrics } from './metrics.ts';
import { parseTasks } from './tasks.ts';
import { validateMetadata } from './metadata.ts';
import { sortByName } from './sort-by-name.ts';
import { isFeasibleRegionNonEmpty } from '../../optimizer/space/linear-constraints.ts';

/** A validated experiment create request. */
export interface ExperimentCreateInput {
  /** Trimmed. */
  readonly name: string;
  readonly spec: ExperimentSpec;
  readonly metadata: Metadata | null;
  /** Project id as given; its existence is the service's business. */
  readonly project: string | null;
  readonly runsOnly: boolean;
}

/** Server settings that shape validation. */
export interface ExperimentValidationOptions {
  /** Limit M3 (2 in strict-compatibility mode; [Extension] X1 allows up to 50). */
  readonly maxOptimizedMetrics: number;
}

const EXPERIMENT_TYPES: readonly ExperimentType[] = ['offline', 'random', 'grid'];

/**
 * Validates `POST /experiments` (docs/api-compatibility.md#experiments, docs/api-compatibility.md#validation-rules) and
 * normalizes it into an ExperimentSpec:
 * parameters, metrics and constraint terms sorted by name, default type `offline`, grid budget
 * computed. Checks run in the original's order — schema first, then name, conditionals,
 * parameters, constraints, metrics, numeric settings, budget rules, metadata, tasks, and finally
 * the constraint geometry (L2, L9) — so the first error matches what clients were written against.
 */
export function validateExperimentCreate(body: JsonObject, opts: ExperimentValidationOptions): ExperimentCreateInput {
  checkExperimentCreateSchema(body);
  const name = validateName('Experiment', reqString(body, 'name'));
  const typeRaw = optString(body, 'type');
  if (typeRaw !== null && !(EXPERIMENT_TYPES as readonly string[]).includes(typeRaw)) {
    throw notAllowed(typeRaw, EXPERIMENT_TYPES);
  }
  const type = (typeRaw ?? 'offline') as ExperimentType;
  const project = optString(body, 'project');
  const runsOnly = optBoolean(body, 'runs_only') ?? false;

  const conditionals = parseConditionals(body);
  const parsed = parseParameters(body, type, conditionals);
  const parameters = parsed.map((p) => p.spec);
  const linearConstraints = parseLinearConstraints(body, parameters);
  const metrics = parseMetrics(body, opts.maxOptimizedMetrics);
  const optimized = metrics.filter((m) => m.strategy === 'optimize').length;
  const hasConstraintMetrics = metrics.some((m) => m.strategy === 'constraint');

  const numSolutions = optPositiveInteger(body, 'num_solutions');
  const parallelBandwidth = optPositiveInteger(body, 'parallel_bandwidth');
  // Runs-only (AI) experiments call their budget `budget`; classic ones `observation_budget`.
  const budgetKey = runsOnly ? 'budget' : 'observation_budget';
  if (runsOnly && hasKey(body, 'observation_budget')) {
    throw apiError('OBSERVATION_BUDGET_ON_AI_EXPERIMENT');
  }
  if (!runsOnly && hasKey(body, 'budget')) throw apiError('BUDGET_NOT_A_FIELD');
  const budget = optPositiveInteger(body, budgetKey);
  let observationBudget = budget;
  const multisolution = numSolutions !== null && numSolutions > 1;

  if (type === 'grid') {
    if (conditionals.length > 0) throw apiError('GRID_WITH_CONDITIONALS');
    const computed = parsed.reduce((acc, p) => acc * (p.gridSize ?? 1), 1);
    if (budget !== null && budget !== computed) {
      throw apiError('GRID_BUDGET_MISMATCH', { budgetKey, budget, computed });
    }
    observationBudget = computed;
  } else if (budget === null) {
    if (optimized > 1) throw apiError('BUDGET_REQUIRED_MULTIMETRIC', { budgetKey });
    if (hasConstraintMetrics) throw apiError('BUDGET_REQUIRED_CONSTRAINTS', { budgetKey });
    if (multisolution) throw apiError('BUDGET_REQUIRED_MULTISOLUTION', { budgetKey });
  }
  if (conditionals.length > 0 && multisolution) {
    throw apiError('MULTISOLUTION_WITH_CONDITIONALS');
  }
  if (multisolution) {
    if (numSolutions > (observationBudget ?? 0)) throw apiError('BUDGET_BELOW_SOLUTIONS');
    if (optimized !== 1) throw apiError('MULTISOLUTION_NEEDS_ONE_METRIC');
  }

  const metadata = validateMetadata(getOwn(body, 'metadata'));
  if (optimized === 0 && !hasConstraintMetrics) throw apiError('NO_OPTIMIZED_OR_CONSTRAINT_METRICS');

  const tasks = parseTasks(body);
  if (tasks !== null) {
    if (!observationBudget) throw apiError('BUDGET_REQUIRED_TASKS', { budgetKey });
    if (optimized > 1) throw apiError('TASKS_WITH_MULTIPLE_METRICS');
    if (hasConstraintMetrics) throw apiError('TASKS_WITH_CONSTRAINT_METRICS');
    if (multisolution) throw apiError('MULTISOLUTION_WITH_TASKS');
  }

  // No C6: SigOpt accepts a conditional value that enables no parameter (sigopt-server's own
  // tests create such experiments), so every conditional value need not be used.

  const spec: ExperimentSpec = {
    type,
    parameters: sortByName(parameters),
    metrics: sortByName(metrics),
    conditionals,
    linearConstraints,
    tasks,
    observationBudget,
    parallelBandwidth,
    numSolutions,
  };
  checkConstraintGeometry(spec.linearConstraints, spec);
  return { name, spec, metadata, project, runsOnly };
}

/** L2 then L9: each constraint must involve two parameters and the region must have room. */
function checkConstraintGeometry(constraints: readonly LinearConstraintSpec[], spec: ExperimentSpec): void {
  if (constraints.length === 0) return;
  for (const c of constraints) {
    if (c.terms.length < 2) throw apiError('CONSTRAINT_TOO_FEW_TERMS');
  }
  if (!isFeasibleRegionNonEmpty(spec)) throw apiError('INFEASIBLE_CONSTRAINTS');
}
