import type { Metadata, ObservationRecord, ObservationValue } from './records.ts';
import type { Assignments } from '../../optimizer/experiment-spec.ts';
import type { Page, PageRequest } from '../keyset.ts';

/** Input of {@link ObservationRepository.create}. */
export type NewObservation = Omit<ObservationRecord, 'id' | 'deleted'>;

/** Fields an observation update may change (absent = unchanged). `created` never changes. */
export interface ObservationPatch {
  readonly suggestionId?: string | null;
  readonly assignments?: Assignments;
  readonly task?: string | null;
  readonly values?: readonly ObservationValue[];
  readonly failed?: boolean;
  readonly metadata?: Metadata | null;
}

/**
 * Observation list orders. The domain resolves SigOpt's sort names (first metric by name, task
 * costs) so the store needs no experiment semantics.
 *
 * - `id`: SortKey [id]; `timestamp`: [created, id] — keyset queries on indexes.
 * - `value`: [value or null, id] of the named metric's `value` or `valueStddev`;
 *   `parameter`: [assignment or null, id]; `task`: [cost or null, value or null, id] with the
 *   cost looked up in `taskCosts`. These load the experiment's matching rows and page in memory;
 *   a missing value (failed observation, inactive parameter, unknown task) is always LAST in
 *   list order, whichever direction, and numbers sort before strings.
 */
export type ObservationSort =
  | { readonly kind: 'id' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'value'; readonly metric: string | null; readonly field: 'value' | 'valueStddev' }
  | { readonly kind: 'parameter'; readonly name: string }
  | { readonly kind: 'task'; readonly taskCosts: Readonly<Record<string, number>>; readonly metric: string | null };

/**
 * Input of {@link ObservationRepository.report}: with a `suggestionId`, `assignments` and `task`
 * are taken from that suggestion and may be omitted.
 */
export type ReportedObservation = Omit<NewObservation, 'assignments' | 'task'> & {
  readonly assignments: NewObservation['assignments'] | null;
  readonly task: string | null;
};

/** Observations of one experiment; every method is scoped by experiment id. */
export interface ObservationRepository {
  create(input: NewObservation): Promise<ObservationRecord>;
  /**
   * The hot write of the optimization loop as ONE statement (one round trip, atomic without a
   * transaction): inserts the observation, closes the referenced suggestion and copies its
   * assignments and task, and moves the experiment's `updated` forward to `created`. Null (and
   * nothing written) when `suggestionId` is not a suggestion of the experiment.
   */
  report(input: ReportedObservation): Promise<ObservationRecord | null>;
  /** Returned in input order. Atomic only inside the caller's transaction (use one). */
  createMany(inputs: readonly NewObservation[]): Promise<ObservationRecord[]>;
  /** Deleted ones too; null if it does not belong to the experiment. */
  get(experimentId: string, id: string): Promise<ObservationRecord | null>;
  /**
   * `deleted` true → only deleted, false → only live. `count`, when the caller knows it (the cached
   * live count), is reported as the page's count instead of counting the rows.
   */
  list(
    experimentId: string,
    filter: { readonly deleted: boolean; readonly count?: number },
    sort: ObservationSort,
    page: PageRequest,
  ): Promise<Page<ObservationRecord>>;
  update(experimentId: string, id: string, patch: ObservationPatch): Promise<ObservationRecord | null>;
  /** Soft delete; false if unknown. */
  delete(experimentId: string, id: string): Promise<boolean>;
  /** Soft-deletes every live observation; returns how many. */
  deleteAll(experimentId: string): Promise<number>;
  /**
   * Live observations in creation (id) order: engine input, best assignments, stopping rules.
   * With `afterId`, only those with a larger id (what a warm model has not seen yet).
   */
  listLive(experimentId: string, afterId?: string): Promise<ObservationRecord[]>;
  /** Number of live observations (incl. failed). */
  countLive(experimentId: string): Promise<number>;
  /** Lowest-id live observation. */
  firstLive(experimentId: string): Promise<ObservationRecord | null>;
  /** Highest-id live observation. */
  lastLive(experimentId: string): Promise<ObservationRecord | null>;
}
