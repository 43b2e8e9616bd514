import { type TSchema, Type } from '@sinclair/typebox';
import { REQUEST_SCHEMAS } from './api-request-schemas.ts';
import { RUN_SCHEMAS } from './api-run-schemas.ts';
import {
  Assignments,
  Id,
  Metadata,
  MetricEvaluation,
  NullableId,
  Task,
  Time,
  experimentSpecProperties,
  obj,
  open,
} from './schema-primitives.ts';

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses) of the SigOpt objects and request bodies, written
 * with TypeBox and published as `components.schemas` of /v1/openapi.json. Each carries one
 * example; a test validates every example against its schema, and live responses of the
 * conformance routes against the documented response schema, so the shapes here cannot drift
 * from what the renderers (src/server/render) produce.
 *
 * Objects are open (`additionalProperties` allowed) where SigOpt adds fields over time; the fields
 * listed are the ones docs/api-compatibility.md#response-objects guarantees.
 */

const ERROR_EXAMPLE = { message: 'The requested resource could not be found', status: 404 };
const TOKEN_EXAMPLE = {
  object: 'token',
  token: 'dXNlci1zZXNzaW9uLXRva2VuLTEyMzQ1',
  token_type: 'user',
  client: null,
  user: '12',
  organization: null,
  experiment: null,
  training_run: null,
  all_experiments: true,
  development: false,
  permissions: 'write',
  scope: 'all_endpoints',
  expires: 1767225600,
  lease_length: 604800,
};
const CLIENT_EXAMPLE = {
  object: 'client',
  id: '7',
  name: 'Vision team',
  organization: '3',
  created: 1764547200,
  client_security: { allow_users_to_see_experiments_by_others: true },
};
const USER_EXAMPLE = {
  object: 'user',
  id: '12',
  name: 'Pat Doe',
  email: 'pat@example.org',
  created: 1764547200,
  deleted: false,
  educational_user: false,
  has_verified_email: true,
  show_welcome: false,
  planned_usage: null,
};
const OBSERVATION_EXAMPLE = {
  object: 'observation',
  id: '41',
  experiment: '5',
  suggestion: '40',
  assignments: { learning_rate: 0.01, depth: 6 },
  values: [{ object: 'metric_evaluation', name: 'accuracy', value: 0.91, value_stddev: null }],
  failed: false,
  metadata: null,
  created: 1764547260,
};

