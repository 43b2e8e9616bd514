import type { PageQuery, Pagination } from './api-types.ts';

/** Fetches one page of a list with the given paging query. */
export type PageFetcher<T> = (query: PageQuery) => Promise<Pagination<T>>;

/**
 * Every item of a list, page by page, following `paging.before` until it is null: the walk the
 * python client's `iterate_pages()` does (docs/api-compatibility.md#paging). Pages are fetched lazily, so breaking out of
 * a `for await` loop stops the requests.
 */
export async function* iteratePages<T>(fetchPage: PageFetcher<T>, query: PageQuery = {}): AsyncGenerator<T, void, undefined> {
  let before = query.before;
  for (;;) {
    const page = await fetchPage({ ...query, ...(before !== undefined ? { before } : {}) });
    yield* page.data;
    // Guard against a server that repeats a marker: the walk would never end.
    if (!page.paging.before || page.paging.before === before || page.data.length === 0) return;
    before = page.paging.before;
  }
}
