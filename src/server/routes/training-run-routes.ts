import type { RunScope, RunView } from '../../domain/services/training-run-service.ts';
import { route, type RouteContext, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest, unpagedBody } from '../http/paging.ts';
import { MAX_RUN_FILE_BYTES } from '../../domain/services/run-file-service.ts';
import { renderCheckpoint, renderRunFile, renderTrainingRun } from '../render/training-run.ts';
import type { Services } from './services.ts';

const render = (v: RunView) => renderTrainingRun(v.run, v.checkpointCount, v.fileIds);

function listQuery(c: RouteContext): { deleted?: boolean; filters?: string } {
  const deleted = c.query.bool('deleted');
  const filters = c.query.string('filters');
  return { ...(deleted !== undefined ? { deleted } : {}), ...(filters !== undefined ? { filters } : {}) };
}

/** Training run routes (issue 12): project, client and organization lists, detail, PUT/MERGE, delete, checkpoints. */
export function trainingRunRoutes(s: Services, opts: { readonly batchBodyLimit: number }): RouteDef[] {
  const common = { allowDevelopment: true } as const;
  const project = '/v1/clients/{clientId}/projects/{projectId:str}/training_runs';
  const list =
    <P extends string>(scope: (c: RouteContext<P>) => RunScope) =>
    async (c: RouteContext<P>) =>
    paginationBody(await s.trainingRuns.list(c.principal, scope(c), listQuery(c), parsePageRequest(c.query)), render);
  return [
    route({
      ...common,
      method: 'POST',
      path: project,
      name: 'training_run.create',
      handler: async (c) =>
        render(await s.trainingRuns.createInProject(c.principal, c.params.clientId, c.params.projectId, c.body)),
    }),
    route({
      ...common,
      method: 'POST',
      path: `${project}/batch`,
      name: 'training_run.create_batch',
      // Batches share the observation batch's body limit (http.batch_body_limit_bytes).
      bodyLimit: opts.batchBodyLimit,
      handler: async (c) =>
        unpagedBody((await s.trainingRuns.createBatch(c.principal, c.params.clientId, c.params.projectId, c.body)).map(render)),
    }),
    route({
      ...common,
      method: 'GET',
      path: project,
      name: 'training_run.list',
      handler: list((c) => ({ kind: 'project', clientId: c.params.clientId, projectId: c.params.projectId })),
    }),
    route({
      ...common,
      method: 'GET',
      path: '/v1/clients/{clientId}/training_runs',
      name: 'training_run.list',
      handler: list((c) => ({ kind: 'client', clientId: c.params.clientId })),
    }),
    route({
      ...common,
      method: 'GET',
      path: '/v1/organizations/{organizationId}/training_runs',
      name: 'training_run.list',
      handler: list((c) => ({ kind: 'organization', organizationId: c.params.organizationId })),
    }),
    route({
      ...common,
      method: 'GET',
      path: '/v1/training_runs/{id}',
      name: 'training_run.get',
      handler: async (c) => render(await s.trainingRuns.get(c.principal, c.params.id)),
    }),
    route({
      ...common,
      method: 'PUT',
      path: '/v1/training_runs/{id}',
      name: 'training_run.update',
      handler: async (c) => render(await s.trainingRuns.update(c.principal, c.params.id, c.body, false)),
    }),
    route({
      ...common,
      method: 'MERGE',
      path: '/v1/training_runs/{id}',
      name: 'training_run.merge',
      handler: async (c) => render(await s.trainingRuns.update(c.principal, c.params.id, c.body, true)),
    }),
    route({
      ...common,
      method: 'DELETE',
      path: '/v1/training_runs/{id}',
      name: 'training_run.delete',
      handler: async (c) => s.trainingRuns.delete(c.principal, c.params.id),
    }),
    route({
      ...common,
      method: 'POST',
      path: '/v1/training_runs/{id}/checkpoints',
      name: 'training_run.checkpoint.create',
      handler: async (c) => renderCheckpoint(await s.trainingRuns.createCheckpoint(c.principal, c.params.id, c.body)),
    }),
    route({
      ...common,
      method: 'GET',
      path: '/v1/training_runs/{id}/checkpoints',
      name: 'training_run.checkpoint.list',
      handler: async (c) =>
        paginationBody(await s.trainingRuns.listCheckpoints(c.principal, c.params.id, parsePageRequest(c.query)), renderCheckpoint),
    }),
    route({
      ...common,
      method: 'POST',
      path: '/v1/training_runs/{id}/files',
      name: 'training_run.file.create',
      handler: async (c) => {
        const { file, token } = await s.runFiles.declare(c.principal, c.params.id, c.body);
        return renderRunFile(file, `${baseUrl(c)}/v1/files/${file.id}/upload?token=${token}`);
      },
    }),
    route({
      // The upload link: no API token (the python client PUTs with only the given headers).
      auth: 'none',
      rawBody: true,
      bodyLimit: MAX_RUN_FILE_BYTES,
      method: 'PUT',
      path: '/v1/files/{id}/upload',
      name: 'file.upload',
      handler: async (c) => s.runFiles.upload(c.params.id, c.query.string('token'), c.rawBody),
    }),
  ];
}

/** This server as the client reached it (the upload link must point back here). */
function baseUrl(c: RouteContext): string {
  const proto =
    String(c.headers['x-forwarded-proto'] ?? 'http')
      .split(',')[0]
      ?.trim() || 'http';
  return `${proto}://${c.headers.host ?? '127.0.0.1'}`;
}
