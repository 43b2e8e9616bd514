import { sql, type Kysely } from 'kysely';
import type { Store } from '../store.ts';
import type { Database } from '../schema.ts';
import { experimentRepository } from './experiment-repository.ts';
import { miscRepositories } from './misc-repositories.ts';
import { observationRepository } from './observation-repository.ts';
import { projectRepository } from './project-repository.ts';
import { settingsRepository } from './settings-repository.ts';
import { queuedSuggestionRepository } from './queued-suggestion-repository.ts';
import { suggestionRepository } from './suggestion-repository.ts';
import { tenancyRepositories } from './tenancy-repositories.ts';
import { trainingRunRepository } from './training-run-repository.ts';

/**
 * The Store over any Kysely<Database> — the pool/PGlite database or a transaction handle, which
 * Kysely lets both run the same queries. Repositories are plain objects bound to that handle, so
 * building a transaction-scoped store costs a few closures.
 */
export class KyselyStore implements Store {
  readonly backend: Store['backend'];
  readonly organizations;
  readonly clients;
  readonly users;
  readonly memberships;
  readonly tokens;
  readonly projects;
  readonly experiments;
  readonly suggestions;
  readonly queuedSuggestions;
  readonly observations;
  readonly optimizerState;
  readonly audit;
  readonly settings;
  readonly trainingRuns;
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>, backend: Store['backend']) {
    this.#db = db;
    this.backend = backend;
    const tenancy = tenancyRepositories(db);
    this.organizations = tenancy.organizations;
    this.clients = tenancy.clients;
    this.users = tenancy.users;
    this.memberships = tenancy.memberships;
    this.tokens = tenancy.tokens;
    this.projects = projectRepository(db);
    this.experiments = experimentRepository(db);
    this.suggestions = suggestionRepository(db);
    this.queuedSuggestions = queuedSuggestionRepository(db);
    this.observations = observationRepository(db);
    const misc = miscRepositories(db);
    this.optimizerState = misc.optimizerState;
    this.audit = misc.audit;
    this.settings = settingsRepository(db);
    this.trainingRuns = trainingRunRepository(db);
  }

  /** The underlying Kysely handle (migrations, tests, EXPLAIN). */
  get db(): Kysely<Database> {
    return this.#db;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    // Kysely cannot nest transactions; joining the outer one keeps callers composable.
    if (this.#db.isTransaction) return fn(this);
    return this.#db.transaction().execute((trx) => fn(new KyselyStore(trx, this.backend)));
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.isTransaction) throw new Error('cannot close a store from inside a transaction');
    await this.#db.destroy();
  }
}
