import type { ExperimentFilter } from '../../store/store.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';

/** How an experiment write changed a client's experiments. */
export type ExperimentCountChange =
  | { readonly created: ExperimentRecord }
  | { readonly deleted: ExperimentRecord }
  /** State or development flag changed otherwise: the client's counts are rebuilt. */
  | 'rebuild'
  | null;

/**
 * Per-client experiment counts in the shared cache (issue 4 item 5): the `count` of a client's
 * experiment list without COUNT(*) over its experiments on every request. Counts exist for the
 * plain list filters (one client; state; development split) — filters with a search, a period, a
 * project or a user are counted by the store.
 */
export interface ExperimentCounts {
  /** The cached count for a plain filter (rebuilt with `countFresh` when missing); null otherwise. */
  count(filter: ExperimentFilter, countFresh: () => Promise<number>): Promise<number | null>;
  /** Runs an experiment write, then applies its change to the counts that exist. */
  record<T>(clientId: string, write: () => Promise<T>, change: (result: T) => ExperimentCountChange): Promise<T>;
}
