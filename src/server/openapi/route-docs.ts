/**
 * What the OpenAPI document says about each route of the route table, keyed `METHOD path` as in
 * the table. The document is generated from the table (openapi-document.ts): a route missing here
 * still appears there, with its statement name as summary, and a test fails until it is described.
 */
export interface RouteDoc {
  readonly summary: string;
  readonly tag: string;
  /** Component name of the JSON body (POST/PUT). */
  readonly body?: string;
  /** Component name of the 200 answer, or `{ page: name }` for a Pagination of it. */
  readonly response: string | { readonly page: string };
  /** Query parameters beyond paging (`limit`, `before`, `after`, `ascending` are added for pages). */
  readonly query?: readonly string[];
  /** A Pagination answer holding every item at once: no paging parameters. */
  readonly unpaged?: true;
  /** Error answers of this route beyond the common ones (status → description; an `Error` body). */
  readonly errors?: Readonly<Record<string, string>>;
}

const AI_EXPERIMENT_LIST_QUERY = ['state', 'search', 'user', 'sort'];
const TRAINING_RUN_LIST_QUERY = ['deleted', 'filters'];

const EXPERIMENT_LIST_QUERY = ['state', 'search', 'user', 'period_start', 'period_end', 'development', 'include_ai', 'sort'];

