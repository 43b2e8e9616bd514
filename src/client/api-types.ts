/**
 * The SigOpt v1 objects as the server renders them (docs/api-compatibility.md#response-objects) and the request bodies it takes.
 * test/http/client.test.ts checks live answers of all three backends against the field lists in
 * api-fields.ts, which a compile-time check ties to these interfaces.
 */

/** A parameter value in assignments: number for double/int, value name for categoricals, null when a condition hides it. */
export type AssignmentValue = number | string | null;
/** Parameter name → value. */
export type Assignments = Record<string, AssignmentValue>;
/** Free-form metadata: strings (≤ 500 chars), numbers or null; no booleans (docs/api-compatibility.md#metadata-rules). */
export type Metadata = Record<string, string | number | null>;

/** The pagination envelope of every list endpoint (docs/api-compatibility.md#paging). */
export interface Pagination<T> {
  readonly object: 'pagination';
  readonly count: number;
  readonly data: T[];
  readonly paging: { readonly before: string | null; readonly after: string | null };
}

/** Paging query of list endpoints. */
export interface PageQuery {
  readonly limit?: number;
  readonly before?: string;
  readonly after?: string;
}

export interface Bounds {
  readonly object: 'bounds';
  readonly min: number;
  readonly max: number;
}

export interface CategoricalValue {
  readonly object: 'categorical_value';
  readonly name: string;
  readonly enum_index: number;
}

export interface Parameter {
  readonly object: 'parameter';
  readonly name: string;
  readonly type: 'double' | 'int' | 'categorical';
  readonly bounds: Bounds | null;
  readonly categorical_values: CategoricalValue[] | null;
  /** Hidden unless a grid was given. */
  readonly grid?: number[];
  readonly prior:
    | { readonly object: 'normal_prior'; readonly name: 'normal'; readonly mean: number; readonly scale: number }
    | { readonly object: 'beta_prior'; readonly name: 'beta'; readonly shape_a: number; readonly shape_b: number }
    | null;
  readonly transformation: 'log' | null;
  readonly default_value: number | string | null;
  readonly conditions: Record<string, string[]>;
  readonly precision: number | null;
}

export interface Metric {
  readonly object: 'metric';
  readonly name: string | null;
  readonly objective: 'maximize' | 'minimize';
  readonly strategy: 'optimize' | 'store' | 'constraint';
  readonly threshold: number | null;
}

export interface Conditional {
  readonly object: 'conditional';
  readonly name: string;
  readonly values: string[];
}

export interface LinearConstraint {
  readonly object: 'linear_constraint';
  readonly type: 'greater_than' | 'less_than';
  readonly threshold: number;
  readonly terms: { readonly object: 'constraint_term'; readonly name: string; readonly weight: number }[];
}

export interface Task {
  readonly object: 'task';
  readonly name: string;
  readonly cost: number;
}

export interface Progress {
  readonly object: 'progress';
  readonly observation_count: number;
  readonly observation_budget_consumed: number;
  readonly first_observation: Observation | null;
  readonly last_observation: Observation | null;
  readonly best_observation: Observation | null;
}

export interface Experiment {
  readonly object: 'experiment';
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
  readonly parameters: Parameter[];
  readonly metrics: Metric[];
  readonly conditionals: Conditional[];
  readonly linear_constraints: LinearConstraint[];
  readonly metadata: Metadata | null;
  /** Hidden for runs-only experiments. */
  readonly observation_budget?: number | null;
  /** Hidden unless runs-only. */
  readonly budget?: number | null;
  readonly num_solutions: number | null;
  readonly parallel_bandwidth: number | null;
  readonly progress: Progress | null;
  /** Hidden unless multitask. */
  readonly tasks?: Task[];
  readonly runs_only: boolean;
}

export interface MetricEvaluation {
  readonly object: 'metric_evaluation';
  readonly name: string | null;
  readonly value: number;
  readonly value_stddev: number | null;
}

export interface Suggestion {
  readonly object: 'suggestion';
  readonly id: string;
  readonly experiment: string;
  readonly assignments: Assignments;
  readonly state: 'open' | 'closed';
  readonly created: number;
  readonly deleted: boolean;
  readonly metadata: Metadata | null;
  /** Hidden unless multitask. */
  readonly task?: Task;
}

export interface QueuedSuggestion {
  readonly object: 'queued_suggestion';
  readonly id: string;
  readonly experiment: string;
  readonly assignments: Assignments;
  readonly created: number;
  readonly task?: Task;
}

export interface Observation {
  readonly object: 'observation';
  readonly id: string;
  readonly experiment: string;
  readonly suggestion: string | null;
  readonly assignments: Assignments;
  readonly values: MetricEvaluation[];
  readonly failed: boolean;
  readonly metadata: Metadata | null;
  readonly created: number;
  readonly task?: Task;
}

export interface BestAssignments {
  readonly object: 'best_assignments';
  readonly id: string;
  readonly assignments: Assignments;
  readonly values: MetricEvaluation[];
  readonly metadata: Metadata | null;
  readonly task?: Task;
}

export interface StoppingCriteria {
  readonly object: 'stopping_criteria';
  readonly should_stop: boolean;
  readonly reasons: string[];
}

export interface MetricImportances {
  readonly object: 'metric_importances';
  readonly metric: string | null;
  readonly importances: Record<string, number | null>;
}

export interface Project {
  readonly object: 'project';
  readonly id: string;
  readonly name: string;
  readonly client: string;
  readonly user: string | null;
  readonly created: number;
  readonly updated: number;
  readonly metadata: Metadata | null;
  readonly experiment_count: number;
  readonly training_run_count: number;
  readonly deleted: boolean;
}

