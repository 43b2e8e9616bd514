import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect over one PGlite instance. PGlite is a single backend: a transaction must own
 * it from BEGIN to COMMIT, or another request's statement would run inside (and be rolled back
 * with) someone else's transaction. So the driver hands out its one connection under a FIFO
 * mutex; Kysely keeps a connection for the whole of `transaction().execute()` and for a single
 * query otherwise, which gives exactly that exclusivity. Queries issued on the outer database
 * from inside a transaction callback therefore wait for the transaction — callers must use the
 * transaction handle.
 */
export class PgliteDialect implements Dialect {
  readonly #pg: PGlite;

  constructor(pg: PGlite) {
    this.#pg = pg;
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#pg);
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | null = null;

  constructor(pg: PGlite) {
    this.#connection = new PgliteConnection(pg);
  }

  async init(): Promise<void> {
    await this.#connection.pg.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Chain on the previous holder: a promise queue is FIFO, so no waiter starves.
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // PGlite is one backend, so isolation levels are moot; accept and ignore them.
    void settings;
    await connection.executeQuery(CompiledQuery.raw('BEGIN'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    // Wait for the current holder so close never cuts a transaction in half.
    await this.#tail;
    if (!this.#connection.pg.closed) await this.#connection.pg.close();
  }
}

class PgliteConnection implements DatabaseConnection {
  readonly pg: PGlite;

  constructor(pg: PGlite) {
    this.pg = pg;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pg.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    const command = result.command;
    const affected = result.affectedRows;
    if ((command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE') && affected !== undefined) {
      return { rows: result.rows, numAffectedRows: BigInt(affected) };
    }
    return { rows: result.rows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite dialect does not support streaming queries');
  }
}
