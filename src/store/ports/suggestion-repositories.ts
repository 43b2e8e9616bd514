import type { Metadata, QueuedSuggestionRecord, SuggestionRecord } from './records.ts';
import type { Assignments } from '../../optimizer/experiment-spec.ts';
import type { Page, PageRequest } from '../keyset.ts';

/** Input of {@link SuggestionRepository.create}; state defaults to open. */
export type NewSuggestion = Omit<SuggestionRecord, 'id' | 'deleted' | 'state'> & { readonly state?: 'open' | 'closed' };

/** Filter of {@link SuggestionRepository.list}. */
export interface SuggestionFilter {
  /** true → only deleted, false → only live. */
  readonly deleted: boolean;
  readonly state?: 'open';
  readonly ids?: readonly string[];
}

/** A point held by an open suggestion or a live observation (duplicate checks). */
export interface TakenPoint {
  readonly assignments: Assignments;
  readonly task: string | null;
}

/** Suggestions of one experiment; every method is scoped by experiment id. */
export interface SuggestionRepository {
  create(input: NewSuggestion): Promise<SuggestionRecord>;
  /** Deleted ones too; null if it does not belong to the experiment. */
  get(experimentId: string, id: string): Promise<SuggestionRecord | null>;
  /** SortKey [id]. */
  list(experimentId: string, filter: SuggestionFilter, page: PageRequest): Promise<Page<SuggestionRecord>>;
  updateMetadata(experimentId: string, id: string, metadata: Metadata | null): Promise<SuggestionRecord | null>;
  /** Soft delete; false if unknown. Idempotent. */
  delete(experimentId: string, id: string): Promise<boolean>;
  /** Soft-deletes all (or only the open) live suggestions; returns how many changed. */
  deleteAll(experimentId: string, opts?: { readonly onlyOpen?: boolean }): Promise<number>;
  /** Open, live suggestions ascending id: the engine's pending points (partial index). */
  listOpen(experimentId: string): Promise<SuggestionRecord[]>;
  /**
   * The points of the open suggestions and, when asked, of the live observations — in one
   * statement (the suggestion generator's reads, in no particular order).
   */
  takenPoints(experimentId: string, opts: { readonly withObservations: boolean }): Promise<{ open: TakenPoint[]; observed: TakenPoint[] }>;
  /** Marks it closed because an observation references it; false if unknown. */
  close(experimentId: string, id: string): Promise<boolean>;
}

/** Input of {@link QueuedSuggestionRepository.create}. */
export type NewQueuedSuggestion = Omit<QueuedSuggestionRecord, 'id'>;

/** The FIFO of explicit points per experiment. */
export interface QueuedSuggestionRepository {
  create(input: NewQueuedSuggestion): Promise<QueuedSuggestionRecord>;
  get(experimentId: string, id: string): Promise<QueuedSuggestionRecord | null>;
  /** SortKey [id]. */
  list(experimentId: string, page: PageRequest): Promise<Page<QueuedSuggestionRecord>>;
  delete(experimentId: string, id: string): Promise<boolean>;
  /**
   * Removes and returns the lowest-id entry. Safe under concurrent callers on PostgreSQL
   * (FOR UPDATE SKIP LOCKED: two callers never get the same row, neither blocks on the other).
   */
  popOldest(experimentId: string): Promise<QueuedSuggestionRecord | null>;
}
