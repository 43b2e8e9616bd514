import type { ListedToken } from '../../domain/services/token-service.ts';
import { route, type RouteDef } from '../http/route.ts';
import { unpagedBody } from '../http/paging.ts';
import { renderToken } from '../render/account.ts';
import type { Services } from './services.ts';

/** Token operations (docs/api-compatibility.md#token-operations) and a client's tokens (docs/api-compatibility.md#account-endpoints). */
export function tokenRoutes(s: Services): RouteDef[] {
  const listed = (t: ListedToken) => renderToken(t.token, t.value as string, t.organizationId, s.clock.now());
  return [
    route({
      method: 'PUT',
      path: '/v1/tokens/{token:str}',
      name: 'token.update',
      handler: async (c) => {
        const v = await s.tokens.update(c.principal, c.params.token, c.body);
        return renderToken(v.token, v.value, v.organizationId, s.clock.now());
      },
    }),
    route({
      method: 'DELETE',
      path: '/v1/tokens/{token:str}',
      name: 'token.delete',
      handler: async (c) => {
        await s.tokens.delete(c.principal, c.params.token);
        return {};
      },
    }),
    route({
      method: 'GET',
      path: '/v1/clients/{clientId}/tokens',
      name: 'client.tokens.list',
      handler: async (c) => unpagedBody((await s.tokens.listForClient(c.principal, c.params.clientId)).map(listed)),
    }),
  ];
}
