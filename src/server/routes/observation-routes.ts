import { route, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest, unpagedBody } from '../http/paging.ts';
import { renderObservation } from '../render/observation.ts';
import type { Services } from './services.ts';


/** Observation routes (docs/api-compatibility.md#observations). */
export function observationRoutes(s: Services, opts: { readonly batchBodyLimit: number }): RouteDef[] {
  // Guest tokens are scoped to their experiment's endpoints (docs/api-compatibility.md#token-kinds): writes reach the access
  // policy, which answers 403 invalid_permissions (docs/api-compatibility.md#access-rules), rather than a scope error.
  const exp = { allowDevelopment: true, allowGuest: true } as const;
  const readable = exp;
  const base = '/v1/experiments/{id}/observations';
  return [
    route({
      ...exp,
      method: 'POST',
      path: base,
      name: 'observation.create',
      handler: async (c) => {
        const { experiment, item } = await s.observations.create(c.principal, c.params.id, c.body);
        return renderObservation(experiment.spec, item);
      },
    }),
    route({
      ...exp,
      method: 'POST',
      path: `${base}/batch`,
      name: 'observation.batch',
      bodyLimit: opts.batchBodyLimit,
      handler: async (c) => {
        const { experiment, item } = await s.observations.createBatch(c.principal, c.params.id, c.body);
        return unpagedBody(item.map((o) => renderObservation(experiment.spec, o)));
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: base,
      name: 'observation.list',
      handler: async (c) => {
        const deleted = c.query.bool('deleted');
        const sort = c.query.string('sort');
        const { experiment, item } = await s.observations.list(
          c.principal,
          c.params.id,
          { ...(deleted !== undefined ? { deleted } : {}), ...(sort !== undefined ? { sort } : {}) },
          parsePageRequest(c.query),
        );
        return paginationBody(item, (o) => renderObservation(experiment.spec, o));
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: `${base}/{oid}`,
      name: 'observation.get',
      handler: async (c) => {
        const { experiment, item } = await s.observations.get(c.principal, c.params.id, c.params.oid);
        return renderObservation(experiment.spec, item);
      },
    }),
    route({
      ...exp,
      method: 'PUT',
      path: `${base}/{oid}`,
      name: 'observation.update',
      handler: async (c) => {
        const { experiment, item } = await s.observations.update(c.principal, c.params.id, c.params.oid, c.body);
        return renderObservation(experiment.spec, item);
      },
    }),
    route({
      ...exp,
      method: 'DELETE',
      path: `${base}/{oid}`,
      name: 'observation.delete',
      handler: async (c) => s.observations.delete(c.principal, c.params.id, c.params.oid, c.query.bool('no_optimize') ?? false),
    }),
    route({ ...exp, method: 'DELETE', path: base, name: 'observation.delete_all', handler: async (c) => s.observations.deleteAll(c.principal, c.params.id) }),
  ];
}
