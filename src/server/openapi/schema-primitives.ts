import { Type } from '@sinclair/typebox';

// Building blocks shared by the response and request schemas of the OpenAPI document.

/** A 64-bit id, rendered as a decimal string (docs/api-compatibility.md#responses). */
export const Id = Type.String({ pattern: '^\\d{1,19}$', description: 'A 64-bit id rendered as a decimal string.' });
/** An id or null. */
export const NullableId = Type.Union([Id, Type.Null()]);
/** Unix seconds. */
export const Time = Type.Integer({ minimum: 0, description: 'Unix seconds.' });
/** User metadata: string or number values, or null. */
export const Metadata = Type.Union([Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])), Type.Null()]);
/** The `object` field of a SigOpt object. */
export const obj = (name: string) => Type.Literal(name);
/** Options of an object that may gain fields (SigOpt adds fields over time). */
export const open = { additionalProperties: true } as const;

/** Assignments of a suggestion or observation. */
export const Assignments = Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()]), {
  description: 'Parameter name → value (int parameters as integers, categoricals as value names, inactive conditionals null).',
});

/** A metric value as the responses render it. */
export const MetricEvaluation = Type.Object({
  object: obj('metric_evaluation'),
  name: Type.Union([Type.String(), Type.Null()]),
  value: Type.Number(),
  value_stddev: Type.Union([Type.Number(), Type.Null()]),
});
/** A task of a multitask experiment. */
export const Task = Type.Object({ object: obj('task'), name: Type.String(), cost: Type.Number() });

/** The fields of the Experiment and AIExperiment objects that render the experiment's spec. */
export const experimentSpecProperties = {
  parameters: Type.Array(Type.Object({ object: obj('parameter'), name: Type.String(), type: Type.String() }, open)),
  metrics: Type.Array(Type.Object({ object: obj('metric'), name: Type.Union([Type.String(), Type.Null()]) }, open)),
  conditionals: Type.Array(Type.Object({ object: obj('conditional'), name: Type.String(), values: Type.Array(Type.String()) })),
  linear_constraints: Type.Array(Type.Object({ object: obj('linear_constraint') }, open)),
};
