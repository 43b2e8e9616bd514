import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Assignments, ExperimentSpec } from '../optimizer/experiment-spec.ts';
import type { ModelState } from '../optimizer/engine-types.ts';
import type { Metadata, Role, SuggestionSource, TokenScope, TokenType, TrainingRunData, TrainingRunState } from './ports/records.ts';

/**
 * The Kysely view of the database tables. Both drivers return `int8` as decimal strings (ids stay
 * exact beyond 2^53) and JSONB as parsed values; JSONB is always written as a JSON string because
 * node-postgres would otherwise turn a JS array into a PostgreSQL array literal.
 */
export interface Database {
  organizations: OrganizationsTable;
  clients: ClientsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  tokens: TokensTable;
  projects: ProjectsTable;
  experiments: ExperimentsTable;
  suggestions: SuggestionsTable;
  queued_suggestions: QueuedSuggestionsTable;
  observations: ObservationsTable;
  optimizer_state: OptimizerStateTable;
  audit_log: AuditLogTable;
  setting_overrides: SettingOverridesTable;
  setting_profile: SettingProfileTable;
  training_runs: TrainingRunsTable;
  checkpoints: CheckpointsTable;
  run_files: RunFilesTable;
}

/** BIGINT foreign key or plain int8 value. */
type Int8 = ColumnType<string, string | number, string | number>;
type NullableInt8 = ColumnType<string | null, string | number | null, string | number | null>;
/** JSONB written as a JSON string. */
type Json<T extends object> = JSONColumnType<T, string, string>;
type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface OrganizationsTable {
  id: Generated<string>;
  name: string;
  created: Int8;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ClientsTable {
  id: Generated<string>;
  organization_id: Int8;
  name: string;
  created: Int8;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface UsersTable {
  id: Generated<string>;
  name: string;
  email: string;
  created: Int8;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  /** Migration 0004: KDF output of a password login, null for token-only users. */
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MembershipsTable {
  client_id: Int8;
  user_id: Int8;
  role: Role;
}

export interface TokensTable {
  id: Generated<string>;
  hash: string;
  type: TokenType;
  scope: TokenScope;
  client_id: NullableInt8;
  user_id: NullableInt8;
  experiment_id: NullableInt8;
  permissions: 'read' | 'write';
  created: Int8;
  expires: NullableInt8;
  revoked: ColumnType<boolean, boolean | undefined, boolean>;
  root: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ProjectsTable {
  client_id: Int8;
  id: string;
  name: string;
  user_id: NullableInt8;
  created: Int8;
  updated: Int8;
  metadata: NullableJson<Metadata>;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ExperimentsTable {
  id: Generated<string>;
  client_id: Int8;
  user_id: NullableInt8;
  project_id: string | null;
  name: string;
  state: 'active' | 'deleted';
  development: boolean;
  runs_only: boolean;
  created: Int8;
  updated: Int8;
  metadata: NullableJson<Metadata>;
  spec: Json<ExperimentSpec>;
}

export interface SuggestionsTable {
  id: Generated<string>;
  experiment_id: Int8;
  assignments: Json<Assignments>;
  task: string | null;
  state: 'open' | 'closed';
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created: Int8;
  metadata: NullableJson<Metadata>;
  source: SuggestionSource;
}

export interface QueuedSuggestionsTable {
  id: Generated<string>;
  experiment_id: Int8;
  assignments: Json<Assignments>;
  task: string | null;
  created: Int8;
}

/** One stored metric evaluation; snake_case because it lives inside JSONB. */
export interface StoredValue {
  name: string | null;
  value: number;
  value_stddev: number | null;
}

export interface ObservationsTable {
  id: Generated<string>;
  experiment_id: Int8;
  suggestion_id: NullableInt8;
  assignments: Json<Assignments>;
  task: string | null;
  values: Json<StoredValue[]>;
  failed: boolean;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created: Int8;
  metadata: NullableJson<Metadata>;
}

export interface OptimizerStateTable {
  experiment_id: Int8;
  state: Json<ModelState>;
  updated: Int8;
}

export interface AuditLogTable {
  id: Generated<string>;
  actor: string;
  action: string;
  object_type: string;
  object_id: string | null;
  created: Int8;
  details: NullableJson<Readonly<Record<string, unknown>>>;
}

/** Live setting overrides (migration 0002); value is JSON text. */
export interface SettingOverridesTable {
  key: string;
  value: string;
  updated: Int8;
  actor: string;
}

/** The applied load profile (one row at most); previous is JSON text of the replaced overrides. */
export interface SettingProfileTable {
  id: number;
  name: string;
  applied: Int8;
  actor: string;
  previous: string;
}

/** Training runs (migration 0003); the free-form fields are one JSONB document. */
export interface TrainingRunsTable {
  id: Generated<string>;
  client_id: Int8;
  project_id: string | null;
  experiment_id: NullableInt8;
  suggestion_id: NullableInt8;
  observation_id: NullableInt8;
  user_id: NullableInt8;
  state: TrainingRunState;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created: Int8;
  updated: Int8;
  completed: NullableInt8;
  data: Json<TrainingRunData>;
}

/** Checkpoints of a run (migration 0003). */
export interface CheckpointsTable {
  id: Generated<string>;
  training_run_id: Int8;
  created: Int8;
  values: Json<StoredValue[]>;
  metadata: NullableJson<Metadata>;
}

/** Files of a run (migration 0003). */
export interface RunFilesTable {
  id: Generated<string>;
  client_id: Int8;
  training_run_id: Int8;
  user_id: NullableInt8;
  name: string | null;
  filename: string | null;
  content_type: string;
  content_length: Int8;
  content_md5: string;
  upload_hash: string;
  upload_expires: Int8;
  uploaded: ColumnType<boolean, boolean | undefined, boolean>;
  data: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  created: Int8;
}
