import { readableClientIds, requireClient, requireExperiment } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError, ApiError } from '../errors.ts';
import type { CheckpointRecord, TrainingRunData, TrainingRunRecord } from '../../store/ports/records.ts';
import type { NewTrainingRun, Page, PageRequest, TrainingRunFilter } from '../../store/store.ts';
import {
  applyRunData,
  EMPTY_RUN_DATA,
  MAX_RUN_BATCH,
  validateCheckpointBody,
  validateTrainingRunBody,
  type TrainingRunInput,
} from '../validation/training-run.ts';
import { isObject } from '../validation/index.ts';
import { invalidType, missingKey, rejectUnknownKeys } from '../validation/schema.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId } from './load-experiment.ts';
import type { RunCompletion } from './run-completion.ts';

/** A run with what its rendering needs. */
export interface RunView {
  readonly run: TrainingRunRecord;
  readonly checkpointCount: number;
  /** Ids of the run's files. */
  readonly fileIds: readonly string[];
}

/** Where a run list is scoped (spec of issue 12: project, client and organization lists). */
export type RunScope =
  | { readonly kind: 'project'; readonly clientId: string; readonly projectId: string }
  | { readonly kind: 'client'; readonly clientId: string }
  | { readonly kind: 'organization'; readonly organizationId: string };

/**
 * Training runs: create (alone, in a project, in a batch), fetch, list, update with PUT or MERGE,
 * soft delete and restore, checkpoints. Runs of an AI experiment are created by
 * {@link AiExperimentService}; finishing one records its observation through {@link RunCompletion}.
 */
