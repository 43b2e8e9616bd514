import { apiError } from '../../domain/errors.ts';
import type { Page, PageRequest, SortKey } from '../../store/keyset.ts';
import type { QueryParams } from './query-params.ts';

export type { Page, PageRequest, SortKey } from '../../store/keyset.ts';

export const MAX_PAGE_LIMIT = 1000;

/** Opaque, URL-safe marker for a sort key (unpadded base64url of its JSON, like the original). */
export function encodeMarker(key: SortKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeMarker(marker: string): SortKey {
  if (marker === '') throw apiError('EMPTY_PAGING_MARKER');
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw new Error('not base64url');
    const parsed: unknown = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((x) => x === null || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))
    ) {
      return parsed as SortKey;
    }
  } catch {
    // reported below
  }
  throw apiError('INVALID_PAGING_MARKER', { marker });
}

/**
 * Reads `limit`, `before`, `after` and `ascending` from the query. A marker's tuple length is
 * checked by the caller's store (a marker of another list simply finds nothing).
 */
export function parsePageRequest(q: QueryParams, opts: { keyLength?: number } = {}): PageRequest {
  const limit = q.int('limit') ?? MAX_PAGE_LIMIT;
  if (limit < 0) throw apiError('INVALID_LIMIT', { limit });
  if (limit > MAX_PAGE_LIMIT) throw apiError('PAGE_LIMIT_EXCEEDED', { max: MAX_PAGE_LIMIT });
  const beforeRaw = q.string('before');
  const afterRaw = q.string('after');
  const before = beforeRaw === undefined ? undefined : decodeMarker(beforeRaw);
  const after = afterRaw === undefined ? undefined : decodeMarker(afterRaw);
  for (const [raw, key] of [[beforeRaw, before], [afterRaw, after]] as const) {
    if (key && opts.keyLength !== undefined && key.length !== opts.keyLength) throw apiError('INVALID_PAGING_MARKER', { marker: raw });
  }
  const ascending = q.bool('ascending') ?? false;
  return {
    limit,
    ascending,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
  };
}

/** The pagination envelope every list endpoint answers with. */
export interface PaginationBody {
  object: 'pagination';
  count: number;
  data: unknown[];
  paging: { before: string | null; after: string | null };
}

export function paginationBody<T>(page: Page<T>, render: (item: T) => unknown): PaginationBody {
  return {
    object: 'pagination',
    count: page.count,
    data: page.items.map(render),
    paging: {
      before: page.before ? encodeMarker(page.before) : null,
      after: page.after ? encodeMarker(page.after) : null,
    },
  };
}

/** Envelope for lists that are not paged (best assignments, batch create): count = len(data). */
export function unpagedBody(data: unknown[]): PaginationBody {
  return { object: 'pagination', count: data.length, data, paging: { before: null, after: null } };
}
