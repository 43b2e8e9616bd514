import type { TokenView } from '../../domain/services/account-service.ts';
import { route, type RouteDef } from '../http/route.ts';
import { renderClient, renderOrganization, renderSession, renderToken, renderUser } from '../render/account.ts';
import type { Services } from './services.ts';

/** Account routes the official clients call (docs/api-compatibility.md#account-endpoints, docs/api-compatibility.md#guest-tokens). */
export function accountRoutes(s: Services): RouteDef[] {
  const token = (v: TokenView) => renderToken(v.token, v.value, v.organizationId, s.clock.now());
  return [
    ...['/', '/v1'].map((path): RouteDef => ({
      method: 'GET',
      path,
      allowDevelopment: true,
      allowGuest: true,
      name: 'root',
      handler: async () => ({ message: 'Welcome to the SigOpt API! This server is Sextant, a self-hosted implementation.' }),
    })),
    route({
      method: 'GET',
      path: '/v1/tokens/self',
      allowDevelopment: true,
      allowGuest: true,
      name: 'token.self',
      handler: async (c) => token(await s.accounts.tokenView(c.principal.token, c.principal.value)),
    }),
    route({
      method: 'GET',
      path: '/v1/tokens/{token:str}',
      allowDevelopment: true,
      allowGuest: true,
      name: 'token.get',
      handler: async (c) => token(await s.accounts.getToken(c.principal, c.params.token)),
    }),
    route({
      method: 'GET',
      path: '/v1/sessions',
      allowDevelopment: true,
      name: 'session.get',
      handler: async (c) => renderSession(await s.accounts.session(c.principal, c.query.string('preferred_client_id')), s.clock.now()),
    }),
    route({ method: 'GET', path: '/v1/clients/{id}', name: 'client.get', handler: async (c) => renderClient(await s.accounts.getClient(c.principal, c.params.id)) }),
    route({
      method: 'GET',
      path: '/v1/organizations/{id}',
      name: 'organization.get',
      handler: async (c) => renderOrganization(await s.accounts.getOrganization(c.principal, c.params.id)),
    }),
    route({ method: 'GET', path: '/v1/users/{id}', name: 'user.get', handler: async (c) => renderUser(await s.accounts.getUser(c.principal, c.params.id)) }),
    route({
      method: 'POST',
      path: '/v1/experiments/{id}/tokens',
      name: 'experiment.token.create',
      handler: async (c) => token(await s.accounts.createGuestToken(c.principal, c.params.id)),
    }),
  ];
}
