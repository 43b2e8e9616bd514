import type { ProjectView } from '../../domain/services/project-service.ts';
import { route, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest } from '../http/paging.ts';
import { renderProject } from '../render/account.ts';
import type { Services } from './services.ts';

const render = (v: ProjectView) => renderProject(v.project, v.experimentCount, v.trainingRunCount);

/** Project routes (docs/api-compatibility.md#projects). */
export function projectRoutes(s: Services): RouteDef[] {
  const common = { allowDevelopment: true } as const;
  const base = '/v1/clients/{clientId}/projects';
  return [
    route({ ...common, method: 'POST', path: base, name: 'project.create', handler: async (c) => render(await s.projects.create(c.principal, c.params.clientId, c.body)) }),
    route({
      ...common,
      method: 'GET',
      path: base,
      name: 'project.list',
      handler: async (c) => {
        const sort = c.query.string('sort');
        const user = c.query.int('user');
        const deleted = c.query.bool('deleted');
        const page = await s.projects.list(
          c.principal,
          c.params.clientId,
          { ...(sort !== undefined ? { sort } : {}), ...(user !== undefined ? { user } : {}), ...(deleted !== undefined ? { deleted } : {}) },
          parsePageRequest(c.query),
        );
        return paginationBody(page, render);
      },
    }),
    route({
      ...common,
      method: 'GET',
      path: `${base}/{projectId:str}`,
      name: 'project.get',
      handler: async (c) => render(await s.projects.get(c.principal, c.params.clientId, c.params.projectId)),
    }),
    route({
      ...common,
      method: 'PUT',
      path: `${base}/{projectId:str}`,
      name: 'project.update',
      handler: async (c) => render(await s.projects.update(c.principal, c.params.clientId, c.params.projectId, c.body)),
    }),
  ];
}
