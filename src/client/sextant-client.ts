import type {
  Client,
  Experiment,
  ExperimentCreate,
  ExperimentListQuery,
  Metadata,
  Organization,
  PageQuery,
  Pagination,
  Project,
  ProjectCreate,
  Session,
  Token,
  User,
} from './api-types.ts';
import { AdminResource } from './admin-resource.ts';
import type { ClientCaller, QueryObject } from './client-caller.ts';
import { CLIENT_ROUTES, type ClientRouteName } from './client-routes.ts';
import { ExperimentHandle } from './experiment-handle.ts';
import { HttpTransport, type CallOptions, type ResendCheck, type TransportOptions } from './http-transport.ts';
import { iteratePages } from './page-iterator.ts';

/** The experiment collections (docs/api-compatibility.md#experiments). */
export class ExperimentsResource {
  constructor(private readonly c: ClientCaller) {}

  /** Creates an experiment in the token's client, or in `clientId`'s. */
  create(body: ExperimentCreate, opts?: CallOptions & { readonly clientId?: string }): Promise<Experiment> {
    return opts?.clientId !== undefined
      ? this.c.call('client.experiment.create', { clientId: opts.clientId }, { body }, opts)
      : this.c.call('experiment.create', {}, { body }, opts);
  }
  get(id: string, opts?: CallOptions): Promise<Experiment> {
    return this.c.call('experiment.get', { id }, {}, opts);
  }
  /** One page of the token's client's experiments (or `clientId`'s, or a project's with `projectId`). */
  page(
    query: ExperimentListQuery & { readonly clientId?: string; readonly projectId?: string } = {},
    opts?: CallOptions,
  ): Promise<Pagination<Experiment>> {
    const { clientId, projectId, ...q } = query;
    if (projectId !== undefined) {
      if (clientId === undefined) throw new Error('listing a project’s experiments needs clientId');
      return this.c.call('project.experiment.list', { clientId, projectId }, { query: q }, opts);
    }
    if (clientId !== undefined) return this.c.call('client.experiment.list', { clientId }, { query: q }, opts);
    return this.c.call('experiment.list', {}, { query: q }, opts);
  }
  /** Every matching experiment, page by page. */
  list(
    query: ExperimentListQuery & { readonly clientId?: string; readonly projectId?: string } = {},
    opts?: CallOptions,
  ): AsyncGenerator<Experiment, void, undefined> {
    return iteratePages((q) => this.page({ ...query, ...q }, opts), query);
  }
}

/** A client's projects (docs/api-compatibility.md#projects). */
export class ProjectsResource {
  constructor(
    private readonly c: ClientCaller,
    private readonly clientId: string,
  ) {}

  create(body: ProjectCreate, opts?: CallOptions): Promise<Project> {
    return this.c.call('project.create', { clientId: this.clientId }, { body }, opts);
  }
  get(projectId: string, opts?: CallOptions): Promise<Project> {
    return this.c.call('project.get', { clientId: this.clientId, projectId }, {}, opts);
  }
  update(
    projectId: string,
    body: { readonly name?: string; readonly metadata?: Metadata | null; readonly deleted?: boolean },
    opts?: CallOptions,
  ): Promise<Project> {
    return this.c.call('project.update', { clientId: this.clientId, projectId }, { body }, opts);
  }
  page(
    query: PageQuery & { readonly sort?: 'updated' | 'created'; readonly ascending?: boolean; readonly deleted?: boolean } = {},
    opts?: CallOptions,
  ): Promise<Pagination<Project>> {
    return this.c.call('project.list', { clientId: this.clientId }, { query }, opts);
  }
  list(
    query: PageQuery & { readonly sort?: 'updated' | 'created'; readonly ascending?: boolean; readonly deleted?: boolean } = {},
    opts?: CallOptions,
  ): AsyncGenerator<Project, void, undefined> {
    return iteratePages((q) => this.page({ ...query, ...q }, opts), query);
  }
}

/** Tokens, sessions and the account objects (docs/api-compatibility.md#account-endpoints, §3.11). */
export class AccountResource {
  constructor(private readonly c: ClientCaller) {}

  /** The calling token. */
  tokenSelf(opts?: CallOptions): Promise<Token> {
    return this.c.call('token.self', {}, {}, opts);
  }
  token(value: string, opts?: CallOptions): Promise<Token> {
    return this.c.call('token.get', { token: value }, {}, opts);
  }
  updateToken(
    value: string,
    body: { readonly token?: 'rotate'; readonly expires?: 'renew'; readonly lasts_forever?: boolean },
    opts?: CallOptions,
  ): Promise<Token> {
    return this.c.call('token.update', { token: value }, { body }, opts);
  }
  async deleteToken(value: string, opts?: CallOptions): Promise<void> {
    await this.c.call('token.delete', { token: value }, {}, opts);
  }
  clientTokens(clientId: string, opts?: CallOptions): Promise<Pagination<Token>> {
    return this.c.call('client.tokens.list', { clientId }, {}, opts);
  }
  session(opts?: CallOptions): Promise<Session> {
    return this.c.call('session.get', {}, {}, opts);
  }
  client(id: string, opts?: CallOptions): Promise<Client> {
    return this.c.call('client.get', { id }, {}, opts);
  }
  organization(id: string, opts?: CallOptions): Promise<Organization> {
    return this.c.call('organization.get', { id }, {}, opts);
  }
  user(id: string, opts?: CallOptions): Promise<User> {
    return this.c.call('user.get', { id }, {}, opts);
  }
}

/**
 * The typed Sextant (SigOpt v1) client:
 *
 * ```ts
 * const sx = new SextantClient({ url: 'http://127.0.0.1:8080', token });
 * const exp = await sx.experiments.create({ name: 'demo', parameters: [...], observation_budget: 20 });
 * for await (const s of sx.experiment(exp.id).loop()) await s.report(evaluate(s.assignments));
 * ```
 *
 * Every method takes {@link CallOptions} (AbortSignal, per-attempt timeout, retry settings).
 */
export class SextantClient implements ClientCaller {
  readonly transport: HttpTransport;
  readonly experiments: ExperimentsResource;
  readonly account: AccountResource;
  readonly admin: AdminResource;

  constructor(opts: TransportOptions) {
    this.transport = new HttpTransport(opts);
    this.experiments = new ExperimentsResource(this);
    this.account = new AccountResource(this);
    this.admin = new AdminResource(this);
  }

  /** The server root this client talks to. */
  get url(): string {
    return this.transport.url;
  }

  /** One experiment and its suggestions, observations, best assignments and loop. */
  experiment(id: string): ExperimentHandle {
    return new ExperimentHandle(this, id);
  }

  /** The projects of a client (team). */
  projects(clientId: string): ProjectsResource {
    return new ProjectsResource(this, clientId);
  }

  /** Calls a route of {@link CLIENT_ROUTES} by name (the resources' single way out). */
  call<T>(
    route: ClientRouteName,
    params: Readonly<Record<string, string>>,
    request: { readonly query?: object; readonly body?: unknown },
    opts: CallOptions = {},
    resendCheck?: ResendCheck<T>,
  ): Promise<T> {
    const [method, template] = CLIENT_ROUTES[route];
    const path = template.replace(/\{(\w+)(?::str)?\}/g, (_, key: string) => {
      const value = params[key];
      if (value === undefined) throw new Error(`route ${route}: missing path parameter ${key}`);
      return encodeURIComponent(value);
    });
    return this.transport.send<T>(
      {
        method,
        path,
        ...(request.query ? { query: request.query as QueryObject } : {}),
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
      opts,
      resendCheck,
    );
  }
}
