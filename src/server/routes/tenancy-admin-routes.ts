import type { TokenView } from '../../domain/services/account-service.ts';
import type { MembershipRecord } from '../../store/ports/records.ts';
import type { AuditEntry, AuditFilter } from '../../store/store.ts';
import { paginationBody, parsePageRequest, unpagedBody } from '../http/paging.ts';
import { route, type RouteContext, type RouteDef } from '../http/route.ts';
import { renderClient, renderOrganization, renderToken, renderUser } from '../render/account.ts';
import type { Services } from './services.ts';

/**
 * The tenancy half of the admin API (`sextant admin`, docs/security.md): organizations, clients,
 * users, memberships, tokens and the audit log, under the `/v1/admin` prefix of the settings API.
 * Authorization lives in the access policy (via TenancyAdminService), not here.
 */
export function tenancyAdminRoutes(s: Services): RouteDef[] {
  // Admin views add what the SigOpt Token object lacks: the id (to revoke by), state and creation time.
  const token = (v: TokenView) => ({
    ...renderToken(v.token, v.value, v.organizationId, s.clock.now()),
    ...(v.value === '' ? { token: null } : {}),
    id: v.token.id,
    created: v.token.created,
    revoked: v.token.revoked,
    root: v.token.root,
  });
  return [
    route({
      method: 'POST',
      path: '/v1/admin/organizations',
      name: 'admin.organization.create',
      handler: async (c) => renderOrganization(await s.admin.createOrganization(c.principal, c.body)),
    }),
    route({
      method: 'POST',
      path: '/v1/admin/clients',
      name: 'admin.client.create',
      handler: async (c) => {
        const r = await s.admin.createClient(c.principal, c.body);
        return { ...renderClient(r.client), root_token: token(r.rootToken) };
      },
    }),
    route({
      method: 'POST',
      path: '/v1/admin/users',
      name: 'admin.user.create',
      handler: async (c) => renderUser(await s.admin.createUser(c.principal, c.body)),
    }),
    route({
      method: 'PUT',
      path: '/v1/admin/clients/{clientId}/memberships',
      name: 'admin.membership.put',
      handler: async (c) => renderMembership(await s.admin.putMembership(c.principal, c.params.clientId, c.body)),
    }),
    route({
      method: 'DELETE',
      path: '/v1/admin/clients/{clientId}/memberships/{userId}',
      name: 'admin.membership.delete',
      handler: async (c) => {
        await s.admin.deleteMembership(c.principal, c.params.clientId, c.params.userId);
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/v1/admin/tokens',
      name: 'admin.token.create',
      handler: async (c) => token(await s.admin.createToken(c.principal, c.body)),
    }),
    route({
      method: 'GET',
      path: '/v1/admin/clients/{clientId}/tokens',
      name: 'admin.token.list',
      handler: async (c) =>
        unpagedBody((await s.admin.listTokens(c.principal, c.params.clientId, c.query.bool('include_revoked') ?? false)).map(token)),
    }),
    route({
      method: 'DELETE',
      path: '/v1/admin/tokens/{token:str}',
      name: 'admin.token.revoke',
      handler: async (c) => {
        const t = await s.admin.revokeToken(c.principal, c.params.token);
        return { object: 'token_revocation', id: t.id, revoked: true };
      },
    }),
    route({
      method: 'POST',
      path: '/v1/admin/tokens/{token:str}/rotate',
      name: 'admin.token.rotate',
      handler: async (c) => token(await s.admin.rotateToken(c.principal, c.params.token)),
    }),
    route({
      method: 'GET',
      path: '/v1/admin/audit_log',
      name: 'admin.audit_log.list',
      handler: async (c) => paginationBody(await s.admin.audit(c.principal, auditFilter(c), parsePageRequest(c.query)), renderAuditEntry),
    }),
  ];
}

function auditFilter(c: RouteContext): AuditFilter {
  const out: Record<string, string> = {};
  for (const [param, key] of [
    ['object_type', 'objectType'],
    ['object_id', 'objectId'],
    ['actor', 'actor'],
    ['action', 'action'],
  ] as const) {
    const v = c.query.string(param);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function renderMembership(m: MembershipRecord): Record<string, unknown> {
  return { object: 'membership', client: m.clientId, user: m.userId, role: m.role };
}

function renderAuditEntry(e: AuditEntry): Record<string, unknown> {
  return {
    object: 'audit_entry',
    id: e.id,
    actor: e.actor,
    action: e.action,
    object_type: e.objectType,
    object_id: e.objectId,
    created: e.created,
    details: e.details,
  };
}
