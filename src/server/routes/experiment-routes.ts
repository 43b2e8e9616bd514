import type { ExperimentView } from '../../domain/services/experiment-service.ts';
import { experimentListQuery as listQuery } from '../http/experiment-list-query.ts';
import { route, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest, unpagedBody } from '../http/paging.ts';
import { renderExperiment } from '../render/experiment.ts';
import { renderBestAssignments } from '../render/observation.ts';
import type { Services } from './services.ts';

const render = (v: ExperimentView) => renderExperiment(v.experiment, v.progress);


/** Experiment routes (docs/api-compatibility.md#route-table: experiments, best assignments, stopping criteria, metric importances). */
export function experimentRoutes(s: Services): RouteDef[] {
  const exp = { allowDevelopment: true } as const;
  const readable = { ...exp, allowGuest: true } as const;
  // Writes to one experiment: in a guest token's scope, refused by the access policy (docs/api-compatibility.md#access-rules).
  const inExperiment = readable;
  return [
    route({
      ...exp,
      method: 'POST',
      path: '/v1/experiments',
      name: 'experiment.create',
      handler: async (c) => render(await s.experiments.create(c.principal, s.experiments.tokenClient(c.principal, c.headers['user-agent']), c.body)),
    }),
    route({
      ...exp,
      method: 'POST',
      path: '/v1/clients/{clientId}/experiments',
      name: 'experiment.create',
      handler: async (c) => render(await s.experiments.create(c.principal, c.params.clientId, c.body)),
    }),
    route({
      ...exp,
      method: 'GET',
      path: '/v1/experiments',
      name: 'experiment.list',
      handler: async (c) => paginationBody(await s.experiments.list(c.principal, { kind: 'token' }, listQuery(c), parsePageRequest(c.query)), render),
    }),
    route({
      ...exp,
      method: 'GET',
      path: '/v1/clients/{clientId}/experiments',
      name: 'experiment.list',
      handler: async (c) =>
        paginationBody(
          await s.experiments.list(c.principal, { kind: 'client', clientId: c.params.clientId }, listQuery(c), parsePageRequest(c.query)),
          render,
        ),
    }),
    route({
      ...exp,
      method: 'GET',
      path: '/v1/clients/{clientId}/projects/{projectId:str}/experiments',
      name: 'experiment.list',
      handler: async (c) =>
        paginationBody(
          await s.experiments.list(
            c.principal,
            { kind: 'client', clientId: c.params.clientId, projectId: c.params.projectId },
            listQuery(c),
            parsePageRequest(c.query),
          ),
          render,
        ),
    }),
    route({
      ...exp,
      method: 'GET',
      path: '/v1/users/{userId}/experiments',
      name: 'experiment.list',
      handler: async (c) =>
        paginationBody(await s.experiments.list(c.principal, { kind: 'user', userId: c.params.userId }, listQuery(c), parsePageRequest(c.query)), render),
    }),
    route({
      ...exp,
      method: 'GET',
      path: '/v1/organizations/{organizationId}/experiments',
      name: 'experiment.list',
      handler: async (c) =>
        paginationBody(
          await s.experiments.list(c.principal, { kind: 'organization', organizationId: c.params.organizationId }, listQuery(c), parsePageRequest(c.query)),
          render,
        ),
    }),
    route({ ...readable, method: 'GET', path: '/v1/experiments/{id}', name: 'experiment.get', handler: async (c) => render(await s.experiments.get(c.principal, c.params.id)) }),
    route({ ...inExperiment, method: 'PUT', path: '/v1/experiments/{id}', name: 'experiment.update', handler: async (c) => render(await s.experiments.update(c.principal, c.params.id, c.body)) }),
    route({ ...inExperiment, method: 'DELETE', path: '/v1/experiments/{id}', name: 'experiment.delete', handler: async (c) => s.experiments.delete(c.principal, c.params.id) }),
    route({
      ...readable,
      method: 'GET',
      path: '/v1/experiments/{id}/best_assignments',
      name: 'experiment.best_assignments',
      handler: async (c) => {
        const { experiment, item } = await s.insights.bestAssignments(c.principal, c.params.id);
        return unpagedBody(item.map((o) => renderBestAssignments(experiment.spec, o)));
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: '/v1/experiments/{id}/stopping_criteria',
      name: 'experiment.stopping_criteria',
      handler: async (c) => {
        const reasons = await s.insights.stoppingCriteria(c.principal, c.params.id);
        return { object: 'stopping_criteria', should_stop: reasons.length > 0, reasons };
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: '/v1/experiments/{id}/metric_importances',
      name: 'experiment.metric_importances',
      handler: async (c) =>
        unpagedBody(
          (await s.insights.metricImportances(c.principal, c.params.id)).map((m) => ({
            object: 'metric_importances',
            metric: m.metric,
            importances: m.importances,
          })),
        ),
    }),
    route({
      ...inExperiment,
      method: 'PUT',
      path: '/v1/experiments/{id}/metric_importances',
      name: 'experiment.metric_importances.update',
      handler: async (c) => s.insights.requestImportances(c.principal, c.params.id),
    }),
    route({
      ...readable,
      method: 'GET',
      path: '/v1/experiments/{id}/best_practices',
      name: 'experiment.best_practices',
      handler: async (c) => ({ object: 'best_practices', violations: await s.insights.bestPractices(c.principal, c.params.id) }),
    }),
    route({
      ...inExperiment,
      method: 'DELETE',
      path: '/v1/experiments/{id}/hyperparameters',
      name: 'experiment.hyperparameters.delete',
      handler: async (c) => s.insights.resetHyperparameters(c.principal, c.params.id),
    }),
  ];
}
