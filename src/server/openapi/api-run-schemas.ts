import { type TSchema, Type } from '@sinclair/typebox';
import { Id, Metadata, MetricEvaluation, NullableId, Task, Time, experimentSpecProperties, obj, open } from './schema-primitives.ts';

/**
 * Schemas of AI experiments and training runs (docs/api-compatibility.md#ai-experiments-and-training-runs):
 * the objects src/server/render/training-run.ts and ai-experiment.ts produce, and the bodies the
 * routes take. Bodies state the shape; the rules and their messages live in
 * src/domain/validation/training-run.ts (unknown keys are refused there, hence no
 * `additionalProperties` on the run bodies).
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const RunState = Type.Union(['active', 'completed', 'failed'].map((v) => Type.Literal(v)));
const RunValueInput = Type.Object({ value: Type.Number(), value_stddev: Type.Optional(nullable(Type.Number({ minimum: 0 }))) });

const TRAINING_RUN_EXAMPLE = {
  object: 'training_run',
  id: '17',
  client: '7',
  project: 'vision',
  experiment: '9',
  suggestion: '52',
  observation: '53',
  user: '12',
  name: 'resnet run',
  state: 'completed',
  finished: true,
  deleted: false,
  created: 1764547200,
  updated: 1764547500,
  completed: 1764547500,
  checkpoint_count: 2,
  assignments: { learning_rate: 0.01, depth: 6 },
  values: { accuracy: { object: 'metric_evaluation', name: 'accuracy', value: 0.91, value_stddev: null } },
  logs: { stdout: { object: 'log', content: 'epoch 1 done' } },
  metadata: { gpu: 'a100' },
  dev_metadata: {},
  sys_metadata: { feature_versions: { run: '8.8' } },
  model: { object: 'model', type: 'resnet' },
  datasets: { imagenet: { object: 'dataset' } },
  source_code: { object: 'source_code', content: null, hash: 'a1b2c3' },
  favorite: false,
  tags: [],
  files: ['4'],
};

const AI_EXPERIMENT_EXAMPLE = {
  object: 'aiexperiment',
  id: '9',
  name: 'Tune my model',
  type: 'offline',
  state: 'active',
  client: '7',
  user: '12',
  project: 'vision',
  created: 1764547200,
  updated: 1764547500,
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
  progress: { object: 'progress', active_run_count: 1, finished_run_count: 3, total_run_count: 4, remaining_budget: 26 },
  runs_only: true,
  budget: 30,
};

const RUN_BODY_PROPERTIES = {
  name: Type.Optional(nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  state: Type.Optional(nullable(RunState)),
  deleted: Type.Optional(nullable(Type.Boolean())),
  project: Type.Optional(nullable(Type.String())),
  favorite: Type.Optional(nullable(Type.Boolean())),
  assignments: Type.Optional(nullable(Type.Record(Type.String(), nullable(Type.Union([Type.String(), Type.Number()]))))),
  values: Type.Optional(nullable(Type.Record(Type.String(), nullable(RunValueInput)))),
  logs: Type.Optional(nullable(Type.Record(Type.String(), nullable(Type.Object({ content: Type.Optional(nullable(Type.String())) }))))),
  metadata: Type.Optional(nullable(Type.Record(Type.String(), nullable(Type.Union([Type.String(), Type.Number()]))))),
  dev_metadata: Type.Optional(nullable(Type.Record(Type.String(), nullable(Type.Union([Type.String(), Type.Number()]))))),
  sys_metadata: Type.Optional(nullable(Type.Record(Type.String(), Type.Unknown()))),
  model: Type.Optional(nullable(Type.Object({ type: Type.Optional(nullable(Type.String())) }))),
  datasets: Type.Optional(nullable(Type.Record(Type.String(), nullable(Type.Object({}, open))))),
  source_code: Type.Optional(
    nullable(Type.Object({ content: Type.Optional(nullable(Type.String())), hash: Type.Optional(nullable(Type.String())) })),
  ),
  assignments_meta: Type.Optional(nullable(Type.Object({}, open))),
  assignments_sources: Type.Optional(nullable(Type.Object({}, open))),
};

/** Every schema of this file, by component name. */
export const RUN_SCHEMAS: Readonly<Record<string, TSchema>> = Object.freeze({
  TrainingRun: Type.Object(
    {
      object: obj('training_run'),
      id: Id,
      client: Id,
      project: nullable(Type.String()),
      experiment: NullableId,
      suggestion: NullableId,
      observation: NullableId,
      user: NullableId,
      name: nullable(Type.String()),
      state: RunState,
      finished: Type.Boolean({ description: 'Completed or failed (its observation is recorded).' }),
      deleted: Type.Boolean({ description: 'Archived.' }),
      created: Time,
      updated: Time,
      completed: nullable(Time),
      checkpoint_count: Type.Integer({ minimum: 0 }),
      assignments: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
      values: Type.Record(Type.String(), MetricEvaluation, { description: 'Metric name → its value.' }),
      logs: Type.Record(Type.String(), Type.Object({ object: obj('log'), content: nullable(Type.String()) })),
      metadata: Metadata,
      dev_metadata: Metadata,
      sys_metadata: Type.Record(Type.String(), Type.Unknown()),
      model: Type.Object({ object: obj('model'), type: nullable(Type.String()) }),
      datasets: Type.Record(Type.String(), Type.Object({ object: obj('dataset') })),
      source_code: Type.Object({ object: obj('source_code'), content: nullable(Type.String()), hash: nullable(Type.String()) }),
      favorite: Type.Boolean(),
      tags: Type.Array(Type.String()),
      files: Type.Array(Id, { description: 'Ids of the files declared on the run.' }),
    },
    { ...open, examples: [TRAINING_RUN_EXAMPLE] },
  ),
  AIExperiment: Type.Object(
    {
      object: obj('aiexperiment'),
      id: Id,
      name: Type.String(),
      type: Type.Union(['offline', 'random', 'grid'].map((v) => Type.Literal(v))),
      state: Type.Union([Type.Literal('active'), Type.Literal('deleted')]),
      client: Id,
      user: NullableId,
      project: nullable(Type.String()),
      created: Time,
      updated: Time,
      ...experimentSpecProperties,
      metadata: Metadata,
      num_solutions: nullable(Type.Integer()),
      parallel_bandwidth: nullable(Type.Integer()),
      progress: Type.Object(
        {
          object: obj('progress'),
          active_run_count: Type.Integer({ minimum: 0 }),
          finished_run_count: Type.Integer({ minimum: 0 }),
          total_run_count: Type.Integer({ minimum: 0 }),
          remaining_budget: nullable(Type.Integer({ description: 'budget − total_run_count (`loop()` stops at 0).' })),
        },
        open,
      ),
      runs_only: Type.Literal(true),
      budget: nullable(Type.Integer()),
      tasks: Type.Optional(Type.Array(Task)),
    },
    {
      ...open,
      description:
        'The Experiment object with `object: "aiexperiment"`, `budget` instead of `observation_budget`, no `development`, and a progress that counts runs.',
      examples: [AI_EXPERIMENT_EXAMPLE],
    },
  ),
  Checkpoint: Type.Object(
    {
      object: obj('checkpoint'),
      id: Id,
      training_run: Id,
      created: Time,
      values: Type.Array(MetricEvaluation),
      metadata: Metadata,
    },
    {
      ...open,
      examples: [
        {
          object: 'checkpoint',
          id: '31',
          training_run: '17',
          created: 1764547300,
          values: [{ object: 'metric_evaluation', name: 'accuracy', value: 0.87, value_stddev: null }],
          metadata: { epoch: 3 },
        },
      ],
    },
  ),
  RunFile: Type.Object(
    {
      object: obj('file'),
      id: Id,
      client: Id,
      training_run: Id,
      user: NullableId,
      name: nullable(Type.String()),
      filename: nullable(Type.String()),
      content_type: Type.String(),
      content_length: Type.Integer({ minimum: 0 }),
      content_md5: Type.String({ description: 'Base64 MD5 of the content.' }),
      created: Time,
      download: Type.Null({ description: 'No download route yet.' }),
      upload: nullable(
        Type.Object({
          object: obj('upload_info'),
          method: Type.Literal('PUT'),
          url: Type.String({ description: 'PUT /v1/files/{id}/upload?token=… on this server: one use, 15 minutes, no API token.' }),
          headers: Type.Record(Type.String(), Type.String(), { description: 'Send exactly these headers with the bytes.' }),
        }),
      ),
    },
    {
      ...open,
      description: 'A declared run file and where to upload its bytes.',
      examples: [
        {
          object: 'file',
          id: '4',
          client: '7',
          training_run: '17',
          user: '12',
          name: 'confusion matrix',
          filename: 'confusion.png',
          content_type: 'image/png',
          content_length: 2048,
          content_md5: '1B2M2Y8AsgTpgAmY7PhCfg==',
          created: 1764547400,
          download: null,
          upload: {
            object: 'upload_info',
            method: 'PUT',
            url: 'https://sextant.example.org/v1/files/4/upload?token=Zm9v',
            headers: { 'Content-Type': 'image/png', 'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==' },
          },
        },
      ],
    },
  ),

  TrainingRunCreate: Type.Object(
    { ...RUN_BODY_PROPERTIES, name: Type.String({ minLength: 1, maxLength: 100 }) },
    {
      additionalProperties: false,
      description:
        'A run (`name` required). In an AI experiment, assignments of its parameters make an explicit suggestion; `state: "completed"` records the observation.',
      examples: [
        {
          name: 'resnet run',
          assignments: { learning_rate: 0.01 },
          values: { accuracy: { value: 0.91 } },
          metadata: { gpu: 'a100' },
          model: { type: 'resnet' },
        },
      ],
    },
  ),
  TrainingRunBatch: Type.Object(
    { runs: Type.Array(Type.Ref('TrainingRunCreate'), { maxItems: 10000 }) },
    { additionalProperties: false, description: 'All or nothing.', examples: [{ runs: [{ name: 'run 1' }, { name: 'run 2' }] }] },
  ),
  TrainingRunUpdate: Type.Object(RUN_BODY_PROPERTIES, {
    additionalProperties: false,
    description:
      'PUT replaces each given field; MERGE merges maps key by key (a `null` entry removes the key) and objects field by field, and is refused on a completed or failed run.',
    examples: [{ state: 'completed', values: { accuracy: { value: 0.93 } }, logs: { stdout: { content: 'done' } } }],
  }),
  CheckpointCreate: Type.Object(
    {
      values: Type.Array(Type.Object({ name: Type.String(), value: Type.Number(), value_stddev: Type.Optional(nullable(Type.Number())) })),
      metadata: Type.Optional(Metadata),
    },
    { additionalProperties: false, examples: [{ values: [{ name: 'accuracy', value: 0.87 }], metadata: { epoch: 3 } }] },
  ),
  RunFileCreate: Type.Object(
    {
      content_length: Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 }),
      content_md5: Type.String({ pattern: '^[A-Za-z0-9+/]{22}==$' }),
      content_type: Type.String({ maxLength: 100 }),
      name: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
      filename: Type.Optional(nullable(Type.String({ maxLength: 100 }))),
    },
    {
      additionalProperties: false,
      description: 'Declares a file (`name` or `filename` required); the answer carries the upload link.',
      examples: [{ content_length: 2048, content_md5: '1B2M2Y8AsgTpgAmY7PhCfg==', content_type: 'image/png', filename: 'confusion.png' }],
    },
  ),
  AIExperimentCreate: Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 100 }),
      parameters: Type.Array(
        Type.Object({ name: Type.String(), type: Type.Union(['double', 'int', 'categorical'].map((v) => Type.Literal(v))) }, open),
      ),
      metrics: Type.Array(Type.Object({ name: Type.String() }, open)),
      budget: Type.Optional(nullable(Type.Integer({ minimum: 1 }))),
    },
    {
      ...open,
      description:
        'The experiment create body with `budget` (not `observation_budget`), without `project`, `runs_only` or `tasks`; every metric named.',
      examples: [
        {
          name: 'Tune my model',
          parameters: [{ name: 'depth', type: 'int', bounds: { min: 2, max: 12 } }],
          metrics: [{ name: 'accuracy', objective: 'maximize' }],
          budget: 30,
        },
      ],
    },
  ),
  AIExperimentUpdate: Type.Object(
    {},
    {
      ...open,
      description: 'As the experiment update, with `budget`; `state: "active"` restores an archived AI experiment.',
      examples: [{ name: 'Renamed', budget: 40 }],
    },
  ),
});