export class TrainingRunService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly completion: RunCompletion,
  ) {}

  async createInProject(p: Principal, clientId: string, projectId: string, body: Record<string, unknown>): Promise<RunView> {
    await this.writableProject(p, clientId, projectId);
    const run = await this.deps.store.trainingRuns.create(
      this.newRun(p, clientId, projectId, validateTrainingRunBody(body, { create: true })),
    );
    return { run, checkpointCount: 0, fileIds: [] };
  }

  /** `…/training_runs/batch`: `{runs: [...]}` up to 10,000, all or nothing, in request order. */
  async createBatch(p: Principal, clientId: string, projectId: string, body: Record<string, unknown>): Promise<RunView[]> {
    await this.writableProject(p, clientId, projectId);
    rejectUnknownKeys(body, ['runs']);
    const runs = body.runs;
    if (runs === undefined || runs === null) throw missingKey('runs', body);
    if (!Array.isArray(runs)) throw invalidType('runs', runs, 'array');
    if (runs.length > MAX_RUN_BATCH) {
      throw apiError('RUN_BATCH_TOO_LARGE', { max: MAX_RUN_BATCH });
    }
    const inputs = runs.map((raw: unknown, i) => {
      try {
        if (!isObject(raw)) throw invalidType(`.runs[${i}]`, raw, 'object');
        return this.newRun(p, clientId, projectId, validateTrainingRunBody(raw, { create: true }));
      } catch (err) {
        if (err instanceof ApiError) throw err.withPrefix(`Error in training run ${i + 1}/${runs.length}: `);
        throw err;
      }
    });
    const created = await this.deps.store.trainingRuns.createMany(inputs);
    return created.map((run) => ({ run, checkpointCount: 0, fileIds: [] }));
  }

  async get(p: Principal, id: string): Promise<RunView> {
    const run = await this.load(p, id, 'read');
    return this.view(run);
  }

  async list(
    p: Principal,
    scope: RunScope,
    q: { readonly deleted?: boolean; readonly filters?: string },
    page: PageRequest,
  ): Promise<Page<RunView>> {
    const { store } = this.deps;
    let filter: TrainingRunFilter;
    if (scope.kind === 'organization') {
      const org = await store.organizations.get(checkId(scope.organizationId));
      const readable = new Set(readableClientIds(p));
      const clientIds = org ? (await store.clients.listByOrganization(org.id)).map((c) => c.id).filter((id) => readable.has(id)) : [];
      if (clientIds.length === 0) throw apiError('NOT_FOUND');
      filter = { clientIds };
    } else {
      requireClient(p, checkId(scope.clientId), 'read');
      filter = { clientIds: [scope.clientId] };
      if (scope.kind === 'project') {
        const project = await store.projects.get(scope.clientId, scope.projectId);
        if (!project) throw apiError('NOT_FOUND');
        filter = { ...filter, projectId: scope.projectId };
      }
    }
    const experimentId = experimentFilter(q.filters);
    const result = await store.trainingRuns.list(
      { ...filter, deleted: q.deleted ?? false, ...(experimentId !== undefined ? { experimentId } : {}) },
      page,
    );
    return { ...result, items: await Promise.all(result.items.map((run) => this.view(run))) };
  }

  /**
   * PUT (replace the given fields) or MERGE (merge maps key by key, the python client's `log_*`
   * calls). A finished run takes no MERGE: its values already made the observation the optimizer
   * learned from. Reaching `completed` or `failed` records the run's observation once.
   */
  async update(p: Principal, id: string, body: Record<string, unknown>, merge: boolean): Promise<RunView> {
    const { store, clock, lock } = this.deps;
    const input = validateTrainingRunBody(body, { create: false });
    for (const key of ['state', 'name', 'project']) {
      if (input.nulls.has(key)) throw apiError('RUN_FIELD_REQUIRED', { key });
    }
    const initial = await this.load(p, id, 'write');
    // One writer per run: two concurrent completions must not record two observations.
    const run = await lock.run(`run:${initial.id}`, async () => {
      const current = (await store.trainingRuns.get(initial.id)) ?? initial;
      if (merge && current.state !== 'active') {
        throw apiError('MERGE_ON_FINISHED_RUN', { id: current.id, state: current.state });
      }
      const data = applyRunData(current.data, input.data, merge);
      const state = input.state ?? current.state;
      let projectId = current.projectId;
      if (input.project !== undefined && input.project !== current.projectId) {
        const project = await store.projects.get(current.clientId, input.project);
        if (!project || project.deleted) throw apiError('UNKNOWN_RUN_PROJECT', { project: input.project });
        projectId = project.id;
      }
      await this.completion.checkValues(current, data);
      const now = clock.now();
      const finishing = state !== 'active' && current.observationId === null;
      const observationId = finishing ? await this.completion.record(p, current, state, data) : current.observationId;
      return (await store.trainingRuns.update(current.id, {
        data,
        state,
        projectId,
        ...(input.deleted !== undefined ? { deleted: input.deleted } : {}),
        ...(observationId !== current.observationId ? { observationId } : {}),
        ...(state !== 'active' && current.completed === null ? { completed: now } : {}),
        updated: Math.max(now, current.updated),
      })) as TrainingRunRecord;
    });
    return this.view(run);
  }

  /** Soft delete (archive); `PUT {deleted: false}` restores. */
  async delete(p: Principal, id: string): Promise<void> {
    const run = await this.load(p, id, 'write');
    if (!run.deleted)
      await this.deps.store.trainingRuns.update(run.id, { deleted: true, updated: Math.max(this.deps.clock.now(), run.updated) });
  }

  async createCheckpoint(p: Principal, id: string, body: Record<string, unknown>): Promise<CheckpointRecord> {
    const run = await this.load(p, id, 'write');
    const input = validateCheckpointBody(body);
    return this.deps.store.trainingRuns.createCheckpoint({
      trainingRunId: run.id,
      created: this.deps.clock.now(),
      values: input.values.map((v) => ({ name: v.name, value: v.value, valueStddev: null })),
      metadata: input.metadata,
    });
  }

  async listCheckpoints(p: Principal, id: string, page: PageRequest): Promise<Page<CheckpointRecord>> {
    const run = await this.load(p, id, 'read');
    return this.deps.store.trainingRuns.listCheckpoints(run.id, page);
  }

  async view(run: TrainingRunRecord): Promise<RunView> {
    const [checkpointCount, fileIds] = await Promise.all([
      this.deps.store.trainingRuns.checkpointCount(run.id),
      this.deps.store.trainingRuns.fileIds(run.id),
    ]);
    return { run, checkpointCount, fileIds };
  }

  /** A stored run the caller may read (or write): 404 unless readable, like every object (docs/api-compatibility.md#access-rules). */
  async load(p: Principal, id: string, needed: 'read' | 'write'): Promise<TrainingRunRecord> {
    const run = await this.deps.store.trainingRuns.get(checkId(id));
    if (!run) throw apiError('NOT_FOUND');
    if (run.experimentId !== null) {
      // Runs of an AI experiment follow the experiment's rules (development split included).
      requireExperiment(p, (await this.deps.store.experiments.get(run.experimentId)) ?? undefined, needed);
    } else {
      requireClient(p, run.clientId, needed);
    }
    return run;
  }

  private async writableProject(p: Principal, clientId: string, projectId: string): Promise<void> {
    requireClient(p, checkId(clientId), 'read');
    const project = await this.deps.store.projects.get(clientId, projectId);
    if (!project) throw apiError('NOT_FOUND');
    requireClient(p, clientId, 'write');
  }

  private newRun(p: Principal, clientId: string, projectId: string, input: TrainingRunInput): NewTrainingRun {
    const now = this.deps.clock.now();
    const state = input.state ?? 'active';
    return {
      clientId,
      projectId,
      experimentId: null,
      suggestionId: null,
      observationId: null,
      userId: p.userId,
      state,
      deleted: input.deleted ?? false,
      created: now,
      updated: now,
      completed: state === 'active' ? null : now,
      data: applyRunData(EMPTY_RUN_DATA, input.data, false) as TrainingRunData,
    };
  }
}

/**
 * The python client's `get_runs` filter: `[{"field": "experiment", "operator": "==", "value": id}]`.
 * Other filters are refused rather than ignored (a silently ignored filter returns wrong runs).
 */
function experimentFilter(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw apiError('INVALID_FILTERS', { raw });
  }
  if (!Array.isArray(parsed)) throw apiError('INVALID_FILTERS', { raw });
  let experiment: string | undefined;
  for (const f of parsed) {
    if (!isObject(f) || f.field !== 'experiment' || f.operator !== '==' || (typeof f.value !== 'string' && typeof f.value !== 'number')) {
      throw apiError('UNSUPPORTED_FILTER', { filter: JSON.stringify(f) });
    }
    experiment = String(f.value);
  }
  if (experiment !== undefined && !/^\d{1,19}$/.test(experiment)) return '0';
  return experiment;
}
