/** The subset of SigOpt v1 response objects (docs/api-compatibility.md#response-objects) the dashboard reads. */

export type Objective = 'maximize' | 'minimize';

export interface Metric {
  readonly name: string | null;
  readonly objective: Objective;
  readonly strategy: 'optimize' | 'store' | 'constraint';
  readonly threshold: number | null;
}

export interface Parameter {
  readonly name: string;
  readonly type: 'double' | 'int' | 'categorical';
  readonly bounds: { readonly min: number; readonly max: number } | null;
  readonly categorical_values: readonly { readonly name: string; readonly enum_index: number }[] | null;
  readonly transformation: 'log' | null;
  readonly default_value: number | string | null;
  readonly conditions: Readonly<Record<string, readonly string[]>>;
  readonly grid?: readonly number[];
}

export interface MetricEvaluation {
  readonly name: string | null;
  readonly value: number;
  readonly value_stddev: number | null;
}

export type Assignments = Readonly<Record<string, number | string | null>>;

export interface Observation {
  readonly id: string;
  readonly experiment: string;
  readonly suggestion: string | null;
  readonly assignments: Assignments;
  readonly values: readonly MetricEvaluation[];
  readonly failed: boolean;
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly created: number;
  readonly task?: { readonly name: string; readonly cost: number };
}

export interface Progress {
  readonly observation_count: number;
  readonly observation_budget_consumed: number;
  readonly first_observation: Observation | null;
  readonly last_observation: Observation | null;
  readonly best_observation: Observation | null;
}

export interface Experiment {
  readonly id: string;
  readonly name: string;
  readonly type: 'offline' | 'random' | 'grid';
  readonly state: 'active' | 'deleted';
  readonly client: string;
  readonly user: string | null;
  readonly project: string | null;
  readonly created: number;
  readonly updated: number;
  readonly development: boolean;
  readonly parameters: readonly Parameter[];
  readonly metrics: readonly Metric[];
  readonly conditionals: readonly { readonly name: string; readonly values: readonly string[] }[];
  readonly linear_constraints: readonly {
    readonly type: string;
    readonly threshold: number;
    readonly terms: readonly { readonly name: string; readonly weight: number }[];
  }[];
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly observation_budget: number | null;
  readonly parallel_bandwidth: number | null;
  readonly num_solutions: number | null;
  readonly progress: Progress | null;
}

export interface Suggestion {
  readonly id: string;
  readonly assignments: Assignments;
  readonly state: 'open' | 'closed';
  readonly created: number;
}

export interface QueuedSuggestion {
  readonly id: string;
  readonly assignments: Assignments;
  readonly created: number;
}

export interface Page<T> {
  readonly object: 'pagination';
  readonly count: number;
  readonly data: readonly T[];
  readonly paging: { readonly before: string | null; readonly after: string | null };
}

export interface MetricImportances {
  readonly metric: string | null;
  readonly importances: Readonly<Record<string, number | null>>;
}

export interface Token {
  readonly token_type: string;
  readonly client: string | null;
  readonly user: string | null;
  readonly permissions: string;
  readonly scope: string;
  readonly experiment: string | null;
}
