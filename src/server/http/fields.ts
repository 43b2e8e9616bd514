import { apiError } from '../../domain/errors.ts';

/**
 * The `fields` parameter (docs/api-compatibility.md#field-selection): reduces a rendered object (or each element of a pagination
 * response) to exactly the listed keys. An unknown key is a 400 naming the object type.
 */
export function applyFields(body: unknown, fields: readonly string[] | undefined): unknown {
  if (!fields || body === null || typeof body !== 'object') return body;
  const obj = body as Record<string, unknown>;
  if (obj.object === 'pagination' && Array.isArray(obj.data)) {
    return { ...obj, data: obj.data.map((item) => pick(item, fields)) };
  }
  return pick(obj, fields);
}

function pick(item: unknown, fields: readonly string[]): unknown {
  if (item === null || typeof item !== 'object') return item;
  const obj = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f === '') continue;
    if (!Object.prototype.hasOwnProperty.call(obj, f)) {
      throw apiError('UNKNOWN_FIELD', { field: f, object: String(obj.object ?? 'object') });
    }
    out[f] = obj[f];
  }
  return out;
}
