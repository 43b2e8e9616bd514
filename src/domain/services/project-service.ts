import { requireClient } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { ProjectRecord } from '../../store/ports/records.ts';
import { validateProjectCreate, validateProjectUpdate } from '../validation/index.ts';
import { DuplicateKeyError } from '../../store/duplicate-key-error.ts';
import type { Page, PageRequest } from '../../store/store.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId } from './load-experiment.ts';

/** A project with its experiment count (rendering needs both). */
export interface ProjectView {
  readonly project: ProjectRecord;
  readonly experimentCount: number;
  /** Non-deleted training runs in the project. */
  readonly trainingRunCount: number;
}

/** Projects of a client (docs/api-compatibility.md#projects). */
export class ProjectService {
  constructor(private readonly deps: DomainDeps) {}

  async create(p: Principal, clientId: string, body: Record<string, unknown>): Promise<ProjectView> {
    const { store, clock } = this.deps;
    requireClient(p, checkId(clientId), 'write');
    const input = validateProjectCreate(body);
    const now = clock.now();
    try {
      const project = await store.projects.create({
        clientId,
        id: input.id,
        name: input.name,
        userId: p.userId,
        created: now,
        updated: now,
        metadata: input.metadata,
      });
      return { project, experimentCount: 0, trainingRunCount: 0 };
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw apiError('PROJECT_ID_EXISTS', { id: input.id });
      throw err;
    }
  }

  async get(p: Principal, clientId: string, projectId: string): Promise<ProjectView> {
    requireClient(p, checkId(clientId), 'read');
    const project = await this.deps.store.projects.get(clientId, projectId);
    if (!project) throw apiError('NOT_FOUND');
    return this.withCounts(clientId, project);
  }

  async list(
    p: Principal,
    clientId: string,
    q: { readonly sort?: string; readonly user?: number; readonly deleted?: boolean },
    page: PageRequest,
  ): Promise<Page<ProjectView>> {
    const { store } = this.deps;
    requireClient(p, checkId(clientId), 'read');
    const sort = q.sort ?? 'updated';
    if (sort !== 'updated' && sort !== 'created') throw apiError('INVALID_SORT', { sort });
    const result = await store.projects.list(
      clientId,
      { ...(q.user !== undefined ? { userId: String(q.user) } : {}), deleted: q.deleted ?? false },
      sort,
      page,
    );
    const ids = result.items.map((x) => x.id);
    const [counts, runs] = await Promise.all([store.projects.experimentCounts(clientId, ids), store.trainingRuns.projectCounts(clientId, ids)]);
    return {
      ...result,
      items: result.items.map((project) => ({ project, experimentCount: counts.get(project.id) ?? 0, trainingRunCount: runs.get(project.id) ?? 0 })),
    };
  }

  async update(p: Principal, clientId: string, projectId: string, body: Record<string, unknown>): Promise<ProjectView> {
    const { store, clock } = this.deps;
    requireClient(p, checkId(clientId), 'read');
    const current = await store.projects.get(clientId, projectId);
    if (!current) throw apiError('NOT_FOUND');
    requireClient(p, clientId, 'write');
    const patch = validateProjectUpdate(body);
    const project = await store.projects.update(clientId, projectId, { ...patch, updated: clock.now() });
    if (!project) throw apiError('NOT_FOUND');
    return this.withCounts(clientId, project);
  }

  private async withCounts(clientId: string, project: ProjectRecord): Promise<ProjectView> {
    const { store } = this.deps;
    const [counts, runs] = await Promise.all([store.projects.experimentCounts(clientId, [project.id]), store.trainingRuns.projectCounts(clientId, [project.id])]);
    return { project, experimentCount: counts.get(project.id) ?? 0, trainingRunCount: runs.get(project.id) ?? 0 };
  }
}
