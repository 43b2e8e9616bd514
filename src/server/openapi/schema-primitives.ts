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
