import type { ExperimentRepository } from './ports/experiment-repository.ts';
import type { AuditLogRepository, OptimizerStateRepository } from './ports/misc-repositories.ts';
import type { ObservationRepository } from './ports/observation-repository.ts';
import type { ProjectRepository } from './ports/project-repository.ts';
import type { SettingsRepository } from './ports/settings-repository.ts';
import type { TrainingRunRepository } from './ports/training-run-repository.ts';
import type { QueuedSuggestionRepository, SuggestionRepository } from './ports/suggestion-repositories.ts';
import type {
  ClientRepository,
  MembershipRepository,
  OrganizationRepository,
  TokenRepository,
  UserRepository,
} from './ports/tenancy-repositories.ts';

export type * from './ports/experiment-repository.ts';
export type * from './ports/misc-repositories.ts';
export type * from './ports/observation-repository.ts';
export type * from './ports/project-repository.ts';
export type * from './ports/settings-repository.ts';
export type * from './ports/suggestion-repositories.ts';
export type * from './ports/tenancy-repositories.ts';
export type * from './ports/training-run-repository.ts';
export type { Page, PageRequest, SortKey } from './keyset.ts';

/**
 * The persistence port. Repositories only store and query: SigOpt validation belongs to the
 * domain. Records are those of ports/records.ts; ids are decimal strings; times are unix
 * seconds supplied by the caller (the clock is injected upstream, so tests are exact).
 *
 * Errors: a unique violation surfaces as DuplicateKeyError, a malformed paging marker as
 * InvalidSortKeyError; anything else is a database fault.
 */
export interface Store {
  readonly backend: 'pglite' | 'postgres';
  readonly organizations: OrganizationRepository;
  readonly clients: ClientRepository;
  readonly users: UserRepository;
  readonly memberships: MembershipRepository;
  readonly tokens: TokenRepository;
  readonly projects: ProjectRepository;
  readonly experiments: ExperimentRepository;
  readonly suggestions: SuggestionRepository;
  readonly queuedSuggestions: QueuedSuggestionRepository;
  readonly observations: ObservationRepository;
  readonly optimizerState: OptimizerStateRepository;
  readonly audit: AuditLogRepository;
  /** Live setting overrides (src/config). */
  readonly settings: SettingsRepository;
  /** Training runs and checkpoints (AI experiments). */
  readonly trainingRuns: TrainingRunRepository;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws (the
   * error is rethrown). Inside, use only `tx` — on PGlite the outer store waits for the
   * transaction to finish, so touching it from inside deadlocks. Nested calls on `tx` join the
   * outer transaction.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Cheap round trip for readiness checks; rejects when the database is unreachable. */
  ping(): Promise<void>;
  /** Closes the pool / PGlite instance after in-flight work; a transaction handle cannot close. */
  close(): Promise<void>;
}
