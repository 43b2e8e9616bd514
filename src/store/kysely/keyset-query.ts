import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { assemblePage, InvalidSortKeyError, type Page, type PageRequest, type SortKey } from '../keyset.ts';

/** How each element of a sort key is typed, to validate client-supplied markers. */
export type KeyKind = 'int' | 'text';

/** A list served by a keyset (seek) query on an index whose trailing columns are the sort key. */
export interface KeysetList<Row> {
  /** Column references of the sort key, in order (last = id), e.g. `['updated', 'id']`. */
  readonly columns: readonly string[];
  readonly kinds: readonly KeyKind[];
  /** Runs the filtered query with the extra seek condition, ordered by every key column. */
  fetch(seek: RawBuilder<SqlBool> | null, direction: 'asc' | 'desc', limit: number): Promise<Row[]>;
  /** Number of matches of the same filter, ignoring paging. */
  count(): Promise<number>;
  keyOf(row: Row): SortKey;
}

/** Checks a decoded marker against the key's shape; returns SQL-ready values. */
function markerValues(key: SortKey, kinds: readonly KeyKind[]): string[] {
  if (!Array.isArray(key) || key.length !== kinds.length) throw new InvalidSortKeyError();
  return key.map((value, i) => {
    if (kinds[i] === 'int') {
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      if (typeof value === 'string' && /^-?\d{1,19}$/.test(value)) return value;
      throw new InvalidSortKeyError();
    }
    if (typeof value !== 'string') throw new InvalidSortKeyError();
    return value;
  });
}

/** `(c1, c2, …) op (v1, v2, …)`: a row comparison PostgreSQL turns into one index range bound. */
function rowCompare(columns: readonly string[], op: '<' | '>', values: readonly string[]): RawBuilder<SqlBool> {
  const left = sql.join(columns.map((c) => sql.ref(c)));
  const right = sql.join(values.map((v) => sql`${v}`));
  return sql<SqlBool>`(${left}) ${sql.raw(op)} (${right})`;
}

/**
 * Executes one page of a keyset list with the contract of keyset.ts: fetches `limit + 1` rows
 * from the marker (backwards for an `after`-only request) and lets assemblePage decide the
 * markers, plus one COUNT of the filter.
 */
export async function keysetPage<Row>(list: KeysetList<Row>, page: PageRequest): Promise<Page<Row>> {
  const listDir = page.ascending ? 'asc' : 'desc';
  // "Further along the list" is greater keys when ascending, smaller when descending.
  const forwardOp = page.ascending ? '>' : '<';
  const backwardOp = page.ascending ? '<' : '>';
  const conditions: RawBuilder<SqlBool>[] = [];
  if (page.before !== undefined) conditions.push(rowCompare(list.columns, forwardOp, markerValues(page.before, list.kinds)));
  if (page.after !== undefined) conditions.push(rowCompare(list.columns, backwardOp, markerValues(page.after, list.kinds)));
  const seek = conditions.length === 0 ? null : conditions.length === 1 ? conditions[0]! : sql<SqlBool>`${conditions[0]!} AND ${conditions[1]!}`;
  const backwards = page.after !== undefined && page.before === undefined;
  const direction = backwards ? (listDir === 'asc' ? 'desc' : 'asc') : listDir;
  const [rows, count] = await Promise.all([
    page.limit > 0 ? list.fetch(seek, direction, page.limit + 1) : Promise.resolve([]),
    list.count(),
  ]);
  return assemblePage({ rows, limit: page.limit, backwards }, count, list.keyOf);
}
