/**
 * The lost-answer rule for observation writes, in one place for the client, the simulator and the
 * chaos benchmark. The SigOpt API has no idempotency key, so when an observation POST gets no
 * answer (reset connection, timeout, a 5xx from a proxy after the server committed) the write may
 * or may not be stored. Before sending it again:
 *
 * 1. Only an observation of a suggestion can be checked: at most one observation refers to a
 *    suggestion, so "is there an observation of suggestion S?" settles it.
 * 2. The check reads the experiment's observation list newest first (the lost write is on the
 *    first page unless a flood of writes followed it) until it finds S or runs out of pages.
 * 3. Found → that observation is the answer, nothing is resent. Not found → resend.
 * 4. The list cannot be read → do not resend: a duplicate observation distorts the model for
 *    good, while a missing one only costs one evaluation.
 */

/** The part of an observation the check needs. */
export interface SuggestionReference {
  readonly suggestion?: string | null;
}

/** One page of an experiment's observations, newest first; `before` is the next page's marker. */
export interface ObservationPage<T extends SuggestionReference> {
  readonly data: readonly T[];
  readonly paging: { readonly before: string | null };
}

/** Reads a page (`before` undefined = the newest page). Throws when the page cannot be read. */
export type ObservationPageReader<T extends SuggestionReference> = (before: string | undefined) => Promise<ObservationPage<T>>;

/** Page size of the check: large enough that one request usually settles it. */
export const LOST_CHECK_PAGE_SIZE = 100;

/**
 * The stored observation of `suggestionId`, or null when there is none. Errors of `readPage`
 * propagate: the caller then must not resend (rule 4). `maxPages` bounds the scan.
 */
export async function findObservationOfSuggestion<T extends SuggestionReference>(
  readPage: ObservationPageReader<T>,
  suggestionId: string,
  maxPages = 1000,
): Promise<T | null> {
  let before: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const body = await readPage(before);
    const hit = body.data.find((o) => o.suggestion === suggestionId);
    if (hit) return hit;
    if (!body.paging.before) return null;
    before = body.paging.before;
  }
  throw new Error(`no observation of suggestion ${suggestionId} in the newest ${maxPages} pages; giving up the check`);
}