export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = Object.freeze({
  'GET /': { summary: 'Welcome message (any valid token)', tag: 'account', response: 'Welcome' },
  'GET /v1': { summary: 'Welcome message (any valid token)', tag: 'account', response: 'Welcome' },
  'GET /v1/tokens/self': { summary: 'The token making the request', tag: 'tokens', response: 'Token' },
  'GET /v1/tokens/{token:str}': {
    summary: 'A token by value (own, or a live token of a readable client)',
    tag: 'tokens',
    response: 'Token',
  },
  'PUT /v1/tokens/{token:str}': {
    summary: 'Rotate, renew or change the permanence of a token',
    tag: 'tokens',
    body: 'TokenUpdate',
    response: 'Token',
  },
  'DELETE /v1/tokens/{token:str}': { summary: 'Revoke a token', tag: 'tokens', response: 'Empty' },
  'GET /v1/clients/{clientId}/tokens': {
    summary: "The caller's tokens in a client (created on first call)",
    tag: 'tokens',
    response: { page: 'Token' },
  },
  'POST /v1/experiments/{id}/tokens': { summary: 'A read-only guest (share) token for one experiment', tag: 'tokens', response: 'Token' },
  'GET /v1/sessions': {
    summary: 'The session of the token: token, client and user',
    tag: 'account',
    response: 'Session',
    query: ['preferred_client_id'],
  },
  'POST /v1/sessions': {
    summary: 'Log in with email and password: a new session (user) token',
    tag: 'account',
    body: 'SessionCreate',
    response: 'Session',
  },
  'POST /v1/users': {
    summary: 'Create a user with a password (sign-up; closed by default: administrators only)',
    tag: 'account',
    body: 'UserCreate',
    response: 'User',
  },
  'GET /v1/users/{id}': { summary: 'A user (self only)', tag: 'account', response: 'User' },
  'POST /v1/clients': {
    summary: 'Create an organization and a team owned by the caller (session token)',
    tag: 'account',
    body: 'ClientCreate',
    response: 'Client',
  },
  'GET /v1/clients/{id}': { summary: 'A client (team)', tag: 'account', response: 'Client' },
  'GET /v1/organizations/{id}': { summary: 'An organization', tag: 'account', response: 'Organization' },
  'GET /v1/organizations/{organizationId}/clients': {
    summary: "An organization's teams the caller can read",
    tag: 'account',
    response: { page: 'Client' },
  },

  'POST /v1/experiments': {
    summary: "Create an experiment in the token's client",
    tag: 'experiments',
    body: 'ExperimentCreate',
    response: 'Experiment',
  },
  'POST /v1/clients/{clientId}/experiments': {
    summary: 'Create an experiment in a client',
    tag: 'experiments',
    body: 'ExperimentCreate',
    response: 'Experiment',
  },
  'GET /v1/experiments': {
    summary: "Experiments of the token's client",
    tag: 'experiments',
    response: { page: 'Experiment' },
    query: EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/clients/{clientId}/experiments': {
    summary: 'Experiments of a client',
    tag: 'experiments',
    response: { page: 'Experiment' },
    query: EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/clients/{clientId}/projects/{projectId:str}/experiments': {
    summary: 'Experiments of a project',
    tag: 'experiments',
    response: { page: 'Experiment' },
    query: EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/users/{userId}/experiments': {
    summary: 'Experiments a user created (self only)',
    tag: 'experiments',
    response: { page: 'Experiment' },
    query: EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/organizations/{organizationId}/experiments': {
    summary: "Experiments of an organization's readable clients",
    tag: 'experiments',
    response: { page: 'Experiment' },
    query: EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/experiments/{id}': { summary: 'An experiment', tag: 'experiments', response: 'Experiment' },
  'PUT /v1/experiments/{id}': {
    summary: 'Update an experiment (only given keys change)',
    tag: 'experiments',
    body: 'ExperimentUpdate',
    response: 'Experiment',
  },
  'DELETE /v1/experiments/{id}': { summary: 'Delete an experiment (soft)', tag: 'experiments', response: 'Empty' },
  'GET /v1/experiments/{id}/best_assignments': {
    summary: 'Best observations so far (Pareto frontier with two metrics)',
    tag: 'experiments',
    response: { page: 'BestAssignments' },
  },
  'GET /v1/experiments/{id}/stopping_criteria': {
    summary: 'Whether the experiment should stop, and why',
    tag: 'experiments',
    response: 'StoppingCriteria',
  },
  'GET /v1/experiments/{id}/metric_importances': {
    summary: 'Parameter importances per metric',
    tag: 'experiments',
    response: { page: 'MetricImportances' },
  },
  'PUT /v1/experiments/{id}/metric_importances': {
    summary: 'Recompute importances (computed on read)',
    tag: 'experiments',
    body: 'AdminBody',
    response: 'Empty',
  },
  'GET /v1/experiments/{id}/best_practices': {
    summary: 'Advisory best-practice violations',
    tag: 'experiments',
    response: 'BestPractices',
  },
  'DELETE /v1/experiments/{id}/hyperparameters': {
    summary: "Reset the model's state (re-optimize from scratch)",
    tag: 'experiments',
    response: 'Empty',
  },

  'POST /v1/experiments/{id}/suggestions': {
    summary: 'Next point to evaluate',
    tag: 'suggestions',
    body: 'SuggestionCreate',
    response: 'Suggestion',
  },
  'GET /v1/experiments/{id}/suggestions': {
    summary: 'Suggestions of an experiment',
    tag: 'suggestions',
    response: { page: 'Suggestion' },
    query: ['state', 'deleted', 'id'],
  },
  'GET /v1/experiments/{id}/suggestions/{sid}': { summary: 'A suggestion', tag: 'suggestions', response: 'Suggestion' },
  'PUT /v1/experiments/{id}/suggestions/{sid}': {
    summary: "Update a suggestion's metadata",
    tag: 'suggestions',
    body: 'SuggestionUpdate',
    response: 'Suggestion',
  },
  'DELETE /v1/experiments/{id}/suggestions/{sid}': { summary: 'Delete a suggestion', tag: 'suggestions', response: 'Empty' },
  'DELETE /v1/experiments/{id}/suggestions': {
    summary: 'Delete suggestions (all, or open ones with state=open)',
    tag: 'suggestions',
    response: 'Empty',
    query: ['state'],
  },
  'POST /v1/experiments/{id}/queued_suggestions': {
    summary: 'Queue a point to be suggested next',
    tag: 'suggestions',
    body: 'QueuedSuggestionCreate',
    response: 'QueuedSuggestion',
  },
  'GET /v1/experiments/{id}/queued_suggestions': {
    summary: 'Queued suggestions',
    tag: 'suggestions',
    response: { page: 'QueuedSuggestion' },
  },
  'GET /v1/experiments/{id}/queued_suggestions/{qid}': { summary: 'A queued suggestion', tag: 'suggestions', response: 'QueuedSuggestion' },
  'DELETE /v1/experiments/{id}/queued_suggestions/{qid}': { summary: 'Remove a queued suggestion', tag: 'suggestions', response: 'Empty' },

  'POST /v1/experiments/{id}/observations': {
    summary: 'Report an evaluation',
    tag: 'observations',
    body: 'ObservationCreate',
    response: 'Observation',
  },
  'POST /v1/experiments/{id}/observations/batch': {
    summary: 'Report many evaluations at once (all or none)',
    tag: 'observations',
    body: 'ObservationBatch',
    response: { page: 'Observation' },
  },
  'GET /v1/experiments/{id}/observations': {
    summary: 'Observations of an experiment',
    tag: 'observations',
    response: { page: 'Observation' },
    query: ['deleted', 'sort'],
  },
  'GET /v1/experiments/{id}/observations/{oid}': { summary: 'An observation', tag: 'observations', response: 'Observation' },
  'PUT /v1/experiments/{id}/observations/{oid}': {
    summary: 'Update an observation',
    tag: 'observations',
    body: 'ObservationUpdate',
    response: 'Observation',
  },
  'DELETE /v1/experiments/{id}/observations/{oid}': {
    summary: 'Delete an observation',
    tag: 'observations',
    response: 'Empty',
    query: ['no_optimize'],
  },
  'DELETE /v1/experiments/{id}/observations': {
    summary: 'Delete every observation of an experiment',
    tag: 'observations',
    response: 'Empty',
  },

  'POST /v1/clients/{clientId}/projects': { summary: 'Create a project', tag: 'projects', body: 'ProjectCreate', response: 'Project' },
  'GET /v1/clients/{clientId}/projects': {
    summary: 'Projects of a client',
    tag: 'projects',
    response: { page: 'Project' },
    query: ['sort', 'user', 'deleted'],
  },
  'GET /v1/clients/{clientId}/projects/{projectId:str}': { summary: 'A project', tag: 'projects', response: 'Project' },
  'PUT /v1/clients/{clientId}/projects/{projectId:str}': {
    summary: 'Update a project',
    tag: 'projects',
    body: 'ProjectUpdate',
    response: 'Project',
  },

  'POST /v1/clients/{clientId}/projects/{projectId:str}/aiexperiments': {
    summary: 'Create an AI experiment in a project (no development tokens)',
    tag: 'ai experiments',
    body: 'AIExperimentCreate',
    response: 'AIExperiment',
  },
  'GET /v1/clients/{clientId}/projects/{projectId:str}/aiexperiments': {
    summary: 'AI experiments of a project',
    tag: 'ai experiments',
    response: { page: 'AIExperiment' },
    query: AI_EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/aiexperiments': {
    summary: "AI experiments of the token's client",
    tag: 'ai experiments',
    response: { page: 'AIExperiment' },
    query: AI_EXPERIMENT_LIST_QUERY,
  },
  'GET /v1/aiexperiments/{id}': { summary: 'An AI experiment', tag: 'ai experiments', response: 'AIExperiment' },
  'PUT /v1/aiexperiments/{id}': {
    summary: 'Update an AI experiment (only given keys change; `state: "active"` restores)',
    tag: 'ai experiments',
    body: 'AIExperimentUpdate',
    response: 'AIExperiment',
  },
  'DELETE /v1/aiexperiments/{id}': {
    summary: 'Archive an AI experiment (`include_runs=true`: its runs too)',
    tag: 'ai experiments',
    response: 'Empty',
    query: ['include_runs'],
  },
  'GET /v1/aiexperiments/{id}/best_training_runs': {
    summary: 'The runs that recorded the best assignments, best first',
    tag: 'ai experiments',
    response: { page: 'TrainingRun' },
    unpaged: true,
  },
  'POST /v1/aiexperiments/{id}/training_runs': {
    summary: "Start a run with the AI experiment's next suggestion",
    tag: 'ai experiments',
    body: 'TrainingRunCreate',
    response: 'TrainingRun',
  },
  'GET /v1/experiments/{id}/best_training_runs': {
    summary: 'Best runs of a runs-only experiment (path of clients 8.0–8.2)',
    tag: 'ai experiments',
    response: { page: 'TrainingRun' },
    unpaged: true,
  },
  'POST /v1/experiments/{id}/training_runs': {
    summary: 'Start a run in a runs-only experiment (path of clients 8.0–8.2)',
    tag: 'ai experiments',
    body: 'TrainingRunCreate',
    response: 'TrainingRun',
  },

  'POST /v1/clients/{clientId}/projects/{projectId:str}/training_runs': {
    summary: 'Create a training run in a project',
    tag: 'training runs',
    body: 'TrainingRunCreate',
    response: 'TrainingRun',
  },
  'POST /v1/clients/{clientId}/projects/{projectId:str}/training_runs/batch': {
    summary: 'Create up to 10,000 runs at once (all or none)',
    tag: 'training runs',
    body: 'TrainingRunBatch',
    response: { page: 'TrainingRun' },
  },
  'GET /v1/clients/{clientId}/projects/{projectId:str}/training_runs': {
    summary: 'Training runs of a project',
    tag: 'training runs',
    response: { page: 'TrainingRun' },
    query: TRAINING_RUN_LIST_QUERY,
  },
  'GET /v1/clients/{clientId}/training_runs': {
    summary: 'Training runs of a client',
    tag: 'training runs',
    response: { page: 'TrainingRun' },
    query: TRAINING_RUN_LIST_QUERY,
  },
  'GET /v1/organizations/{organizationId}/training_runs': {
    summary: "Training runs of an organization's readable clients",
    tag: 'training runs',
    response: { page: 'TrainingRun' },
    query: TRAINING_RUN_LIST_QUERY,
  },
  'GET /v1/training_runs/{id}': { summary: 'A training run', tag: 'training runs', response: 'TrainingRun' },
  'PUT /v1/training_runs/{id}': {
    summary: 'Update a training run: each given field is replaced (`deleted: false` restores)',
    tag: 'training runs',
    body: 'TrainingRunUpdate',
    response: 'TrainingRun',
  },
  'MERGE /v1/training_runs/{id}': {
    summary: 'Merge into a training run: maps key by key, `null` removes a key (SigOpt verb, `x-merge` here)',
    tag: 'training runs',
    body: 'TrainingRunUpdate',
    response: 'TrainingRun',
  },
  'DELETE /v1/training_runs/{id}': { summary: 'Archive a training run', tag: 'training runs', response: 'Empty' },
  'POST /v1/training_runs/{id}/checkpoints': {
    summary: 'Log a checkpoint (values at one point of training)',
    tag: 'training runs',
    body: 'CheckpointCreate',
    response: 'Checkpoint',
  },
  'GET /v1/training_runs/{id}/checkpoints': { summary: 'Checkpoints of a run', tag: 'training runs', response: { page: 'Checkpoint' } },
  'POST /v1/training_runs/{id}/files': {
    summary: 'Declare a run file: the answer carries a one-time upload link',
    tag: 'training runs',
    body: 'RunFileCreate',
    response: 'RunFile',
  },
  'PUT /v1/files/{id}/upload': {
    summary: 'Upload the bytes of a declared file (the link of its declaration; no API token)',
    tag: 'training runs',
    response: 'Empty',
    query: ['token'],
    errors: {
      '403': 'The upload link is invalid, expired or already used',
      '413': 'More than 16 MiB',
    },
  },

  'GET /v1/admin/settings': { summary: 'Every setting with its layers (operator)', tag: 'admin', response: { page: 'AdminObject' } },
  'GET /v1/admin/settings/{key:str}': { summary: 'One setting (operator)', tag: 'admin', response: 'AdminObject' },
  'PUT /v1/admin/settings/{key:str}': {
    summary: 'Override a setting live (operator)',
    tag: 'admin',
    body: 'AdminBody',
    response: 'AdminObject',
  },
  'DELETE /v1/admin/settings/{key:str}': { summary: 'Remove a setting override (operator)', tag: 'admin', response: 'AdminObject' },
  'GET /v1/admin/profiles': { summary: 'Load profiles (operator)', tag: 'admin', response: { page: 'AdminObject' } },
  'POST /v1/admin/profiles/{name:str}/apply': {
    summary: 'Apply a load profile (operator)',
    tag: 'admin',
    body: 'AdminBody',
    response: 'AdminObject',
  },
  'POST /v1/admin/profiles/revert': {
    summary: 'Revert the applied load profile (operator)',
    tag: 'admin',
    body: 'AdminBody',
    response: 'AdminObject',
  },
  'GET /v1/admin/audit': { summary: 'Audit of setting changes (operator)', tag: 'admin', response: { page: 'AdminObject' } },
  'POST /v1/admin/organizations': {
    summary: 'Create an organization (operator)',
    tag: 'admin',
    body: 'AdminBody',
    response: 'Organization',
  },
  'POST /v1/admin/clients': { summary: 'Create a client with its root token', tag: 'admin', body: 'AdminBody', response: 'Client' },
  'POST /v1/admin/users': { summary: 'Create a user (token-only, no password)', tag: 'admin', body: 'AdminBody', response: 'User' },
  'PUT /v1/admin/clients/{clientId}/memberships': {
    summary: "Add a member or change a member's role",
    tag: 'admin',
    body: 'AdminBody',
    response: 'AdminObject',
  },
  'DELETE /v1/admin/clients/{clientId}/memberships/{userId}': { summary: 'Remove a member', tag: 'admin', response: 'Empty' },
  'POST /v1/admin/tokens': { summary: 'Create a client token', tag: 'admin', body: 'AdminBody', response: 'Token' },
  'GET /v1/admin/clients/{clientId}/tokens': {
    summary: "A client's tokens (values never shown)",
    tag: 'admin',
    response: { page: 'Token' },
    query: ['include_revoked'],
  },
  'DELETE /v1/admin/tokens/{token:str}': { summary: 'Revoke a token by id or value', tag: 'admin', response: 'AdminObject' },
  'POST /v1/admin/tokens/{token:str}/rotate': { summary: 'Give a token a new value', tag: 'admin', body: 'AdminBody', response: 'Token' },
  'GET /v1/admin/audit_log': {
    summary: 'The audit log, newest first (operator)',
    tag: 'admin',
    response: { page: 'AdminObject' },
    query: ['object_type', 'object_id', 'actor', 'action'],
  },

  'GET /v1/openapi.json': {
    summary: 'This document (OpenAPI 3.1), generated from the route table',
    tag: 'meta',
    response: 'OpenApiDocument',
  },
});
