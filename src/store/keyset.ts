/**
 * The one paging contract of every list (docs/api-compatibility.md#paging). A list has an order (its sort key tuple,
 * ascending or descending); `before` continues in that order (the next page, what the python
 * client's iterator follows until null) and `after` goes back towards the start.
 *
 * | request   | items                                          | before                      | after                        |
 * |-----------|------------------------------------------------|-----------------------------|------------------------------|
 * | none      | first `limit` items                            | last item's key if more follow, else null | first item's key (null if empty) |
 * | before=X  | first `limit` items strictly after X           | last item's key if more follow, else null | first item's key (null if empty) |
 * | after=X   | the `limit` items closest to X strictly before it, in list order | last item's key (null if empty) | first item's key if more precede, else null |
 *
 * With both markers the items lie strictly between them and are taken from the `before` side.
 * `limit = 0` gives no items, both markers null and the true `count`.
 */

/** A sort key tuple; the last element is always the item's id (decimal string). */
export type SortKey = readonly (string | number | null)[];

/** One page request. `ascending` flips the list order (the default order is descending). */
export interface PageRequest {
  readonly limit: number;
  readonly before?: SortKey | undefined;
  readonly after?: SortKey | undefined;
  readonly ascending: boolean;
}

/** One page: `count` is the number of matches ignoring paging. */
export interface Page<T> {
  readonly items: T[];
  readonly count: number;
  readonly before: SortKey | null;
  readonly after: SortKey | null;
}

/** Thrown when a decoded marker does not fit the list's sort key (wrong length or types): a 400. */
export class InvalidSortKeyError extends Error {
  constructor(message = 'paging marker does not match the sort key of this list') {
    super(message);
    this.name = 'InvalidSortKeyError';
  }
}

/** What a page query fetched: up to `limit + 1` rows in the direction it was asked for. */
export interface FetchedSlice<T> {
  /** Rows nearest the marker first (for `after` that is the reverse of list order). */
  readonly rows: readonly T[];
  readonly limit: number;
  /** True when the rows were read backwards (an `after` request). */
  readonly backwards: boolean;
}

/**
 * Turns an over-fetched slice (limit + 1 rows) into the page envelope. Shared by the SQL keyset
 * queries and the in-memory sorts so both obey the table above identically.
 */
export function assemblePage<T>(slice: FetchedSlice<T>, count: number, keyOf: (item: T) => SortKey): Page<T> {
  const more = slice.rows.length > slice.limit;
  const taken = slice.rows.slice(0, slice.limit);
  const items = slice.backwards ? taken.reverse() : taken;
  const first = items[0];
  const last = items[items.length - 1];
  if (first === undefined || last === undefined) return { items, count, before: null, after: null };
  if (slice.backwards) {
    return { items, count, before: keyOf(last), after: more ? keyOf(first) : null };
  }
  return { items, count, before: more ? keyOf(last) : null, after: keyOf(first) };
}

/**
 * Pages an already filtered list in memory. `compare` orders two keys in LIST order (it already
 * accounts for `ascending` and for where nulls go), so markers of rows that no longer exist still
 * position correctly.
 */
export function pageInMemory<T>(
  all: readonly T[],
  page: PageRequest,
  keyOf: (item: T) => SortKey,
  compare: (a: SortKey, b: SortKey) => number,
): Page<T> {
  const sorted = [...all].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const { before, after } = page;
  const inRange = sorted.filter((item) => {
    const key = keyOf(item);
    if (before !== undefined && compare(key, before) <= 0) return false;
    if (after !== undefined && compare(key, after) >= 0) return false;
    return true;
  });
  const backwards = after !== undefined && before === undefined;
  const rows = backwards ? inRange.slice(-(page.limit + 1)).reverse() : inRange.slice(0, page.limit + 1);
  return assemblePage({ rows, limit: page.limit, backwards }, all.length, keyOf);
}
