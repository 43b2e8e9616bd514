import { requireClient } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import { bestAssignments } from '../experiments/best-assignments.ts';
import type { ExperimentRecord, TrainingRunData } from '../../store/ports/records.ts';
import type { Page, PageRequest, RunCounts } from '../../store/store.ts';
import { applyRunData, EMPTY_RUN_DATA, validateTrainingRunBody } from '../validation/training-run.ts';
import { isObject } from '../validation/index.ts';
import { unknownKeys } from '../validation/schema.ts';
import type { DomainDeps } from './domain-deps.ts';
import type { ExperimentListQuery, ExperimentService } from './experiment-service.ts';
import { checkId, loadExperiment } from './load-experiment.ts';
import type { RunCompletion } from './run-completion.ts';
import type { SuggestionService } from './suggestion-service.ts';
import type { RunView, TrainingRunService } from './training-run-service.ts';

/** An AI experiment with its run progress (rendering needs both). */
export interface AiExperimentView {
  readonly experiment: ExperimentRecord;
  readonly runs: RunCounts;
}

/** Keys of the classic create body that an AI experiment takes from elsewhere (URL, fixed). */
const NOT_IN_AI_BODY = ['project', 'runs_only', 'tasks'];

/**
 * AI experiments: runs-only experiments addressed as `/aiexperiments` (the python client's
 * `sigopt.create_experiment` / `experiment.loop()` flow). They are ordinary experiment rows with
 * `runs_only` set, so every rule of experiments applies; the budget is called `budget` and the
 * progress counts runs. A run created in one takes its assignments from the same suggestion path
 * as `POST /experiments/{id}/suggestions`.
 */