/** Every component schema, by name (`#/components/schemas/<name>`). */
export const COMPONENT_SCHEMAS: Readonly<Record<string, TSchema>> = Object.freeze({
  Error: Type.Object(
    {
      message: Type.String(),
      status: Type.Integer({ minimum: 400, maximum: 599 }),
      token_status: Type.Optional(
        Type.Union(['revoked', 'expired', 'invalid_permissions', 'needs_email_verification'].map((v) => Type.Literal(v))),
      ),
    },
    { description: 'Every error (docs/api-compatibility.md#errors-and-status-codes).', examples: [ERROR_EXAMPLE] },
  ),
  Empty: Type.Object({}, { description: 'Success with nothing to return (every DELETE).', examples: [{}] }),
  Welcome: Type.Object({ message: Type.String() }, { examples: [{ message: 'Welcome to the SigOpt API!' }] }),
  Token: Type.Object(
    {
      object: obj('token'),
      token: Type.Union([Type.String(), Type.Null()], { description: 'The value: only to whoever creates or presents it; null in lists.' }),
      token_type: Type.Union(['client-api', 'client-dev', 'user', 'guest'].map((v) => Type.Literal(v))),
      client: NullableId,
      user: NullableId,
      organization: NullableId,
      experiment: NullableId,
      training_run: NullableId,
      all_experiments: Type.Boolean(),
      development: Type.Boolean(),
      permissions: Type.Union([Type.Literal('read'), Type.Literal('write')]),
      scope: Type.Union(['all_endpoints', 'shared_experiment', 'signup'].map((v) => Type.Literal(v))),
      expires: Type.Union([Time, Type.Null()]),
      lease_length: Type.Union([Type.Integer(), Type.Null()]),
    },
    { ...open, examples: [TOKEN_EXAMPLE] },
  ),
  Client: Type.Object(
    {
      object: obj('client'),
      id: Id,
      name: Type.String(),
      organization: Id,
      created: Time,
      client_security: Type.Object({ allow_users_to_see_experiments_by_others: Type.Boolean() }),
      deleted: Type.Optional(Type.Boolean()),
    },
    { ...open, examples: [CLIENT_EXAMPLE] },
  ),
  Organization: Type.Object(
    {
      object: obj('organization'),
      id: Id,
      name: Type.String(),
      created: Time,
      deleted: Type.Boolean(),
      academic: Type.Boolean(),
      email_domains: Type.Array(Type.String()),
      client_for_email_signup: NullableId,
    },
    {
      ...open,
      examples: [
        {
          object: 'organization',
          id: '3',
          name: 'Acme',
          created: 1764547200,
          deleted: false,
          academic: false,
          email_domains: [],
          client_for_email_signup: null,
        },
      ],
    },
  ),
  User: Type.Object(
    {
      object: obj('user'),
      id: Id,
      name: Type.String(),
      email: Type.String(),
      created: Time,
      deleted: Type.Boolean(),
      educational_user: Type.Boolean(),
      has_verified_email: Type.Boolean(),
      show_welcome: Type.Boolean(),
      planned_usage: Type.Union([Type.Object({}, open), Type.Null()]),
    },
    { ...open, examples: [USER_EXAMPLE] },
  ),
  Session: Type.Object(
    {
      object: obj('session'),
      api_token: Type.Ref('Token'),
      client: Type.Union([Type.Ref('Client'), Type.Null()]),
      user: Type.Union([Type.Ref('User'), Type.Null()]),
      code: Type.Union([Type.String(), Type.Null()]),
      needs_password_reset: Type.Boolean(),
    },
    {
      ...open,
      examples: [
        {
          object: 'session',
          api_token: TOKEN_EXAMPLE,
          client: CLIENT_EXAMPLE,
          user: USER_EXAMPLE,
          code: null,
          needs_password_reset: false,
        },
      ],
    },
  ),
  Project: Type.Object(
    {
      object: obj('project'),
      id: Type.String(),
      name: Type.String(),
      client: Id,
      user: NullableId,
      created: Time,
      updated: Time,
      metadata: Metadata,
      experiment_count: Type.Integer({ minimum: 0 }),
      training_run_count: Type.Integer({ minimum: 0 }),
      deleted: Type.Boolean(),
    },
    {
      ...open,
      examples: [
        {
          object: 'project',
          id: 'vision',
          name: 'Vision',
          client: '7',
          user: '12',
          created: 1764547200,
          updated: 1764547200,
          metadata: null,
          experiment_count: 2,
          training_run_count: 0,
          deleted: false,
        },
      ],
    },
  ),
  Experiment: Type.Object(
    {
      object: obj('experiment'),
      id: Id,
      name: Type.String(),
      type: Type.Union(['offline', 'random', 'grid'].map((v) => Type.Literal(v))),
      state: Type.Union([Type.Literal('active'), Type.Literal('deleted')]),
      client: Id,
      user: NullableId,
      project: Type.Union([Type.String(), Type.Null()]),
      created: Time,
      updated: Time,
      development: Type.Boolean(),
      ...experimentSpecProperties,
      metadata: Metadata,
      num_solutions: Type.Union([Type.Integer(), Type.Null()]),
      parallel_bandwidth: Type.Union([Type.Integer(), Type.Null()]),
      progress: Type.Union([Type.Object({ object: obj('progress'), observation_count: Type.Integer({ minimum: 0 }) }, open), Type.Null()]),
      runs_only: Type.Boolean(),
      observation_budget: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
      budget: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
      tasks: Type.Optional(Type.Array(Task)),
    },
    {
      ...open,
      examples: [
        {
          object: 'experiment',
          id: '5',
          name: 'Tune my model',
          type: 'offline',
          state: 'active',
          client: '7',
          user: null,
          project: null,
          created: 1764547200,
          updated: 1764547260,
          development: false,
          parameters: [
            {
              object: 'parameter',
              name: 'depth',
              type: 'int',
              bounds: { object: 'bounds', min: 2, max: 12 },
              categorical_values: null,
              prior: null,
              transformation: null,
              default_value: null,
              conditions: {},
              precision: null,
            },
          ],
          metrics: [{ object: 'metric', name: 'accuracy', objective: 'maximize', strategy: 'optimize', threshold: null }],
          conditionals: [],
          linear_constraints: [],
          metadata: null,
          num_solutions: null,
          parallel_bandwidth: null,
          progress: {
            object: 'progress',
            observation_count: 1,
            observation_budget_consumed: 1,
            first_observation: OBSERVATION_EXAMPLE,
            last_observation: OBSERVATION_EXAMPLE,
            best_observation: OBSERVATION_EXAMPLE,
          },
          runs_only: false,
          observation_budget: 30,
        },
      ],
    },
  ),
  Suggestion: Type.Object(
    {
      object: obj('suggestion'),
      id: Id,
      experiment: Id,
      assignments: Assignments,
      state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
      created: Time,
      deleted: Type.Boolean(),
      metadata: Metadata,
      task: Type.Optional(Type.Union([Task, Type.Null()])),
    },
    {
      ...open,
      examples: [
        {
          object: 'suggestion',
          id: '40',
          experiment: '5',
          assignments: { learning_rate: 0.01, depth: 6 },
          state: 'open',
          created: 1764547230,
          deleted: false,
          metadata: null,
        },
      ],
    },
  ),
  QueuedSuggestion: Type.Object(
    {
      object: obj('queued_suggestion'),
      id: Id,
      experiment: Id,
      assignments: Assignments,
      created: Time,
      task: Type.Optional(Type.Union([Task, Type.Null()])),
    },
    {
      ...open,
      examples: [
        { object: 'queued_suggestion', id: '3', experiment: '5', assignments: { learning_rate: 0.1, depth: 4 }, created: 1764547230 },
      ],
    },
  ),
  Observation: Type.Object(
    {
      object: obj('observation'),
      id: Id,
      experiment: Id,
      suggestion: NullableId,
      assignments: Assignments,
      values: Type.Array(MetricEvaluation),
      failed: Type.Boolean(),
      metadata: Metadata,
      created: Time,
      task: Type.Optional(Type.Union([Task, Type.Null()])),
    },
    { ...open, examples: [OBSERVATION_EXAMPLE] },
  ),
  BestAssignments: Type.Object(
    { object: obj('best_assignments'), id: Id, assignments: Assignments, values: Type.Array(MetricEvaluation), metadata: Metadata },
    {
      ...open,
      examples: [
        {
          object: 'best_assignments',
          id: '41',
          assignments: { learning_rate: 0.01, depth: 6 },
          values: OBSERVATION_EXAMPLE.values,
          metadata: null,
        },
      ],
    },
  ),
  StoppingCriteria: Type.Object(
    { object: obj('stopping_criteria'), should_stop: Type.Boolean(), reasons: Type.Array(Type.String()) },
    { ...open, examples: [{ object: 'stopping_criteria', should_stop: true, reasons: ['observation_budget_reached'] }] },
  ),
  MetricImportances: Type.Object(
    {
      object: obj('metric_importances'),
      metric: Type.Union([Type.String(), Type.Null()]),
      importances: Type.Record(Type.String(), Type.Number()),
    },
    { ...open, examples: [{ object: 'metric_importances', metric: 'accuracy', importances: { depth: 0.7, learning_rate: 0.3 } }] },
  ),
  BestPractices: Type.Object(
    { object: obj('best_practices'), violations: Type.Array(Type.String()) },
    { ...open, examples: [{ object: 'best_practices', violations: [] }] },
  ),
  AdminObject: Type.Object(
    { object: Type.String() },
    {
      ...open,
      description: 'An object of the admin API (setting, profile change, membership, audit entry, token revocation).',
      examples: [{ object: 'membership', client: '7', user: '12', role: 'write' }],
    },
  ),

  OpenApiDocument: Type.Object(
    {
      openapi: Type.String({ pattern: '^3\\.1\\.' }),
      info: Type.Object({ title: Type.String(), version: Type.String() }, open),
      paths: Type.Object({}, open),
    },
    { ...open, examples: [{ openapi: '3.1.0', info: { title: 'Sextant (SigOpt v1 API)', version: '0.1.0' }, paths: {} }] },
  ),

  ...RUN_SCHEMAS,
  ...REQUEST_SCHEMAS,
});

/** A Pagination<T> schema (docs/api-compatibility.md#paging) whose items are the named component. */
export function paginationOf(component: string): TSchema {
  return Type.Object({
    object: Type.Literal('pagination'),
    count: Type.Integer({ minimum: 0 }),
    data: Type.Array(Type.Ref(component)),
    paging: Type.Object({ before: Type.Union([Type.String(), Type.Null()]), after: Type.Union([Type.String(), Type.Null()]) }),
  });
}
