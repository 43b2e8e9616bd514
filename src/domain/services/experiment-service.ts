import { readableClientIds, requireClient } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import { EMPTY_PROGRESS, type Progress } from '../experiments/progress.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';
import { validateExperimentCreate, validateExperimentUpdate } from '../validation/index.ts';
import type { ExperimentFilter, Page, PageRequest } from '../../store/store.ts';
import { auditEntry } from './audit-trail.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId, loadExperiment } from './load-experiment.ts';

/** An experiment with what its rendering needs. */
export interface ExperimentView {
  readonly experiment: ExperimentRecord;
  readonly progress: Progress;
}

/** Query of the experiment list routes (docs/api-compatibility.md#experiments), already parsed from the query string. */
export interface ExperimentListQuery {
  readonly state?: string;
  readonly search?: string;
  readonly user?: number;
  readonly periodStart?: number;
  readonly periodEnd?: number;
  readonly development?: boolean;
  readonly includeAi?: boolean;
  readonly sort?: string;
}

/**
 * Where a list is scoped: the token's client, a client in the URL, a project of a client, the
 * experiments a user created (in the clients the caller reads), or an organization's clients.
 */
export type ExperimentScope =
  | { readonly kind: 'token' }
  | { readonly kind: 'client'; readonly clientId: string; readonly projectId?: string }
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'organization'; readonly organizationId: string };

/** Experiments: create, list, fetch, update, soft delete, progress and best assignments. */
export class ExperimentService {
  constructor(private readonly deps: DomainDeps) {}

  /** The client an experiment-family request without a client in the URL acts on. */
  tokenClient(p: Principal, userAgent: string | undefined): string {
    if (p.clientId === null) throw apiError(userAgent?.startsWith('sigopt-python/') ? 'CLIENT_REQUIRED_PYTHON' : 'CLIENT_REQUIRED');
    return p.clientId;
  }

  async create(p: Principal, clientId: string, body: Record<string, unknown>): Promise<ExperimentView> {
    const { store, clock, settings } = this.deps;
    requireClient(p, checkId(clientId), 'write');
    const input = validateExperimentCreate(body, { maxOptimizedMetrics: settings.maxOptimizedMetrics });
    if (input.project !== null) await this.requireProject(clientId, input.project);
    const now = clock.now();
    const write = () =>
      store.transaction(async (tx) => {
        const created = await tx.experiments.create({
          clientId,
          userId: p.userId,
          projectId: input.project,
          name: input.name,
          state: 'active',
          development: p.type === 'client-dev',
          runsOnly: input.runsOnly,
          created: now,
          updated: now,
          metadata: input.metadata,
          spec: input.spec,
        });
        await tx.audit.append(
          auditEntry(p, 'experiment.create', { type: 'experiment', id: created.id }, now, { client: clientId, name: input.name }),
        );
        return created;
      });
    const experiment = await this.deps.counts.record(clientId, write, (created) => ({ created }));
    return { experiment, progress: EMPTY_PROGRESS };
  }

  async get(p: Principal, id: string): Promise<ExperimentView> {
    const experiment = await loadExperiment(this.deps.store, p, id, 'read');
    // SigOpt answered a runs-only experiment's classic detail with a redirect to its AI form.
    if (experiment.runsOnly) {
      const location = `/v1/aiexperiments/${experiment.id}`;
      throw apiError('MOVED_PERMANENTLY', { location }, { location });
    }
    return this.view(experiment);
  }

