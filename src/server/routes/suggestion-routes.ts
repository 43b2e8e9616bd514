import { route, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest } from '../http/paging.ts';
import { renderQueuedSuggestion, renderSuggestion } from '../render/suggestion.ts';
import type { Services } from './services.ts';

/** Suggestion and queued-suggestion routes (docs/api-compatibility.md#suggestions, docs/api-compatibility.md#queued-suggestions). */
export function suggestionRoutes(s: Services): RouteDef[] {
  // Guest tokens are scoped to their experiment's endpoints (docs/api-compatibility.md#token-kinds): writes reach the access
  // policy, which answers 403 invalid_permissions (docs/api-compatibility.md#access-rules), rather than a scope error.
  const exp = { allowDevelopment: true, allowGuest: true } as const;
  const readable = exp;
  const base = '/v1/experiments/{id}';
  return [
    route({
      ...exp,
      method: 'POST',
      path: `${base}/suggestions`,
      name: 'suggestion.create',
      handler: async (c) => {
        const { experiment, item } = await s.suggestions.create(c.principal, c.params.id, c.body);
        return renderSuggestion(experiment.spec, item);
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: `${base}/suggestions`,
      name: 'suggestion.list',
      handler: async (c) => {
        const ids = c.query.list('id');
        const state = c.query.string('state');
        const deleted = c.query.bool('deleted');
        const { experiment, item } = await s.suggestions.list(
          c.principal,
          c.params.id,
          { ...(state !== undefined ? { state } : {}), ...(deleted !== undefined ? { deleted } : {}), ...(ids ? { ids } : {}) },
          parsePageRequest(c.query),
        );
        return paginationBody(item, (x) => renderSuggestion(experiment.spec, x));
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: `${base}/suggestions/{sid}`,
      name: 'suggestion.get',
      handler: async (c) => {
        const { experiment, item } = await s.suggestions.get(c.principal, c.params.id, c.params.sid);
        return renderSuggestion(experiment.spec, item);
      },
    }),
    route({
      ...exp,
      method: 'PUT',
      path: `${base}/suggestions/{sid}`,
      name: 'suggestion.update',
      handler: async (c) => {
        const { experiment, item } = await s.suggestions.update(c.principal, c.params.id, c.params.sid, c.body);
        return renderSuggestion(experiment.spec, item);
      },
    }),
    route({
      ...exp,
      method: 'DELETE',
      path: `${base}/suggestions/{sid}`,
      name: 'suggestion.delete',
      handler: async (c) => s.suggestions.delete(c.principal, c.params.id, c.params.sid),
    }),
    route({
      ...exp,
      method: 'DELETE',
      path: `${base}/suggestions`,
      name: 'suggestion.delete_all',
      handler: async (c) => s.suggestions.deleteAll(c.principal, c.params.id, c.query.string('state')),
    }),
    route({
      ...exp,
      method: 'POST',
      path: `${base}/queued_suggestions`,
      name: 'queued_suggestion.create',
      handler: async (c) => {
        const { experiment, item } = await s.suggestions.createQueued(c.principal, c.params.id, c.body);
        return renderQueuedSuggestion(experiment.spec, item);
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: `${base}/queued_suggestions`,
      name: 'queued_suggestion.list',
      handler: async (c) => {
        const { experiment, item } = await s.suggestions.listQueued(c.principal, c.params.id, parsePageRequest(c.query));
        return paginationBody(item, (x) => renderQueuedSuggestion(experiment.spec, x));
      },
    }),
    route({
      ...readable,
      method: 'GET',
      path: `${base}/queued_suggestions/{qid}`,
      name: 'queued_suggestion.get',
      handler: async (c) => {
        const { experiment, item } = await s.suggestions.getQueued(c.principal, c.params.id, c.params.qid);
        return renderQueuedSuggestion(experiment.spec, item);
      },
    }),
    route({
      ...exp,
      method: 'DELETE',
      path: `${base}/queued_suggestions/{qid}`,
      name: 'queued_suggestion.delete',
      handler: async (c) => s.suggestions.deleteQueued(c.principal, c.params.id, c.params.qid),
    }),
  ];
}
