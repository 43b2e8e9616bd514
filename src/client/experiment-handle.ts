import type {
  BestAssignments,
  Experiment,
  ExperimentUpdate,
  MetricImportances,
  Observation,
  ObservationCreate,
  PageQuery,
  Pagination,
  QueuedSuggestion,
  StoppingCriteria,
  Suggestion,
  SuggestionCreate,
  Token,
  Metadata,
  Assignments,
} from './api-types.ts';
import { SextantLostAnswerError } from './api-error.ts';
import type { ClientCaller } from './client-caller.ts';
import { experimentLoop, type LoopOptions, type LoopSuggestion } from './experiment-loop.ts';
import type { CallOptions, ResendCheck } from './http-transport.ts';
import { findObservationOfSuggestion, LOST_CHECK_PAGE_SIZE } from './lost-observation.ts';
import { iteratePages } from './page-iterator.ts';

/** Query of the suggestion list (docs/api-compatibility.md#suggestions). */
export interface SuggestionListQuery extends PageQuery {
  readonly state?: 'open';
  readonly deleted?: boolean;
  readonly id?: readonly string[];
}

/** Query of the observation list (docs/api-compatibility.md#observations). */
export interface ObservationListQuery extends PageQuery {
  readonly deleted?: boolean;
  readonly sort?: string;
  readonly ascending?: boolean;
}

/** An experiment's suggestions (docs/api-compatibility.md#suggestions). */
export class SuggestionsResource {
  constructor(
    private readonly c: ClientCaller,
    private readonly id: string,
  ) {}

  /** A new open suggestion: the model's, or explicit `assignments`. */
  create(body: SuggestionCreate = {}, opts?: CallOptions): Promise<Suggestion> {
    return this.c.call('suggestion.create', { id: this.id }, { body }, opts);
  }
  get(sid: string, opts?: CallOptions): Promise<Suggestion> {
    return this.c.call('suggestion.get', { id: this.id, sid }, {}, opts);
  }
  /** Replaces the metadata (null clears). */
  update(sid: string, body: { readonly metadata: Metadata | null }, opts?: CallOptions): Promise<Suggestion> {
    return this.c.call('suggestion.update', { id: this.id, sid }, { body }, opts);
  }
  async delete(sid: string, opts?: CallOptions): Promise<void> {
    await this.c.call('suggestion.delete', { id: this.id, sid }, {}, opts);
  }
  /** Deletes every suggestion, or only the open ones with `{state: 'open'}`. */
  async deleteAll(query: { readonly state?: 'open' } = {}, opts?: CallOptions): Promise<void> {
    await this.c.call('suggestion.delete_all', { id: this.id }, { query }, opts);
  }
  page(query: SuggestionListQuery = {}, opts?: CallOptions): Promise<Pagination<Suggestion>> {
    return this.c.call('suggestion.list', { id: this.id }, { query }, opts);
  }
  /** Every suggestion, newest first, fetched page by page. */
  list(query: SuggestionListQuery = {}, opts?: CallOptions): AsyncGenerator<Suggestion, void, undefined> {
    return iteratePages((q) => this.page({ ...query, ...q }, opts), query);
  }
}

/** An experiment's queued suggestions (docs/api-compatibility.md#queued-suggestions). */
export class QueuedSuggestionsResource {
  constructor(
    private readonly c: ClientCaller,
    private readonly id: string,
  ) {}

  create(body: { readonly assignments: Readonly<Assignments>; readonly task?: string }, opts?: CallOptions): Promise<QueuedSuggestion> {
    return this.c.call('queued_suggestion.create', { id: this.id }, { body }, opts);
  }
  get(qid: string, opts?: CallOptions): Promise<QueuedSuggestion> {
    return this.c.call('queued_suggestion.get', { id: this.id, qid }, {}, opts);
  }
  async delete(qid: string, opts?: CallOptions): Promise<void> {
    await this.c.call('queued_suggestion.delete', { id: this.id, qid }, {}, opts);
  }
  page(query: PageQuery = {}, opts?: CallOptions): Promise<Pagination<QueuedSuggestion>> {
    return this.c.call('queued_suggestion.list', { id: this.id }, { query }, opts);
  }
  list(query: PageQuery = {}, opts?: CallOptions): AsyncGenerator<QueuedSuggestion, void, undefined> {
    return iteratePages((q) => this.page({ ...query, ...q }, opts), query);
  }
}

/** An experiment's observations (docs/api-compatibility.md#observations). */
export class ObservationsResource {
  constructor(
    private readonly c: ClientCaller,
    private readonly id: string,
  ) {}

