import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { Progress } from '../experiments/progress.ts';
import type { ExperimentRecord, ObservationRecord } from '../../store/ports/records.ts';
import {
  type ObservationInput,
  validateObservationBatch,
  validateObservationCreate,
  validateObservationUpdate,
  withBatchPrefix,
  asBatchItem,
} from '../validation/index.ts';
import type { NewObservation, ObservationSort, Page, PageRequest, Store } from '../../store/store.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId, isValidId, loadExperiment, loadExperimentForLoop } from './load-experiment.ts';
import { inDesignPhase } from '../../optimizer/space/initial-design.ts';
import type { InExperiment } from './suggestion-service.ts';

/** A would-be observation of a dry run: everything but an id. */
export type DraftObservation = Omit<ObservationRecord, 'id'> & { readonly id: string | null };

/** Observations (docs/api-compatibility.md#observations): create, batch, list with sorts, fetch, update, delete. */
export class ObservationService {
  constructor(private readonly deps: DomainDeps) {}

  async create(p: Principal, experimentId: string, body: Record<string, unknown>): Promise<InExperiment<ObservationRecord>> {
    const { store, clock } = this.deps;
    const experiment = await this.writable(p, experimentId);
    const input = validateObservationCreate(body, experiment.spec);
    const now = clock.now();
    // One statement: insert, close the suggestion, touch the experiment (no transaction to hold).
    const { result: item, progress } = await this.deps.progress.record(
      experiment,
      async () => {
        const created = await store.observations.report({
          experimentId: experiment.id,
          suggestionId: input.suggestionId,
          assignments: input.assignments,
          task: input.task,
          values: input.values,
          failed: input.failed,
          created: now,
          metadata: input.metadata,
        });
        if (!created) throw noSuggestion(input.suggestionId, experiment.id);
        return created;
      },
      (created) => ({ created: [created] }),
    );
    if (!input.noOptimize) await this.observationsAdded(experiment, progress);
    return { experiment, item };
  }

  /** All-or-nothing batch (docs/api-compatibility.md#observations, fix F1: item errors are 400s prefixed with their position). */
  async createBatch(p: Principal, experimentId: string, body: Record<string, unknown>): Promise<InExperiment<DraftObservation[]>> {
    const { store, clock, settings } = this.deps;
    const experiment = await this.writable(p, experimentId);
    const batch = validateObservationBatch(body, { maxBatch: settings.maxBatchObservations });
    const n = batch.items.length;
    const inputs = batch.items.map((raw, i) =>
      withBatchPrefix(i, n, () => validateObservationCreate(asBatchItem(raw, i), experiment.spec)),
    );
    const now = clock.now();
    const resolveAll = async (s: Store) => {
      const drafts: NewObservation[] = [];
      for (let i = 0; i < n; i++) {
        const input = inputs[i] as ObservationInput;
        drafts.push(await withBatchPrefixAsync(i, n, () => resolveDraft(s, experiment, input, now)));
      }
      return drafts;
    };
    if (batch.dryRun) {
      const drafts = await resolveAll(store);
      return { experiment, item: drafts.map((d) => ({ ...d, id: null, deleted: false })) };
    }
    const { result: item, progress } = await this.deps.progress.record(
      experiment,
      () =>
        store.transaction(async (tx) => {
          const created = await tx.observations.createMany(await resolveAll(tx));
          const closed = new Set(created.map((o) => o.suggestionId).filter((s): s is string => s !== null));
          for (const sid of closed) await tx.suggestions.close(experiment.id, sid);
          if (created.length > 0) await tx.experiments.touch(experiment.id, now);
          return created;
        }),
      (created) => ({ created }),
    );
    const noOptimize = batch.noOptimize || (inputs.length > 0 && inputs.every((x) => x.noOptimize));
    if (!noOptimize && item.length > 0) await this.observationsAdded(experiment, progress);
    return { experiment, item };
  }

