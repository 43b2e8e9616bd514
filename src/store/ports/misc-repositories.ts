import type { OptimizerStateRecord } from './records.ts';
import type { Page, PageRequest } from '../keyset.ts';

/** Saved engine state, one row per experiment. */
export interface OptimizerStateRepository {
  get(experimentId: string): Promise<OptimizerStateRecord | null>;
  /** Insert or replace. */
  put(record: OptimizerStateRecord): Promise<void>;
  delete(experimentId: string): Promise<boolean>;
}

/** One audit entry: who did what to which object. */
export interface AuditEntry {
  readonly id: string;
  /** E.g. `user:12`, `token:7`, `cli`. */
  readonly actor: string;
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string | null;
  readonly created: number;
  readonly details: Readonly<Record<string, unknown>> | null;
}

/** Filter of {@link AuditLogRepository.list}; every given field must match exactly. */
export interface AuditFilter {
  readonly objectType?: string;
  readonly objectId?: string;
  readonly actor?: string;
  readonly action?: string;
}

/** Append-only audit log (token changes, deletions, admin actions). */
export interface AuditLogRepository {
  append(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Entries for one object; SortKey [id]. */
  listForObject(objectType: string, objectId: string, page: PageRequest): Promise<Page<AuditEntry>>;
  /**
   * The whole log, optionally filtered (admin view); SortKey [id]. Served by the primary key
   * (or the object index when both object fields are given); not a hot path.
   */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}
