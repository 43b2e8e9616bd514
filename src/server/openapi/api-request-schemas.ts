import { type TSchema, Type } from '@sinclair/typebox';
import { Assignments, Id, Metadata, open } from './schema-primitives.ts';

/**
 * Schemas of the JSON request bodies, published in `components.schemas` beside the response
 * objects (api-schemas.ts). They state the shape; the SigOpt rules and their exact messages live in
 * src/domain/validation, which is why the routes do not validate with these.
 */
export const REQUEST_SCHEMAS: Readonly<Record<string, TSchema>> = Object.freeze({
  ExperimentCreate: Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 100 }),
      parameters: Type.Array(
        Type.Object({ name: Type.String(), type: Type.Union(['double', 'int', 'categorical'].map((v) => Type.Literal(v))) }, open),
      ),
      metrics: Type.Optional(Type.Array(Type.Object({ name: Type.String() }, open))),
      observation_budget: Type.Optional(Type.Integer({ minimum: 1 })),
      project: Type.Optional(Type.String()),
    },
    {
      ...open,
      description: 'Experiment create (docs/api-compatibility.md#experiment-create-rules); every rule of docs/api-compatibility.md#validation-rules applies.',
      examples: [
        {
          name: 'Tune my model',
          parameters: [{ name: 'depth', type: 'int', bounds: { min: 2, max: 12 } }],
          metrics: [{ name: 'accuracy', objective: 'maximize' }],
          observation_budget: 30,
        },
      ],
    },
  ),
  ExperimentUpdate: Type.Object(
    {},
    { ...open, description: 'Only given keys change (PATCH semantics).', examples: [{ name: 'Renamed', observation_budget: 40 }] },
  ),
  SuggestionCreate: Type.Object({}, { ...open, description: 'Optional `assignments`, `metadata`, `task`.', examples: [{}] }),
  SuggestionUpdate: Type.Object({ metadata: Metadata }, { examples: [{ metadata: { gpu: 'a100' } }] }),
  QueuedSuggestionCreate: Type.Object(
    { assignments: Assignments, task: Type.Optional(Type.String()) },
    { examples: [{ assignments: { learning_rate: 0.1, depth: 4 } }] },
  ),
  ObservationCreate: Type.Object(
    {
      suggestion: Type.Optional(Type.Union([Id, Type.Integer({ minimum: 1 })])),
      assignments: Type.Optional(Assignments),
      values: Type.Optional(
        Type.Array(Type.Object({ name: Type.Optional(Type.String()), value: Type.Number(), value_stddev: Type.Optional(Type.Number()) })),
      ),
      failed: Type.Optional(Type.Boolean()),
      metadata: Type.Optional(Metadata),
    },
    { ...open, examples: [{ suggestion: '40', values: [{ name: 'accuracy', value: 0.91 }] }] },
  ),
  ObservationBatch: Type.Object(
    {
      observations: Type.Array(Type.Ref('ObservationCreate')),
      dry_run: Type.Optional(Type.Boolean()),
      no_optimize: Type.Optional(Type.Boolean()),
    },
    { examples: [{ observations: [{ assignments: { learning_rate: 0.01, depth: 6 }, values: [{ name: 'accuracy', value: 0.9 }] }] }] },
  ),
  ObservationUpdate: Type.Object({}, { ...open, examples: [{ values: [{ name: 'accuracy', value: 0.92 }] }] }),
  ProjectCreate: Type.Object(
    {
      id: Type.String({ pattern: '^[a-z0-9\\-_\\.]+$', maxLength: 32 }),
      name: Type.String({ maxLength: 100 }),
      metadata: Type.Optional(Metadata),
    },
    { examples: [{ id: 'vision', name: 'Vision' }] },
  ),
  ProjectUpdate: Type.Object(
    { name: Type.Optional(Type.String()), metadata: Type.Optional(Metadata), deleted: Type.Optional(Type.Boolean()) },
    { examples: [{ name: 'Vision (2025)' }] },
  ),
  TokenUpdate: Type.Object(
    {},
    { ...open, description: '`token: "rotate"`, `expires: "renew"` or `lasts_forever`.', examples: [{ expires: 'renew' }] },
  ),
  UserCreate: Type.Object(
    {
      email: Type.String({ maxLength: 254 }),
      name: Type.String({ minLength: 1, maxLength: 100 }),
      password: Type.String({
        minLength: 8,
        maxLength: 71,
        description: 'With an upper-case and a lower-case letter, a digit and a special character.',
      }),
      client_name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    },
    { examples: [{ email: 'pat@example.org', name: 'Pat Doe', password: 'Correct-horse-7' }] },
  ),
  SessionCreate: Type.Object(
    { email: Type.String(), password: Type.String() },
    { examples: [{ email: 'pat@example.org', password: 'Correct-horse-7' }] },
  ),
  ClientCreate: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { examples: [{ name: 'Vision team' }] }),
  AdminBody: Type.Object(
    {},
    { ...open, description: 'See docs/security.md, "Admin API and CLI", and docs/configuration.md.', examples: [{ name: 'Acme' }] },
  ),
});