  /**
   * Stores an observation. When an attempt's answer is lost, the observation of the same
   * suggestion is looked up before anything is resent (src/client/lost-observation.ts); an
   * observation given by `assignments` cannot be looked up, and a lost answer then throws
   * {@link SextantLostAnswerError} instead of risking a duplicate.
   */
  create(body: ObservationCreate, opts?: CallOptions): Promise<Observation> {
    const suggestion = body.suggestion === undefined ? undefined : String(body.suggestion);
    const check: ResendCheck<Observation> = async (failure) => {
      if (suggestion === undefined) {
        throw new SextantLostAnswerError(
          `the answer to an observation given by assignments was lost (${failure.message}); not resending it, it may be stored`,
          failure.request,
          failure,
        );
      }
      try {
        const stored = await findObservationOfSuggestion(
          (before) => this.page({ limit: LOST_CHECK_PAGE_SIZE, ...(before ? { before } : {}) }, opts),
          suggestion,
        );
        return stored ? { stored } : 'resend';
      } catch (cause) {
        if (opts?.signal?.aborted) throw opts.signal.reason;
        throw new SextantLostAnswerError(
          `the answer to the observation of suggestion ${suggestion} was lost (${failure.message}) and the check whether it was stored failed; not resending it`,
          failure.request,
          cause,
        );
      }
    };
    return this.c.call('observation.create', { id: this.id }, { body }, opts, check);
  }
  /**
   * Stores many observations all-or-nothing (docs/api-compatibility.md#observations). A lost answer is not resent (the batch
   * cannot be looked up as a whole): it throws {@link SextantLostAnswerError}.
   */
  async createBatch(
    body: { readonly observations: readonly ObservationCreate[]; readonly dry_run?: boolean; readonly no_optimize?: boolean },
    opts?: CallOptions,
  ): Promise<Observation[]> {
    const refuse: ResendCheck<Pagination<Observation>> = async (failure) => {
      throw new SextantLostAnswerError(
        `the answer to an observation batch was lost (${failure.message}); not resending it, it may be stored`,
        failure.request,
        failure,
      );
    };
    const page = await this.c.call<Pagination<Observation>>('observation.batch', { id: this.id }, { body }, opts, refuse);
    return page.data;
  }
  get(oid: string, opts?: CallOptions): Promise<Observation> {
    return this.c.call('observation.get', { id: this.id, oid }, {}, opts);
  }
  update(oid: string, body: ObservationCreate, opts?: CallOptions): Promise<Observation> {
    return this.c.call('observation.update', { id: this.id, oid }, { body }, opts);
  }
  async delete(oid: string, query: { readonly no_optimize?: boolean } = {}, opts?: CallOptions): Promise<void> {
    await this.c.call('observation.delete', { id: this.id, oid }, { query }, opts);
  }
  async deleteAll(opts?: CallOptions): Promise<void> {
    await this.c.call('observation.delete_all', { id: this.id }, {}, opts);
  }
  page(query: ObservationListQuery = {}, opts?: CallOptions): Promise<Pagination<Observation>> {
    return this.c.call('observation.list', { id: this.id }, { query }, opts);
  }
  /** Every observation (newest first unless `sort`/`ascending` say otherwise), page by page. */
  list(query: ObservationListQuery = {}, opts?: CallOptions): AsyncGenerator<Observation, void, undefined> {
    return iteratePages((q) => this.page({ ...query, ...q }, opts), query);
  }
}

/** One experiment and everything under it: `client.experiment(id)`. */
export class ExperimentHandle {
  readonly suggestions: SuggestionsResource;
  readonly queuedSuggestions: QueuedSuggestionsResource;
  readonly observations: ObservationsResource;

  constructor(
    private readonly c: ClientCaller,
    /** The experiment id. */
    readonly id: string,
  ) {
    this.suggestions = new SuggestionsResource(c, id);
    this.queuedSuggestions = new QueuedSuggestionsResource(c, id);
    this.observations = new ObservationsResource(c, id);
  }

  get(opts?: CallOptions): Promise<Experiment> {
    return this.c.call('experiment.get', { id: this.id }, {}, opts);
  }
  update(body: ExperimentUpdate, opts?: CallOptions): Promise<Experiment> {
    return this.c.call('experiment.update', { id: this.id }, { body }, opts);
  }
  /** Soft delete (docs/api-compatibility.md#experiments). */
  async delete(opts?: CallOptions): Promise<void> {
    await this.c.call('experiment.delete', { id: this.id }, {}, opts);
  }
  async bestAssignments(opts?: CallOptions): Promise<BestAssignments[]> {
    return (await this.c.call<Pagination<BestAssignments>>('experiment.best_assignments', { id: this.id }, {}, opts)).data;
  }
  stoppingCriteria(opts?: CallOptions): Promise<StoppingCriteria> {
    return this.c.call('experiment.stopping_criteria', { id: this.id }, {}, opts);
  }
  async metricImportances(opts?: CallOptions): Promise<MetricImportances[]> {
    return (await this.c.call<Pagination<MetricImportances>>('experiment.metric_importances', { id: this.id }, {}, opts)).data;
  }
  /** Asks the server to recompute the importances. */
  async recomputeMetricImportances(opts?: CallOptions): Promise<void> {
    await this.c.call('experiment.metric_importances.update', { id: this.id }, { body: {} }, opts);
  }
  async bestPractices(opts?: CallOptions): Promise<string[]> {
    return (await this.c.call<{ violations: string[] }>('experiment.best_practices', { id: this.id }, {}, opts)).violations;
  }
  /** Resets the model state (DELETE …/hyperparameters). */
  async resetHyperparameters(opts?: CallOptions): Promise<void> {
    await this.c.call('experiment.hyperparameters.delete', { id: this.id }, {}, opts);
  }
  /** A read-only guest token for sharing the experiment. */
  createToken(opts?: CallOptions): Promise<Token> {
    return this.c.call('experiment.token.create', { id: this.id }, { body: {} }, opts);
  }

  /**
   * `for await (const s of experiment.loop()) await s.report(f(s.assignments))`: suggestions
   * until the budget is reached (see {@link experimentLoop}).
   */
  loop(opts: LoopOptions = {}): AsyncGenerator<LoopSuggestion, void, undefined> {
    return experimentLoop(
      {
        get: (o) => this.get(o),
        createSuggestion: (o) => this.suggestions.create({}, o),
        createObservation: (body, o) => this.observations.create(body, o),
        deleteSuggestion: (sid, o) => this.suggestions.delete(sid, o),
      },
      opts,
    );
  }
}
