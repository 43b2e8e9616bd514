import type { ExperimentSpec, ExperimentType, LinearConstraintSpec } from '../../optimizer/experiment-spec.ts';
import type { Metadata } from '../../store/ports/records.ts';
import { badRequest } from '../errors.ts';
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
 * Validates `POST /experiments` (spec §3.2, §4.1–4.9) and normalizes it into an ExperimentSpec:
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
    throw badRequest('observation_budget is no longer a valid field, please use budget instead.');
  }
  if (!runsOnly && hasKey(body, 'budget')) throw badRequest('budget is not a valid field.');
  const budget = optPositiveInteger(body, budgetKey);
  let observationBudget = budget;
  const multisolution = numSolutions !== null && numSolutions > 1;

  if (type === 'grid') {
    if (conditionals.length > 0) throw badRequest('Grid search experiments do not support conditional parameters currently.');
    const computed = parsed.reduce((acc, p) => acc * (p.gridSize ?? 1), 1);
    if (budget !== null && budget !== computed) {
      throw badRequest(`The specified \`${budgetKey}\` of ${budget} does not match the computed budget of ${computed}`);
    }
    observationBudget = computed;
  } else if (budget === null) {
    if (optimized > 1) throw badRequest(`${budgetKey} is required for an experiment with more than one optimized metric`);
    if (hasConstraintMetrics) throw badRequest(`${budgetKey} is required for an experiment with constraint metrics`);
    if (multisolution) throw badRequest(`${budgetKey} is required for an experiment with more than one solution`);
  }
  if (conditionals.length > 0 && multisolution) {
    throw badRequest('Conditional experiments cannot be run with multisolution experiments');
  }
  if (multisolution) {
    if (numSolutions > (observationBudget ?? 0)) throw badRequest('Observation budget needs to be larger than the number of solutions');
    if (optimized !== 1) throw badRequest('Multisolution experiments require exactly one optimized metric');
  }

  const metadata = validateMetadata(getOwn(body, 'metadata'));
  if (optimized === 0 && !hasConstraintMetrics) throw badRequest('Experiments must have optimized or constraint metrics');

  const tasks = parseTasks(body);
  if (tasks !== null) {
    if (!observationBudget) throw badRequest(`${budgetKey} is required for an experiment with tasks (multitask)`);
    if (optimized > 1) throw badRequest('Experiments cannot have both tasks and multiple optimized metrics');
    if (hasConstraintMetrics) throw badRequest('Experiments cannot have both tasks and constraint metrics');
    if (multisolution) throw badRequest('Multisolution Experiment cannot be multitask');
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
    if (c.terms.length < 2) throw badRequest('Constraints should affect at least two parameters');
  }
  if (!isFeasibleRegionNonEmpty(spec)) throw badRequest('Infeasible constraints or empty set');
}
