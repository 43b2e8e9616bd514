import type { Metadata } from '../../store/ports/records.ts';
import type { JsonObject } from './schema.ts';
import { SchemaErrors, getOwn, hasKey, optBoolean, schemaKeys, schemaLength, schemaType } from './schema.ts';
import { checkProjectId } from './experiment-schema.ts';
import { validateMetadata } from './metadata.ts';
import { NAME_MAX_LENGTH } from './names.ts';

/** A validated project create request. */
export interface ProjectCreateInput {
  readonly id: string;
  readonly name: string;
  readonly metadata: Metadata | null;
}

/** A validated project update: only the given fields. */
export interface ProjectPatch {
  readonly name?: string;
  readonly metadata?: Metadata | null;
  readonly deleted?: boolean;
}

/**
 * Validates `POST /clients/{id}/projects` (docs/api-compatibility.md#projects, docs/api-compatibility.md#other-limits): `id` 1–32 chars of
 * `^[a-z0-9\-_\.]+$`, `name` 1–100 chars, optional metadata, no other keys. Duplicate ids (409)
 * are the service's business.
 */
export function validateProjectCreate(body: JsonObject): ProjectCreateInput {
  const errors = new SchemaErrors();
  schemaKeys(errors, [], body, ['id', 'name'], ['id', 'name', 'metadata']);
  if (hasKey(body, 'id')) checkProjectId(errors, ['id'], body.id, false);
  if (hasKey(body, 'name') && schemaType(errors, ['name'], body.name, ['string'])) {
    schemaLength(errors, ['name'], body.name, 1, NAME_MAX_LENGTH);
  }
  if (hasKey(body, 'metadata')) schemaType(errors, ['metadata'], body.metadata, ['object', 'null']);
  errors.throwIfAny();
  return {
    id: body.id as string,
    name: body.name as string,
    metadata: validateMetadata(getOwn(body, 'metadata')),
  };
}

/** Validates `PUT /clients/{id}/projects/{pid}`: `name`, `metadata`, `deleted`, all optional. */
export function validateProjectUpdate(body: JsonObject): ProjectPatch {
  const errors = new SchemaErrors();
  schemaKeys(errors, [], body, [], ['name', 'metadata', 'deleted']);
  if (hasKey(body, 'name') && schemaType(errors, ['name'], body.name, ['string'])) {
    schemaLength(errors, ['name'], body.name, 1, NAME_MAX_LENGTH);
  }
  if (hasKey(body, 'metadata')) schemaType(errors, ['metadata'], body.metadata, ['object', 'null']);
  if (hasKey(body, 'deleted')) schemaType(errors, ['deleted'], body.deleted, ['boolean', 'null']);
  errors.throwIfAny();
  const patch: { name?: string; metadata?: Metadata | null; deleted?: boolean } = {};
  if (hasKey(body, 'name')) patch.name = body.name as string;
  if (hasKey(body, 'metadata')) patch.metadata = validateMetadata(getOwn(body, 'metadata'));
  const deleted = optBoolean(body, 'deleted');
  if (deleted !== null) patch.deleted = deleted;
  return patch;
}