  async list(
    p: Principal,
    experimentId: string,
    q: { readonly deleted?: boolean; readonly sort?: string },
    page: PageRequest,
  ): Promise<InExperiment<Page<ObservationRecord>>> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'read');
    const sort = observationSort(experiment, q.sort ?? 'id');
    const deleted = q.deleted ?? false;
    // The live count is a cached counter: listing does not count the experiment's rows.
    const count = deleted ? undefined : (await this.deps.progress.progress(experiment)).observationCount;
    const item = await this.deps.store.observations.list(experiment.id, { deleted, ...(count !== undefined ? { count } : {}) }, sort, page);
    return { experiment, item };
  }

  async get(p: Principal, experimentId: string, id: string): Promise<InExperiment<ObservationRecord>> {
    const experiment = await loadExperiment(this.deps.store, p, experimentId, 'read');
    const item = await this.deps.store.observations.get(experiment.id, checkId(id));
    if (!item) throw apiError('NOT_FOUND');
    return { experiment, item };
  }

  async update(p: Principal, experimentId: string, id: string, body: Record<string, unknown>): Promise<InExperiment<ObservationRecord>> {
    const { store, clock } = this.deps;
    const experiment = await loadExperiment(store, p, experimentId, 'write');
    const current = await store.observations.get(experiment.id, checkId(id));
    if (!current) throw apiError('NOT_FOUND');
    const patch = validateObservationUpdate(body, experiment.spec, current);
    const now = clock.now();
    const { result: item } = await this.deps.progress.record(
      experiment,
      () =>
        store.transaction(async (tx) => {
          let extra = {};
          if (patch.suggestionId !== undefined && patch.suggestionId !== null) {
            const suggestion = isValidId(patch.suggestionId) ? await tx.suggestions.get(experiment.id, patch.suggestionId) : null;
            if (!suggestion) throw noSuggestion(patch.suggestionId, experiment.id);
            extra = { assignments: suggestion.assignments, task: suggestion.task };
            await tx.suggestions.close(experiment.id, suggestion.id);
          }
          const updated = await tx.observations.update(experiment.id, current.id, { ...patch, ...extra });
          await tx.experiments.touch(experiment.id, now);
          return updated;
        }),
      () => 'rebuild',
    );
    if (!item) throw apiError('NOT_FOUND');
    if (!patch.noOptimize) await this.deps.candidates.observationsRewritten(experiment.id);
    return { experiment, item };
  }

  async delete(p: Principal, experimentId: string, id: string, noOptimize: boolean): Promise<void> {
    const { store, clock } = this.deps;
    const experiment = await loadExperiment(store, p, experimentId, 'write');
    const { result: deleted } = await this.deps.progress.record(
      experiment,
      () => store.observations.delete(experiment.id, checkId(id)),
      () => 'rebuild',
    );
    if (!deleted) throw apiError('NOT_FOUND');
    await store.experiments.touch(experiment.id, clock.now());
    if (!noOptimize) await this.deps.candidates.observationsRewritten(experiment.id);
  }

  async deleteAll(p: Principal, experimentId: string): Promise<void> {
    const { store, clock, candidates } = this.deps;
    const experiment = await loadExperiment(store, p, experimentId, 'write');
    await this.deps.progress.record(
      experiment,
      () => store.observations.deleteAll(experiment.id),
      () => 'rebuild',
    );
    await store.experiments.touch(experiment.id, clock.now());
    await candidates.reset(experiment.id);
  }

  /**
   * New observations make the model's candidates stale — unless the experiment is still well inside
   * its initial design, where no model is asked and a refresh would only burn engine time. (With
   * parallel bandwidth, up to `bandwidth` open suggestions may count towards the design.)
   */
  private async observationsAdded(experiment: ExperimentRecord, after: Progress | null): Promise<void> {
    // The progress the write just produced, else (cache lost) read or rebuilt.
    const { observationCount } = after ?? (await this.deps.progress.progress(experiment));
    if (!inDesignPhase(experiment.spec, observationCount, experiment.spec.parallelBandwidth ?? 1)) {
      await this.deps.candidates.observationsAdded(experiment.id);
    }
  }

  private async writable(p: Principal, experimentId: string): Promise<ExperimentRecord> {
    const experiment = await loadExperimentForLoop(this.deps.snapshots, p, experimentId);
    if (experiment.state === 'deleted') throw apiError('OBSERVATION_ON_DELETED_EXPERIMENT', { id: experiment.id });
    return experiment;
  }
}

/** Rule O11: the referenced suggestion must belong to the experiment. */
function noSuggestion(suggestionId: string | null, experimentId: string): Error {
  return apiError('UNKNOWN_SUGGESTION', { suggestionId, experimentId });
}

/** Fills assignments and task from the referenced suggestion (rule O11). */
async function resolveDraft(store: Store, experiment: ExperimentRecord, input: ObservationInput, now: number): Promise<NewObservation> {
  let assignments = input.assignments;
  let task = input.task;
  if (input.suggestionId !== null) {
    const suggestion = isValidId(input.suggestionId) ? await store.suggestions.get(experiment.id, input.suggestionId) : null;
    if (!suggestion) throw noSuggestion(input.suggestionId, experiment.id);
    assignments = suggestion.assignments;
    task = suggestion.task;
  }
  return {
    experimentId: experiment.id,
    suggestionId: input.suggestionId,
    assignments: assignments ?? {},
    task,
    values: input.values,
    failed: input.failed,
    created: now,
    metadata: input.metadata,
  };
}

async function withBatchPrefixAsync<T>(i: number, n: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    return withBatchPrefix(i, n, () => {
      throw err;
    });
  }
}

/** Resolves SigOpt's observation sort names (docs/api-compatibility.md#observations) for the store. */
function observationSort(experiment: ExperimentRecord, sort: string): ObservationSort {
  const spec = experiment.spec;
  const firstMetric = spec.metrics[0]?.name ?? null;
  const metricNamed = (name: string) => {
    const m = spec.metrics.find((x) => x.name === name);
    if (!m) throw apiError('INVALID_SORT', { sort });
    return m.name;
  };
  if (sort === 'id') return { kind: 'id' };
  if (sort === 'timestamp') return { kind: 'timestamp' };
  if (sort === 'value') return { kind: 'value', metric: firstMetric, field: 'value' };
  if (sort === 'value_stddev') return { kind: 'value', metric: firstMetric, field: 'valueStddev' };
  if (sort.startsWith('value_stddev-')) return { kind: 'value', metric: metricNamed(sort.slice(13)), field: 'valueStddev' };
  if (sort.startsWith('value-')) return { kind: 'value', metric: metricNamed(sort.slice(6)), field: 'value' };
  if (sort.startsWith('parameter-')) {
    const name = sort.slice(10);
    if (!spec.parameters.some((x) => x.name === name && !x.deleted)) throw apiError('UNKNOWN_PARAMETER', { name });
    return { kind: 'parameter', name };
  }
  if (sort === 'task') {
    const optimized = spec.metrics.find((m) => m.strategy === 'optimize')?.name ?? firstMetric;
    return { kind: 'task', taskCosts: Object.fromEntries((spec.tasks ?? []).map((t) => [t.name, t.cost])), metric: optimized };
  }
  throw apiError('INVALID_SORT', { sort });
}
