/**
 * The experiment as the engine sees it: the validated, normalized definition the server stores.
 * The domain layer produces exactly this shape (after validating a SigOpt create/update body) and
 * the engine consumes it; nothing here knows about HTTP, JSON casing or storage.
 */

export type ParameterType = 'double' | 'int' | 'categorical';

export interface CategoricalValue {
  readonly name: string;
  /** 1..n in creation order (SigOpt `enum_index`). */
  readonly enumIndex: number;
  /** Removed by an experiment update; kept so old observations still decode. */
  readonly deleted: boolean;
}

export type Prior =
  | { readonly name: 'normal'; readonly mean: number; readonly scale: number }
  | { readonly name: 'beta'; readonly shapeA: number; readonly shapeB: number };

export interface ParameterSpec {
  readonly name: string;
  readonly type: ParameterType;
  /** Numeric bounds; for grid parameters the grid's min/max; null for categoricals. */
  readonly bounds: { readonly min: number; readonly max: number } | null;
  /** All values ever defined, including deleted ones; null unless categorical. */
  readonly categoricalValues: readonly CategoricalValue[] | null;
  /** Sorted ascending; null unless a grid was given. */
  readonly grid: readonly number[] | null;
  readonly prior: Prior | null;
  readonly transformation: 'log' | null;
  readonly defaultValue: number | string | null;
  /** conditional name -> values of that conditional for which this parameter is active. */
  readonly conditions: Readonly<Record<string, readonly string[]>>;
  /** Significant digits for server-generated double assignments (extension X2); null = unset. */
  readonly precision: number | null;
  /** Removed by an experiment update; never assigned by the engine. */
  readonly deleted: boolean;
}

export type Objective = 'maximize' | 'minimize';
export type MetricStrategy = 'optimize' | 'store' | 'constraint';

export interface MetricSpec {
  /** null only for the single unnamed metric of an experiment created without `metrics`. */
  readonly name: string | null;
  readonly objective: Objective;
  readonly strategy: MetricStrategy;
  readonly threshold: number | null;
}

export interface ConditionalSpec {
  readonly name: string;
  readonly values: readonly string[];
}

export interface LinearConstraintSpec {
  /** greater_than: Σ weight·x ≥ threshold; less_than: Σ weight·x ≤ threshold. */
  readonly type: 'greater_than' | 'less_than';
  /** Zero weights already dropped; sorted by name. */
  readonly terms: readonly { readonly name: string; readonly weight: number }[];
  readonly threshold: number;
}

export interface TaskSpec {
  readonly name: string;
  /** In (0, 1]; exactly one task has cost 1. */
  readonly cost: number;
}

export type ExperimentType = 'offline' | 'random' | 'grid';

export interface ExperimentSpec {
  readonly type: ExperimentType;
  /** Sorted by name; may include deleted parameters (flag `deleted`). */
  readonly parameters: readonly ParameterSpec[];
  /** Sorted by name (null name first). */
  readonly metrics: readonly MetricSpec[];
  readonly conditionals: readonly ConditionalSpec[];
  readonly linearConstraints: readonly LinearConstraintSpec[];
  /** null unless multitask. */
  readonly tasks: readonly TaskSpec[] | null;
  readonly observationBudget: number | null;
  readonly parallelBandwidth: number | null;
  readonly numSolutions: number | null;
}

/**
 * One assignment set: parameter and conditional names to values. Ints and doubles are numbers,
 * categoricals and conditionals are value names; inactive (unsatisfied) parameters are absent.
 */
export type Assignments = Readonly<Record<string, number | string>>;
