import type { Selectable } from 'kysely';
import type {
  ClientRecord,
  ExperimentRecord,
  ObservationRecord,
  ObservationValue,
  OrganizationRecord,
  ProjectRecord,
  QueuedSuggestionRecord,
  SuggestionRecord,
  TokenRecord,
  UserRecord,
} from '../ports/records.ts';
import type {
  ClientsTable,
  ExperimentsTable,
  ObservationsTable,
  OrganizationsTable,
  ProjectsTable,
  QueuedSuggestionsTable,
  StoredValue,
  SuggestionsTable,
  TokensTable,
  UsersTable,
} from '../schema.ts';

/**
 * Row ↔ record conversions. int8 arrives as a decimal string: ids stay strings, times (unix
 * seconds, far below 2^53) become numbers.
 */
export const toRecord = {
  organization: (r: Selectable<OrganizationsTable>): OrganizationRecord => ({
    id: r.id, name: r.name, created: Number(r.created), deleted: r.deleted,
  }),
  client: (r: Selectable<ClientsTable>): ClientRecord => ({
    id: r.id, organizationId: r.organization_id, name: r.name, created: Number(r.created), deleted: r.deleted,
  }),
  user: (r: Selectable<UsersTable>): UserRecord => ({
    id: r.id, name: r.name, email: r.email, created: Number(r.created), deleted: r.deleted,
  }),
  token: (r: Selectable<TokensTable>): TokenRecord => ({
    id: r.id,
    hash: r.hash,
    type: r.type,
    scope: r.scope,
    clientId: r.client_id,
    userId: r.user_id,
    experimentId: r.experiment_id,
    permissions: r.permissions,
    created: Number(r.created),
    expires: r.expires === null ? null : Number(r.expires),
    revoked: r.revoked,
    root: r.root,
  }),
  project: (r: Selectable<ProjectsTable>): ProjectRecord => ({
    clientId: r.client_id,
    id: r.id,
    name: r.name,
    userId: r.user_id,
    created: Number(r.created),
    updated: Number(r.updated),
    metadata: r.metadata,
    deleted: r.deleted,
  }),
  experiment: (r: Selectable<ExperimentsTable>): ExperimentRecord => ({
    id: r.id,
    clientId: r.client_id,
    userId: r.user_id,
    projectId: r.project_id,
    name: r.name,
    state: r.state,
    development: r.development,
    runsOnly: r.runs_only,
    created: Number(r.created),
    updated: Number(r.updated),
    metadata: r.metadata,
    spec: r.spec,
  }),
  suggestion: (r: Selectable<SuggestionsTable>): SuggestionRecord => ({
    id: r.id,
    experimentId: r.experiment_id,
    assignments: r.assignments,
    task: r.task,
    state: r.state,
    deleted: r.deleted,
    created: Number(r.created),
    metadata: r.metadata,
    source: r.source,
  }),
  queued: (r: Selectable<QueuedSuggestionsTable>): QueuedSuggestionRecord => ({
    id: r.id, experimentId: r.experiment_id, assignments: r.assignments, task: r.task, created: Number(r.created),
  }),
  observation: (r: Selectable<ObservationsTable>): ObservationRecord => ({
    id: r.id,
    experimentId: r.experiment_id,
    suggestionId: r.suggestion_id,
    assignments: r.assignments,
    task: r.task,
    values: r.values.map((v) => ({ name: v.name, value: v.value, valueStddev: v.value_stddev })),
    failed: r.failed,
    deleted: r.deleted,
    created: Number(r.created),
    metadata: r.metadata,
  }),
};

/** JSONB parameter text (see schema.ts for why JSON is always sent as a string). */
export const json = (value: unknown): string => JSON.stringify(value);

/** Nullable JSONB parameter text. */
export const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/** Observation values as stored in JSONB. */
export const storedValues = (values: readonly ObservationValue[]): string =>
  json(values.map((v): StoredValue => ({ name: v.name, value: v.value, value_stddev: v.valueStddev })));