export interface Token {
  readonly object: 'token';
  readonly token: string;
  readonly token_type: 'client-api' | 'client-dev' | 'user' | 'guest';
  readonly client: string | null;
  readonly user: string | null;
  readonly organization: string | null;
  readonly experiment: string | null;
  readonly training_run: string | null;
  readonly all_experiments: boolean;
  readonly development: boolean;
  readonly permissions: 'read' | 'write';
  readonly scope: 'all_endpoints' | 'shared_experiment' | 'signup';
  readonly expires: number | null;
  readonly lease_length: number | null;
}

export interface Client {
  readonly object: 'client';
  readonly id: string;
  readonly name: string;
  readonly organization: string;
  readonly created: number;
  readonly client_security: { readonly allow_users_to_see_experiments_by_others: boolean };
  readonly deleted?: boolean;
}

export interface Organization {
  readonly object: 'organization';
  readonly id: string;
  readonly name: string;
  readonly created: number;
  readonly deleted: boolean;
  readonly academic: boolean;
  readonly email_domains: string[];
  readonly client_for_email_signup: string | null;
}

export interface User {
  readonly object: 'user';
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly created: number;
  readonly deleted: boolean;
  readonly educational_user: boolean;
  readonly has_verified_email: boolean;
  readonly show_welcome: boolean;
  readonly planned_usage: Record<string, unknown> | null;
}

export interface Session {
  readonly object: 'session';
  readonly api_token: Token;
  readonly client: Client | null;
  readonly user: User | null;
  readonly code: string | null;
  readonly needs_password_reset: boolean;
}

// ---- request bodies -------------------------------------------------------------------------

/** A parameter in an experiment create body (docs/api-compatibility.md#experiments). */
export interface ParameterCreate {
  readonly name: string;
  readonly type: 'double' | 'int' | 'categorical';
  readonly bounds?: { readonly min: number; readonly max: number };
  readonly categorical_values?: readonly (string | { readonly name: string })[];
  readonly grid?: readonly number[];
  readonly transformation?: 'none' | 'log';
  readonly prior?:
    | { readonly name: 'normal'; readonly mean: number; readonly scale: number }
    | { readonly name: 'beta'; readonly shape_a: number; readonly shape_b: number }
    | null;
  readonly default_value?: number | string;
  readonly conditions?: Readonly<Record<string, string | readonly string[]>>;
  readonly precision?: number;
}

/** A metric in an experiment create body. */
export interface MetricCreate {
  readonly name: string;
  readonly objective?: 'maximize' | 'minimize';
  readonly strategy?: 'optimize' | 'store' | 'constraint';
  readonly threshold?: number | null;
}

/** The experiment create body (docs/api-compatibility.md#experiments). */
export interface ExperimentCreate {
  readonly name: string;
  readonly parameters: readonly ParameterCreate[];
  readonly metrics?: readonly (MetricCreate | string)[];
  readonly type?: 'offline' | 'random' | 'grid' | null;
  readonly observation_budget?: number | null;
  readonly parallel_bandwidth?: number | null;
  readonly num_solutions?: number | null;
  readonly conditionals?: readonly { readonly name: string; readonly values: readonly string[] }[] | null;
  readonly linear_constraints?:
    | readonly {
        readonly type: 'greater_than' | 'less_than';
        readonly terms: readonly { readonly name: string; readonly weight: number }[];
        readonly threshold: number;
      }[]
    | null;
  readonly tasks?: readonly { readonly name: string; readonly cost: number }[] | null;
  readonly metadata?: Metadata | null;
  readonly project?: string | null;
}

/** The experiment update body (PATCH semantics, docs/api-compatibility.md#experiments). */
export interface ExperimentUpdate {
  readonly name?: string;
  readonly state?: 'active' | 'deleted';
  readonly project?: string | null;
  readonly observation_budget?: number | null;
  readonly metadata?: Metadata | null;
  readonly parallel_bandwidth?: number | null;
  readonly metrics?: readonly (MetricCreate & { readonly threshold?: number | null })[];
  readonly parameters?: readonly ParameterCreate[];
  readonly no_optimize?: boolean;
}

/** Query of the experiment lists (docs/api-compatibility.md#experiments). */
export interface ExperimentListQuery extends PageQuery {
  readonly state?: 'active' | 'deleted' | 'all';
  readonly search?: string;
  readonly user?: string | number;
  readonly period_start?: number;
  readonly period_end?: number;
  readonly development?: boolean;
  readonly sort?: 'id' | 'recent';
  readonly ascending?: boolean;
}

/** The suggestion create body: empty for a model suggestion (docs/api-compatibility.md#suggestions). */
export interface SuggestionCreate {
  readonly assignments?: Readonly<Assignments>;
  readonly task?: string | { readonly name: string };
  readonly metadata?: Metadata | null;
}

/** One metric value reported in an observation. */
export interface ValueInput {
  readonly name?: string | null;
  readonly value: number;
  readonly value_stddev?: number | null;
}

/** The observation create body (docs/api-compatibility.md#observations): exactly one of `suggestion` / `assignments`. */
export interface ObservationCreate {
  readonly suggestion?: string;
  readonly assignments?: Readonly<Assignments>;
  readonly values?: readonly ValueInput[] | null;
  readonly failed?: boolean | null;
  readonly metadata?: Metadata | null;
  readonly task?: string | { readonly name: string };
  readonly no_optimize?: boolean;
}

/** The project create body (docs/api-compatibility.md#projects). */
export interface ProjectCreate {
  readonly id: string;
  readonly name: string;
  readonly metadata?: Metadata | null;
}