export class AiExperimentService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly experiments: ExperimentService,
    private readonly suggestions: SuggestionService,
    private readonly runs: TrainingRunService,
    private readonly completion: RunCompletion,
  ) {}

  async create(p: Principal, clientId: string, projectId: string, body: Record<string, unknown>): Promise<AiExperimentView> {
    requireClient(p, checkId(clientId), 'read');
    const project = await this.deps.store.projects.get(clientId, projectId);
    if (!project) throw apiError('NOT_FOUND');
    requireClient(p, clientId, 'write');
    const extra = Object.keys(body).filter((k) => NOT_IN_AI_BODY.includes(k));
    if (extra.length > 0) throw unknownKeys(extra, body);
    const metrics = body.metrics;
    if (!Array.isArray(metrics) || metrics.length === 0) throw apiError('AI_EXPERIMENT_NO_METRICS');
    for (const m of metrics) {
      if (typeof m !== 'string' && !(isObject(m) && typeof m.name === 'string')) throw apiError('AI_METRIC_NAME_REQUIRED');
    }
    const { experiment } = await this.experiments.create(p, clientId, { ...body, project: projectId, runs_only: true });
    return { experiment, runs: { active: 0, finished: 0 } };
  }

  async get(p: Principal, id: string): Promise<AiExperimentView> {
    return this.view(await this.load(p, id, 'read'));
  }

  async list(
    p: Principal,
    scope: { readonly kind: 'token' } | { readonly kind: 'project'; readonly clientId: string; readonly projectId: string },
    q: ExperimentListQuery,
    page: PageRequest,
  ): Promise<Page<AiExperimentView>> {
    const listed = await this.experiments.list(
      p,
      scope.kind === 'token' ? { kind: 'token' } : { kind: 'client', clientId: scope.clientId, projectId: scope.projectId },
      { ...q, includeAi: true },
      page,
      { onlyRunsOnly: true },
    );
    return { ...listed, items: await Promise.all(listed.items.map((v) => this.view(v.experiment))) };
  }

  async update(p: Principal, id: string, body: Record<string, unknown>): Promise<AiExperimentView> {
    await this.load(p, id, 'read');
    const { experiment } = await this.experiments.update(p, id, body);
    return this.view(experiment);
  }

  /** Archive; with `include_runs` its runs are archived too. */
  async delete(p: Principal, id: string, includeRuns: boolean): Promise<void> {
    const experiment = await this.load(p, id, 'write');
    await this.experiments.delete(p, experiment.id);
    if (includeRuns) await this.deps.store.trainingRuns.setDeletedByExperiment(experiment.id, true, this.deps.clock.now());
  }

  /**
   * `POST /aiexperiments/{id}/training_runs`: a new run with the experiment's next suggestion (the
   * queued one first, then the model's), or with the assignments it brings (an explicit
   * suggestion). A run created already completed or failed records its observation at once.
   */
  async createRun(p: Principal, id: string, body: Record<string, unknown>): Promise<RunView> {
    const { store, clock } = this.deps;
    const experiment = await this.load(p, id, 'write');
    if (experiment.state === 'deleted') throw apiError('RUN_ON_DELETED_EXPERIMENT', { id: experiment.id });
    if (experiment.projectId === null) {
      throw apiError('RUN_NEEDS_PROJECT', { id: experiment.id });
    }
    const input = validateTrainingRunBody(body, { create: true });
    const data = applyRunData(EMPTY_RUN_DATA, input.data, false);
    await this.completion.checkValues({ experimentId: experiment.id }, data, experiment);
    const state = input.state ?? 'active';
    const names = new Set([
      ...experiment.spec.parameters.filter((x) => !x.deleted).map((x) => x.name),
      ...experiment.spec.conditionals.map((c) => c.name),
    ]);
    const given = Object.fromEntries(Object.entries(data.assignments).filter(([k]) => names.has(k)));
    let suggestionId: string | null = null;
    let observationId: string | null = null;
    let assignments: Record<string, string | number> = { ...data.assignments };
    if (state !== 'active') {
      observationId = await this.completion.recordAt(p, experiment, given, state, data);
    } else {
      const { item } = await this.suggestions.create(p, experiment.id, Object.keys(given).length > 0 ? { assignments: given } : {});
      suggestionId = item.id;
      assignments = { ...assignments, ...item.assignments };
    }
    const now = clock.now();
    const run = await store.trainingRuns.create({
      clientId: experiment.clientId,
      projectId: experiment.projectId,
      experimentId: experiment.id,
      suggestionId,
      observationId,
      userId: p.userId,
      state,
      deleted: false,
      created: now,
      updated: now,
      completed: state === 'active' ? null : now,
      data: { ...data, assignments } as TrainingRunData,
    });
    await store.experiments.touch(experiment.id, now);
    return { run, checkpointCount: 0, fileIds: [] };
  }

  /** The runs that recorded the experiment's best observations (same rule as best assignments), best first. */
  async bestRuns(p: Principal, id: string): Promise<RunView[]> {
    const { store } = this.deps;
    const experiment = await this.load(p, id, 'read');
    const best = bestAssignments(experiment.spec, await store.observations.listLive(experiment.id));
    const runs = await store.trainingRuns.byObservations(
      experiment.id,
      best.map((o) => o.id),
    );
    const byObservation = new Map(runs.map((r) => [r.observationId, r]));
    const ordered = best.map((o) => byObservation.get(o.id)).filter((r) => r !== undefined);
    return Promise.all(ordered.map((r) => this.runs.view(r)));
  }

  async view(experiment: ExperimentRecord): Promise<AiExperimentView> {
    return { experiment, runs: await this.deps.store.trainingRuns.countsByExperiment(experiment.id) };
  }

  /** An AI experiment the caller may read (or write); classic experiments are not AI experiments (404). */
  private async load(p: Principal, id: string, needed: 'read' | 'write'): Promise<ExperimentRecord> {
    const experiment = await loadExperiment(this.deps.store, p, id, needed);
    if (!experiment.runsOnly) throw apiError('NOT_FOUND');
    return experiment;
  }
}