  async list(
    p: Principal,
    scope: ExperimentScope,
    q: ExperimentListQuery,
    page: PageRequest,
    only: { readonly onlyRunsOnly?: boolean } = {},
  ): Promise<Page<ExperimentView>> {
    const { store } = this.deps;
    let clientIds: string[];
    let userId: string | undefined;
    if (scope.kind === 'token') {
      if (p.clientId === null) throw apiError('CLIENT_REQUIRED');
      clientIds = [p.clientId];
    } else if (scope.kind === 'user') {
      // A user's experiments: only the user themself (docs/api-compatibility.md#account-endpoints "self"), within readable clients.
      userId = checkId(scope.userId);
      if (p.userId !== userId) throw apiError('NOT_FOUND');
      clientIds = readableClientIds(p);
    } else if (scope.kind === 'organization') {
      const org = await store.organizations.get(checkId(scope.organizationId));
      const readable = new Set(readableClientIds(p));
      clientIds = org ? (await store.clients.listByOrganization(org.id)).map((c) => c.id).filter((id) => readable.has(id)) : [];
      if (clientIds.length === 0) throw apiError('NOT_FOUND');
    } else {
      const clientId = checkId(scope.clientId);
      clientIds = [clientId];
      requireClient(p, clientId, 'read');
      if (scope.projectId !== undefined) {
        const project = await store.projects.get(clientId, scope.projectId);
        if (!project) throw apiError('NOT_FOUND');
      }
    }
    const state = q.state ?? 'active';
    if (state !== 'active' && state !== 'deleted' && state !== 'all') {
      throw apiError('INVALID_STATE', { state });
    }
    const sort = q.sort ?? 'id';
    if (sort !== 'id' && sort !== 'recent') throw apiError('INVALID_SORT', { sort });
    if (q.periodStart !== undefined && q.periodStart < 0) throw apiError('INVALID_PERIOD_START', { periodStart: q.periodStart });
    if (q.periodEnd !== undefined && q.periodEnd < 0) throw apiError('INVALID_PERIOD_END', { periodEnd: q.periodEnd });
    if (q.periodStart !== undefined && q.periodEnd !== undefined && q.periodEnd < q.periodStart) {
      throw apiError('PERIOD_INVERTED');
    }
    // User-bound tokens see only their side of the development/production split (docs/api-compatibility.md#token-kinds).
    let development = q.development;
    if (p.type === 'client-dev') development = true;
    else if (p.type === 'client-api' && p.userId !== null) development = false;
    if (clientIds.length === 0) return { items: [], count: 0, before: null, after: null };
    const filter: ExperimentFilter = {
      clientIds,
      state,
      ...(q.search !== undefined && q.search !== '' ? { search: q.search } : {}),
      ...(q.user !== undefined ? { userId: String(q.user) } : {}),
      ...(userId !== undefined ? { userId } : {}),
      ...(q.periodStart !== undefined ? { periodStart: q.periodStart } : {}),
      ...(q.periodEnd !== undefined ? { periodEnd: q.periodEnd } : {}),
      ...(development !== undefined ? { development } : {}),
      ...(scope.kind === 'client' && scope.projectId !== undefined ? { projectId: scope.projectId } : {}),
      includeRunsOnly: q.includeAi ?? false,
      ...(only.onlyRunsOnly ? { onlyRunsOnly: true } : {}),
    };
    // Plain lists take their count from the cached per-client counters.
    const count = await this.deps.counts.count(filter, () => store.experiments.count(filter));
    const result = await store.experiments.list(count === null ? filter : { ...filter, count }, sort, page);
    const items = await Promise.all(result.items.map((e) => this.view(e)));
    return { ...result, items };
  }

  async update(p: Principal, id: string, body: Record<string, unknown>): Promise<ExperimentView> {
    const { store, clock, settings, candidates } = this.deps;
    const current = await loadExperiment(store, p, id, 'write');
    const patch = validateExperimentUpdate(
      body,
      { spec: current.spec, development: current.development, runsOnly: current.runsOnly },
      {
        maxOptimizedMetrics: settings.maxOptimizedMetrics,
      },
    );
    if (patch.project !== undefined && patch.project !== null) await this.requireProject(current.clientId, patch.project);
    const now = clock.now();
    const write = () =>
      store.transaction(async (tx) => {
        const row = await tx.experiments.update(current.id, {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.state !== undefined ? { state: patch.state } : {}),
          ...(patch.project !== undefined ? { projectId: patch.project } : {}),
          ...(patch.metadata !== undefined ? { metadata: patch.metadata } : {}),
          ...(patch.spec !== undefined ? { spec: patch.spec } : {}),
          updated: Math.max(now, current.updated),
        });
        // The changed fields only (values can be large: parameters, metadata).
        if (row)
          await tx.audit.append(
            auditEntry(p, 'experiment.update', { type: 'experiment', id: row.id }, now, {
              client: row.clientId,
              fields: Object.keys(body).sort(),
            }),
          );
        return row;
      });
    // Restoring a deleted experiment changes which lists count it.
    const updated = await this.deps.counts.record(current.clientId, write, (row) =>
      row && row.state !== current.state ? 'rebuild' : null,
    );
    if (!updated) throw apiError('NOT_FOUND');
    await this.deps.snapshots.changed(updated.id);
    if (patch.resetsModel && !patch.noOptimize) await candidates.reset(updated.id);
    return this.view(updated);
  }

  async delete(p: Principal, id: string): Promise<void> {
    const { store, clock } = this.deps;
    const current = await loadExperiment(store, p, id, 'write');
    if (current.state === 'deleted') return;
    const now = clock.now();
    const write = () =>
      store.transaction(async (tx) => {
        await tx.experiments.update(current.id, { state: 'deleted', updated: Math.max(now, current.updated) });
        await tx.audit.append(
          auditEntry(p, 'experiment.delete', { type: 'experiment', id: current.id }, now, { client: current.clientId }),
        );
      });
    await this.deps.counts.record(current.clientId, write, () => ({ deleted: current }));
    await this.deps.snapshots.changed(current.id);
  }

  /** Rendering data: the progress comes from the cached counters (DESIGN §4), not a scan. */
  async view(experiment: ExperimentRecord): Promise<ExperimentView> {
    return { experiment, progress: await this.deps.progress.progress(experiment) };
  }

  private async requireProject(clientId: string, projectId: string): Promise<void> {
    const project = await this.deps.store.projects.get(clientId, projectId);
    if (!project || project.deleted) throw apiError('PROJECT_DOES_NOT_EXIST', { projectId });
  }
}
