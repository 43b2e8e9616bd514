import { route, type RouteDef } from '../http/route.ts';
import { paginationBody, parsePageRequest } from '../http/paging.ts';
import { renderClient, renderSession, renderUser } from '../render/account.ts';
import type { Services } from './services.ts';

/**
 * Password accounts (docs/api-compatibility.md#account-endpoints "optional" account endpoints; docs/security.md "Passwords"):
 * sign-up, login, a team of one's own and an organization's teams. Rules live in
 * UserAccountService; the address passed along is the socket peer's, for the per-address limits.
 */
export function userAccountRoutes(s: Services): RouteDef[] {
  return [
    route({
      method: 'POST',
      path: '/v1/users',
      auth: 'optional',
      name: 'user.create',
      handler: async (c) => renderUser(await s.userAccounts.signup(c.caller, c.body, c.remoteAddress)),
    }),
    route({
      method: 'POST',
      path: '/v1/sessions',
      auth: 'none',
      name: 'session.create',
      handler: async (c) => renderSession(await s.userAccounts.login(c.body, c.remoteAddress), s.clock.now()),
    }),
    route({
      method: 'POST',
      path: '/v1/clients',
      name: 'client.create',
      handler: async (c) => renderClient(await s.userAccounts.createClient(c.principal, c.body)),
    }),
    route({
      method: 'GET',
      path: '/v1/organizations/{organizationId}/clients',
      name: 'organization.client.list',
      handler: async (c) =>
        paginationBody(
          await s.userAccounts.listOrganizationClients(c.principal, c.params.organizationId, parsePageRequest(c.query)),
          renderClient,
        ),
    }),
  ];
}
