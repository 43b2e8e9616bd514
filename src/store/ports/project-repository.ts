import type { Metadata, ProjectRecord } from './records.ts';
import type { Page, PageRequest } from '../keyset.ts';

/** Input of {@link ProjectRepository.create}. */
export interface NewProject {
  readonly clientId: string;
  readonly id: string;
  readonly name: string;
  readonly userId: string | null;
  readonly created: number;
  readonly updated: number;
  readonly metadata: Metadata | null;
}

/** Filter of {@link ProjectRepository.list}. `deleted` undefined = both. */
export interface ProjectFilter {
  readonly userId?: string;
  readonly deleted?: boolean;
}

/** Projects, keyed by (client, user-chosen id). */
export interface ProjectRepository {
  /** Throws DuplicateKeyError when the id exists in the client (deleted or not). */
  create(input: NewProject): Promise<ProjectRecord>;
  get(clientId: string, id: string): Promise<ProjectRecord | null>;
  /** Keyset paging on (updated, id) or (created, id); the SortKey is [time, projectId]. */
  list(clientId: string, filter: ProjectFilter, sort: 'updated' | 'created', page: PageRequest): Promise<Page<ProjectRecord>>;
  update(
    clientId: string,
    id: string,
    patch: { readonly name?: string; readonly metadata?: Metadata | null; readonly deleted?: boolean; readonly updated?: number },
  ): Promise<ProjectRecord | null>;
  /**
   * Experiment counts for a page of projects in one grouped query. Counts active experiments
   * unless `includeDeleted`; projects without experiments map to 0.
   */
  experimentCounts(clientId: string, projectIds: readonly string[], opts?: { readonly includeDeleted?: boolean }): Promise<Map<string, number>>;
}
