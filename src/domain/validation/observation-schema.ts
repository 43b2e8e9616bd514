import type { JsonObject } from './schema.ts';
import { SchemaErrors, schemaKeys, schemaType } from './schema.ts';
import { checkValuesSchema } from './observation-values.ts';

/** Keys of an observation create/update body; anything else (incl. legacy `value`) is refused. */
export const OBSERVATION_KEYS = ['suggestion', 'assignments', 'values', 'failed', 'no_optimize', 'metadata', 'task'] as const;

/** Structural pass over an observation body (O1, O9, O10 and field types). */
export function checkObservationSchema(body: JsonObject): void {
  const errors = new SchemaErrors();
  schemaKeys(errors, [], body, [], OBSERVATION_KEYS);
  if (Object.hasOwn(body, 'values')) checkValuesSchema(errors, body.values, true);
  if (Object.hasOwn(body, 'failed')) schemaType(errors, ['failed'], body.failed, ['boolean', 'null']);
  if (Object.hasOwn(body, 'metadata')) schemaType(errors, ['metadata'], body.metadata, ['object', 'null']);
  if (Object.hasOwn(body, 'task')) schemaType(errors, ['task'], body.task, ['object', 'string', 'null']);
  errors.throwIfAny();
}
