import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { ExperimentRecord, QueuedSuggestionRecord, SuggestionRecord } from '../../store/ports/records.ts';
import { validateQueuedSuggestionCreate, validateSuggestionCreate, validateSuggestionUpdate } from '../validation/index.ts';
import type { Page, PageRequest } from '../../store/store.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId, isValidId, loadExperiment, loadExperimentForLoop } from './load-experiment.ts';
import { SuggestionGenerator } from './suggestion-generator.ts';

/** A suggestion or queued suggestion together with its experiment (rendering needs the spec). */
export interface InExperiment<T> {
  readonly experiment: ExperimentRecord;
  readonly item: T;
}

/**
 * Suggestions and queued suggestions of an experiment (docs/api-compatibility.md#suggestions, docs/api-compatibility.md#queued-suggestions,
 * docs/api-compatibility.md#suggestion-policy).
 */
export class SuggestionService {
  private readonly generator: SuggestionGenerator;

  constructor(private readonly deps: DomainDeps) {
    this.generator = new SuggestionGenerator(deps);
  }

  async create(p: Principal, experimentId: string, body: Record<string, unknown>): Promise<InExperiment<SuggestionRecord>> {
    const { store, clock, lock } = this.deps;
    const experiment = await loadExperimentForLoop(this.deps.snapshots, p, experimentId);
    if (experiment.state === 'deleted') throw apiError('SUGGESTION_ON_DELETED_EXPERIMENT', { id: experiment.id });
    const input = validateSuggestionCreate(body, experiment.spec);
    if (input.assignments !== null) {
      const item = await store.suggestions.create({
        experimentId: experiment.id,
        assignments: input.assignments,
        task: input.task,
        created: clock.now(),
        metadata: input.metadata,
        source: 'explicit',
      });
      return { experiment, item };
    }
    // One generation at a time per experiment: concurrent requests never get the same point.
    const item = await lock.run(`suggest:${experiment.id}`, async () => {
      const point = await this.generator.generate(experiment, clock.nowMs());
      return store.suggestions.create({
        experimentId: experiment.id,
        assignments: point.assignments,
        task: point.task,
        created: clock.now(),
        metadata: input.metadata,
        source: point.source,
      });
    });
    return { experiment, item };
  }

  async list(
    p: Principal,
    experimentId: string,
    q: { readonly state?: string; readonly deleted?: boolean; readonly ids?: readonly string[] },
    page: PageRequest,
  ): Promise<InExperiment<Page<SuggestionRecord>>> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'read');
    if (q.state !== undefined && q.state !== 'open') throw apiError('INVALID_SUGGESTION_STATE', { state: q.state });
    const ids = q.ids?.filter(isValidId);
    const item = await this.deps.store.suggestions.list(
      experiment.id,
      { deleted: q.deleted ?? false, ...(q.state === 'open' ? { state: 'open' as const } : {}), ...(ids ? { ids } : {}) },
      page,
    );
    return { experiment, item };
  }

  async get(p: Principal, experimentId: string, id: string): Promise<InExperiment<SuggestionRecord>> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'read');
    const item = await this.deps.store.suggestions.get(experiment.id, checkId(id));
    if (!item) throw apiError('NOT_FOUND');
    return { experiment, item };
  }

  async update(p: Principal, experimentId: string, id: string, body: Record<string, unknown>): Promise<InExperiment<SuggestionRecord>> {
    const { store } = this.deps;
    const experiment = await loadExperiment(store, p, experimentId, 'write');
    const current = await store.suggestions.get(experiment.id, checkId(id));
    if (!current) throw apiError('NOT_FOUND');
    const patch = validateSuggestionUpdate(body);
    const item = patch.metadata === undefined ? current : await store.suggestions.updateMetadata(experiment.id, current.id, patch.metadata);
    if (!item) throw apiError('NOT_FOUND');
    return { experiment, item };
  }

  async delete(p: Principal, experimentId: string, id: string): Promise<void> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'write');
    if (!(await this.deps.store.suggestions.delete(experiment.id, checkId(id)))) throw apiError('NOT_FOUND');
  }

  async deleteAll(p: Principal, experimentId: string, state: string | undefined): Promise<void> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'write');
    if (state !== undefined && state !== 'open') throw apiError('INVALID_SUGGESTION_STATE', { state });
    await this.deps.store.suggestions.deleteAll(experiment.id, { onlyOpen: state === 'open' });
  }

  async createQueued(p: Principal, experimentId: string, body: Record<string, unknown>): Promise<InExperiment<QueuedSuggestionRecord>> {
    const { store, clock } = this.deps;
    const experiment = await loadExperiment(store, p, experimentId, 'write');
    if (experiment.state === 'deleted') throw apiError('QUEUED_SUGGESTION_ON_DELETED_EXPERIMENT', { id: experiment.id });
    const input = validateQueuedSuggestionCreate(body, experiment.spec);
    const item = await store.queuedSuggestions.create({
      experimentId: experiment.id,
      assignments: input.assignments,
      task: input.task,
      created: clock.now(),
    });
    await this.deps.queueHint.markNonEmpty(experiment.id);
    return { experiment, item };
  }

  async listQueued(p: Principal, experimentId: string, page: PageRequest): Promise<InExperiment<Page<QueuedSuggestionRecord>>> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'read');
    return { experiment, item: await this.deps.store.queuedSuggestions.list(experiment.id, page) };
  }

  async getQueued(p: Principal, experimentId: string, id: string): Promise<InExperiment<QueuedSuggestionRecord>> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'read');
    const item = await this.deps.store.queuedSuggestions.get(experiment.id, checkId(id));
    if (!item) throw apiError('NOT_FOUND');
    return { experiment, item };
  }

  async deleteQueued(p: Principal, experimentId: string, id: string): Promise<void> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'write');
    if (!(await this.deps.store.queuedSuggestions.delete(experiment.id, checkId(id)))) throw apiError('NOT_FOUND');
  }
}
