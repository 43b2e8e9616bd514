import type { AiExperimentView } from '../../domain/services/ai-experiment-service.ts';
import { experimentListQuery as listQuery } from '../http/experiment-list-query.ts';
import { route, type RouteContext, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest, unpagedBody } from '../http/paging.ts';
import { renderAiExperiment } from '../render/ai-experiment.ts';
import { renderTrainingRun } from '../render/training-run.ts';
import type { Services } from './services.ts';

const render = (v: AiExperimentView) => renderAiExperiment(v.experiment, v.runs);

/** AI experiment routes (issue 12): the python client's `create_experiment` / `loop()` / `get_best_runs` flow. */
export function aiExperimentRoutes(s: Services): RouteDef[] {
  const exp = { allowDevelopment: true } as const;
  const readable = { ...exp, allowGuest: true } as const;
  const project = '/v1/clients/{clientId}/projects/{projectId:str}/aiexperiments';
  // The AI path and the classic path of sigopt 8.0–8.2 clients serve the same two operations.
  const bestRuns = async (c: RouteContext<'/v1/aiexperiments/{id}'>) =>
    unpagedBody((await s.aiExperiments.bestRuns(c.principal, c.params.id)).map((v) => renderTrainingRun(v.run, v.checkpointCount, v.fileIds)));
  const createRun = async (c: RouteContext<'/v1/aiexperiments/{id}'>) => {
    const v = await s.aiExperiments.createRun(c.principal, c.params.id, c.body);
    return renderTrainingRun(v.run, v.checkpointCount, v.fileIds);
  };
  return [
    route({
      // SigOpt refused development tokens here (AI experiments are production objects).
      method: 'POST',
      path: project,
      name: 'aiexperiment.create',
      handler: async (c) => render(await s.aiExperiments.create(c.principal, c.params.clientId, c.params.projectId, c.body)),
    }),
    route({
      ...exp,
      method: 'GET',
      path: project,
      name: 'aiexperiment.list',
      handler: async (c) =>
        paginationBody(
          await s.aiExperiments.list(
            c.principal,
            { kind: 'project', clientId: c.params.clientId, projectId: c.params.projectId },
            listQuery(c),
            parsePageRequest(c.query),
          ),
          render,
        ),
    }),
    route({
      ...exp,
      method: 'GET',
      path: '/v1/aiexperiments',
      name: 'aiexperiment.list',
      handler: async (c) =>
        paginationBody(await s.aiExperiments.list(c.principal, { kind: 'token' }, listQuery(c), parsePageRequest(c.query)), render),
    }),
    route({
      ...readable,
      method: 'GET',
      path: '/v1/aiexperiments/{id}',
      name: 'aiexperiment.get',
      handler: async (c) => render(await s.aiExperiments.get(c.principal, c.params.id)),
    }),
    route({
      ...exp,
      method: 'PUT',
      path: '/v1/aiexperiments/{id}',
      name: 'aiexperiment.update',
      handler: async (c) => render(await s.aiExperiments.update(c.principal, c.params.id, c.body)),
    }),
    route({
      ...exp,
      method: 'DELETE',
      path: '/v1/aiexperiments/{id}',
      name: 'aiexperiment.delete',
      handler: async (c) => s.aiExperiments.delete(c.principal, c.params.id, c.query.bool('include_runs') ?? false),
    }),
    route({
      ...readable,
      method: 'GET',
      path: '/v1/aiexperiments/{id}/best_training_runs',
      name: 'aiexperiment.best_training_runs',
      handler: bestRuns,
    }),
    // Clients of sigopt 8.0–8.2 made runs-only experiments with POST /clients/{cid}/experiments
    // (`runs_only: true`) and reached their runs through the classic experiment path.
    route({
      ...readable,
      method: 'GET',
      path: '/v1/experiments/{id}/best_training_runs',
      name: 'experiment.best_training_runs',
      handler: bestRuns,
    }),
    route({
      ...exp,
      method: 'POST',
      path: '/v1/experiments/{id}/training_runs',
      name: 'experiment.training_run.create',
      handler: createRun,
    }),
    route({
      ...exp,
      method: 'POST',
      path: '/v1/aiexperiments/{id}/training_runs',
      name: 'aiexperiment.training_run.create',
      handler: createRun,
    }),
  ];
}
