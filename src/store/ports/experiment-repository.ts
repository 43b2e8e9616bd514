import type { ExperimentRecord } from './records.ts';
import type { Page, PageRequest } from '../keyset.ts';

/** Input of {@link ExperimentRepository.create}. */
export type NewExperiment = Omit<ExperimentRecord, 'id'>;

/** Fields an experiment update may change (absent = unchanged). */
export type ExperimentPatch = Partial<
  Pick<ExperimentRecord, 'name' | 'state' | 'projectId' | 'metadata' | 'spec' | 'updated' | 'development' | 'userId'>
>;

/**
 * Filter of {@link ExperimentRepository.list}. Give `clientIds` and/or `userId` so an index
 * leads the query. `search` is a case-insensitive substring of the name or of the creator's name.
 */
export interface ExperimentFilter {
  readonly clientIds?: readonly string[];
  readonly userId?: string;
  readonly state: 'active' | 'deleted' | 'all';
  readonly search?: string;
  /** created >= periodStart */
  readonly periodStart?: number;
  /** created < periodEnd */
  readonly periodEnd?: number;
  readonly development?: boolean;
  readonly projectId?: string;
  /** Runs-only (AI) experiments are left out unless true. */
  readonly includeRunsOnly?: boolean;
  /** Only runs-only (AI) experiments (the AI experiment lists); implies includeRunsOnly. */
  readonly onlyRunsOnly?: boolean;
  /** A known number of matches (a cached counter): reported as the page's count, not counted. */
  readonly count?: number;
}

/** Experiments. */
export interface ExperimentRepository {
  create(input: NewExperiment): Promise<ExperimentRecord>;
  /** Any state (deleted experiments are fetchable). */
  get(id: string): Promise<ExperimentRecord | null>;
  update(id: string, patch: ExperimentPatch): Promise<ExperimentRecord | null>;
  /** Moves `updated` forward to `time` (never backwards); for observation writes. */
  touch(id: string, time: number): Promise<void>;
  /**
   * `id` sort: SortKey [id]; `recent`: [updated, id]. Keyset paging over
   * experiments(client_id, id) / experiments(client_id, updated, id).
   */
  list(filter: ExperimentFilter, sort: 'id' | 'recent', page: PageRequest): Promise<Page<ExperimentRecord>>;
  /** Number of experiments matching the filter (rebuilds of the cached counts). */
  count(filter: ExperimentFilter): Promise<number>;
}
