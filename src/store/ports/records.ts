import type { Assignments, ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import type { ModelState } from '../../optimizer/engine-types.ts';

/**
 * The stored shapes of SigOpt objects, as the domain layer and the store exchange them. Ids are
 * decimal strings of 64-bit database ids (SigOpt renders ids as strings); times are unix seconds.
 */

/** User metadata: string (≤ 500 chars) or number values; nulls dropped before storing. */
export type Metadata = Readonly<Record<string, string | number>>;

export interface OrganizationRecord {
  readonly id: string;
  readonly name: string;
  readonly created: number;
  readonly deleted: boolean;
}

export interface ClientRecord {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly created: number;
  readonly deleted: boolean;
}

export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly created: number;
  readonly deleted: boolean;
}

export type Role = 'owner' | 'admin' | 'write' | 'read';

export interface MembershipRecord {
  readonly clientId: string;
  readonly userId: string;
  readonly role: Role;
}

export type TokenType = 'client-api' | 'client-dev' | 'user' | 'guest';
export type TokenScope = 'all_endpoints' | 'shared_experiment' | 'signup';

export interface TokenRecord {
  readonly id: string;
  /** SHA-256 hex of the token value; the value itself is never stored. */
  readonly hash: string;
  readonly type: TokenType;
  readonly scope: TokenScope;
  readonly clientId: string | null;
  readonly userId: string | null;
  readonly experimentId: string | null;
  readonly permissions: 'read' | 'write';
  readonly created: number;
  /** unix seconds, null = never expires. */
  readonly expires: number | null;
  readonly revoked: boolean;
  /** True for a client's root token (cannot be deleted). */
  readonly root: boolean;
}

export interface ProjectRecord {
  readonly clientId: string;
  /** The user-chosen id string, unique per client. */
  readonly id: string;
  readonly name: string;
  readonly userId: string | null;
  readonly created: number;
  readonly updated: number;
  readonly metadata: Metadata | null;
  readonly deleted: boolean;
}

export type ExperimentState = 'active' | 'deleted';

export interface ExperimentRecord {
  readonly id: string;
  readonly clientId: string;
  readonly userId: string | null;
  /** Project id string within the client, or null. */
  readonly projectId: string | null;
  readonly name: string;
  readonly state: ExperimentState;
  readonly development: boolean;
  readonly runsOnly: boolean;
  readonly created: number;
  readonly updated: number;
  readonly metadata: Metadata | null;
  readonly spec: ExperimentSpec;
}

/**
 * Where a server-generated suggestion came from (metrics show when workers fall behind). A model
 * suggestion is `fresh` when its model included every observation stored when the request arrived,
 * `stale` when it is a spare or leftover of an older generation; `fallback` is a random point
 * served because no model point came within the wait. `model` is the single label of rows stored
 * before that split.
 */
export type SuggestionSource = 'explicit' | 'queued' | 'random' | 'grid' | 'initial' | 'fresh' | 'stale' | 'model' | 'fallback';

export interface SuggestionRecord {
  readonly id: string;
  readonly experimentId: string;
  readonly assignments: Assignments;
  readonly task: string | null;
  /** open until any observation (even one later deleted) references it. */
  readonly state: 'open' | 'closed';
  readonly deleted: boolean;
  readonly created: number;
  readonly metadata: Metadata | null;
  readonly source: SuggestionSource;
}

export interface QueuedSuggestionRecord {
  readonly id: string;
  readonly experimentId: string;
  readonly assignments: Assignments;
  readonly task: string | null;
  readonly created: number;
}

export interface ObservationValue {
  readonly name: string | null;
  readonly value: number;
  readonly valueStddev: number | null;
}

export interface ObservationRecord {
  readonly id: string;
  readonly experimentId: string;
  readonly suggestionId: string | null;
  readonly assignments: Assignments;
  readonly task: string | null;
  /** Empty when failed. */
  readonly values: readonly ObservationValue[];
  readonly failed: boolean;
  readonly deleted: boolean;
  readonly created: number;
  readonly metadata: Metadata | null;
}

/** Saved engine state per experiment (GP hyperparameters for warm starts and similar). */
export interface OptimizerStateRecord {
  readonly experimentId: string;
  readonly state: ModelState;
  readonly updated: number;
}

/** A training run's state (SigOpt's `state`); completed and failed are final. */
export type TrainingRunState = 'active' | 'completed' | 'failed';

/** One metric value logged on a run (snake_case: it is stored and rendered as given). */
export interface RunValue {
  readonly value: number;
  readonly value_stddev: number | null;
}

/**
 * The free-form fields of a run, stored as one JSON document in the API's own field names (the
 * python client's `log_*` calls MERGE into these maps).
 */
export interface TrainingRunData {
  readonly name: string | null;
  readonly assignments: Readonly<Record<string, string | number>>;
  readonly values: Readonly<Record<string, RunValue>>;
  readonly logs: Readonly<Record<string, { readonly content: string | null }>>;
  readonly metadata: Metadata | null;
  readonly dev_metadata: Metadata | null;
  readonly sys_metadata: Readonly<Record<string, unknown>> | null;
  readonly model: { readonly type: string | null };
  readonly datasets: Readonly<Record<string, Readonly<Record<string, never>>>>;
  readonly source_code: { readonly content: string | null; readonly hash: string | null };
  readonly favorite: boolean;
  readonly tags: readonly string[];
}

export interface TrainingRunRecord {
  readonly id: string;
  readonly clientId: string;
  readonly projectId: string | null;
  /** The AI experiment the run belongs to, if any. */
  readonly experimentId: string | null;
  /** The suggestion the run was handed (AI experiments). */
  readonly suggestionId: string | null;
  /** The observation its completion recorded (AI experiments). */
  readonly observationId: string | null;
  readonly userId: string | null;
  readonly state: TrainingRunState;
  readonly deleted: boolean;
  readonly created: number;
  readonly updated: number;
  /** When it first reached completed or failed. */
  readonly completed: number | null;
  readonly data: TrainingRunData;
}

export interface CheckpointRecord {
  readonly id: string;
  readonly trainingRunId: string;
  readonly created: number;
  readonly values: readonly ObservationValue[];
  readonly metadata: Metadata | null;
}

/** A file attached to a run; `data` is loaded only by the download path. */
export interface RunFileRecord {
  readonly id: string;
  readonly clientId: string;
  readonly trainingRunId: string;
  readonly userId: string | null;
  readonly name: string | null;
  readonly filename: string | null;
  readonly contentType: string;
  readonly contentLength: number;
  /** Base64 MD5 of the content, as declared (and checked on upload). */
  readonly contentMd5: string;
  /** SHA-256 hex of the upload link's token. */
  readonly uploadHash: string;
  readonly uploadExpires: number;
  readonly uploaded: boolean;
  readonly created: number;
}
