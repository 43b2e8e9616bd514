import { beforeAll, describe, expect, test } from 'vitest';
import { hashToken } from '../../src/domain/services/token-secret.ts';
import { httpBackends } from '../support/server.ts';
import { expectError, ok, raw, useServer } from '../support/conformance.ts';
import { buildTenancyWorld, type TenancyWorld } from '../support/tenancy-fixture.ts';

/**
 * Token operations (docs/api-compatibility.md#token-operations), client token and experiment lists
 * (docs/api-compatibility.md#account-endpoints), the roles of memberships,
 * the tenancy admin API and its audit trail.
 */

const NOT_FOUND = 'The requested resource could not be found';
const NO_PERMISSION = "You don't have permission to do this action. You may need to contact your team's administrator to request permissions.";
const INVALID = /^This endpoint requires a valid API token\. /;

describe.each(httpBackends())('tokens, roles and the admin API on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  let w: TenancyWorld;
  beforeAll(async () => {
    if (!skip) w = await buildTenancyWorld(ctx.srv);
  }, 60_000);
  const as = (token: string) => w.client(token);
  const newToken = async (extra: Record<string, unknown> = {}) => ok(await as(w.tokens.root).request('POST', '/v1/admin/tokens', { client: w.clientA, ...extra }));

  test.skipIf(skip)('PUT /v1/tokens/{token}: rotate returns a new value once; the old one stops working', async () => {
    const t = await newToken();
    const rotated = ok(await as(t.token).request('PUT', `/v1/tokens/${t.token}`, { token: 'rotate' }));
    expect(rotated.object).toBe('token');
    expect(rotated.token).not.toBe(t.token);
    expect(rotated.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const old = await as(t.token).request('GET', '/v1/tokens/self');
    expectError(old, 403, INVALID, 'API_TOKEN_REVOKED');
    expect(old.body.token_status).toBe('revoked');
    expect(ok(await as(rotated.token).request('GET', '/v1/tokens/self')).client).toBe(w.clientA);
    // The admin can rotate it too (addressed by value); `self` addresses the caller's own token.
    const again = ok(await as(w.tokens.root).request('PUT', `/v1/tokens/${rotated.token}`, { token: 'rotate' }));
    const selfRotated = ok(await as(again.token).request('PUT', '/v1/tokens/self', { token: 'rotate' }));
    expect(ok(await as(selfRotated.token).request('GET', '/v1/tokens/self')).token).toBe(selfRotated.token);
  });

  test.skipIf(skip)('PUT /v1/tokens/{token}: renew, lasts_forever and the exact validation texts', async () => {
    const soon = Math.floor(Date.now() / 1000) + 3600;
    const t = await newToken({ expires: soon });
    expect(t.expires).toBe(soon);
    const renewed = ok(await as(t.token).request('PUT', `/v1/tokens/${t.token}`, { expires: 'renew' }));
    expect(renewed.expires).toBeGreaterThan(soon);
    expect(renewed.token).toBe(t.token);
    // Permanence is an administrator's decision; the member's own token cannot grant it.
    const member = await newToken({ user: w.users.writer });
    expectError(await as(member.token).request('PUT', `/v1/tokens/${member.token}`, { lasts_forever: true }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expect(ok(await as(w.tokens.root).request('PUT', `/v1/tokens/${t.token}`, { lasts_forever: true })).expires).toBeNull();
    const temporary = ok(await as(w.tokens.root).request('PUT', `/v1/tokens/${t.token}`, { lasts_forever: false }));
    expect(temporary.expires).toBeGreaterThan(Math.floor(Date.now() / 1000));
    expectError(await as(t.token).request('PUT', `/v1/tokens/${t.token}`, { token: 'new' }), 400, 'Token must equal "rotate"', 'TOKEN_NOT_ROTATE');
    expectError(await as(t.token).request('PUT', `/v1/tokens/${t.token}`, { expires: 12 }), 400, 'Expires must equal "renew"', 'EXPIRES_NOT_RENEW');
    expectError(await as(t.token).request('PUT', `/v1/tokens/${t.token}`, { lasts_forever: 'yes' }), 400, /^Invalid type for lasts_forever/);
    expectError(await as(t.token).request('PUT', `/v1/tokens/${t.token}`, { other: 1 }), 400, /^Unknown json keys `other`/);
    // Not visible: unknown values and other tenants' tokens are 404.
    expectError(await as(t.token).request('PUT', '/v1/tokens/nope-nope', { token: 'rotate' }), 404, NOT_FOUND, 'NOT_FOUND');
    expectError(await as(w.tokens.otherTeam).request('PUT', `/v1/tokens/${t.token}`, { token: 'rotate' }), 404, NOT_FOUND, 'NOT_FOUND');
    // A read member sees the team's tokens but cannot change another's.
    expectError(await as(w.tokens.reader).request('PUT', `/v1/tokens/${t.token}`, { expires: 'renew' }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
  });

  test.skipIf(skip)('DELETE /v1/tokens/{token}: revokes; the root token cannot be deleted', async () => {
    expectError(await as(w.tokens.root).request('DELETE', `/v1/tokens/${w.tokens.root}`), 403, 'Cannot delete root token', 'CANNOT_DELETE_ROOT_TOKEN');
    const t = await newToken();
    expectError(await as(w.tokens.reader).request('DELETE', `/v1/tokens/${t.token}`), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await as(w.tokens.otherTeam).request('DELETE', `/v1/tokens/${t.token}`), 404, NOT_FOUND, 'NOT_FOUND');
    expect(ok(await as(w.tokens.root).request('DELETE', `/v1/tokens/${t.token}`))).toEqual({});
    const after = await as(t.token).request('GET', '/v1/experiments');
    expectError(after, 403, INVALID, 'API_TOKEN_REVOKED');
    expect(after.body.token_status).toBe('revoked');
    expectError(await as(w.tokens.root).request('DELETE', `/v1/tokens/${t.token}`), 404, NOT_FOUND, 'NOT_FOUND');
    // Deleting one's own token (log out) is allowed.
    const own = await newToken({ user: w.users.reader });
    expect(ok(await as(own.token).request('DELETE', '/v1/tokens/self'))).toEqual({});
    expect((await as(own.token).request('GET', '/v1/tokens/self')).status).toBe(403);
    // Expired and revoked tokens fail with the texts of docs/api-compatibility.md#authentication.
    const expired = await as(w.tokens.expired).request('GET', '/v1/tokens/self');
    expectError(expired, 403, 'Your API token has expired.');
    expect(expired.body.token_status).toBe('expired');
    expectError(await as(w.tokens.revoked).request('GET', '/v1/tokens/self'), 403, INVALID, 'API_TOKEN_REVOKED');
  });

  test.skipIf(skip)('GET /v1/clients/{id}/tokens: a user token gets its api and dev tokens (created once); admins see all, never values', async () => {
    // A user (session) token of a fresh member: sessions are not minted by the admin API.
    const root = as(w.tokens.root);
    const u = ok(await root.request('POST', '/v1/admin/users', { email: `lister-${Date.now()}@example.org`, name: 'Lister' }));
    ok(await root.request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'write' }));
    const sessionValue = `session-${Math.random().toString(36).slice(2)}-${Date.now()}`;
    await ctx.srv.server.store.tokens.create({
      hash: hashToken(sessionValue),
      type: 'user',
      scope: 'all_endpoints',
      clientId: null,
      userId: u.id,
      experimentId: null,
      permissions: 'write',
      created: Math.floor(Date.now() / 1000),
      expires: null,
    });
    const first = ok(await as(sessionValue).request('GET', `/v1/clients/${w.clientA}/tokens`));
    const created = first.data.filter((t: any) => t.token !== null);
    expect(created.map((t: any) => t.token_type).sort()).toEqual(['client-api', 'client-dev']);
    for (const t of created) {
      expect(t.user).toBe(u.id);
      expect(ok(await as(t.token).request('GET', '/v1/tokens/self')).token_type).toBe(t.token_type);
    }
    const second = ok(await as(sessionValue).request('GET', `/v1/clients/${w.clientA}/tokens`));
    expect(second.count).toBe(first.count);
    expect(second.data.every((t: any) => t.token === null)).toBe(true);
    const all = ok(await as(w.tokens.root).request('GET', `/v1/clients/${w.clientA}/tokens`));
    expect(all.count).toBeGreaterThan(second.count);
    expect(all.data.filter((t: any) => t.token !== null).map((t: any) => t.token)).toEqual([w.tokens.root]);
    expectError(await as(w.tokens.otherTeam).request('GET', `/v1/clients/${w.clientA}/tokens`), 404, NOT_FOUND, 'NOT_FOUND');
    expectError(await as(w.tokens.dev).request('GET', `/v1/clients/${w.clientA}/tokens`), 403, 'Development tokens cannot access this endpoint.');
  });

  test.skipIf(skip)('user and organization experiment lists (READ semantics)', async () => {
    const mine = ok(await as(w.tokens.writer).request('POST', '/v1/experiments', { name: 'by writer', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] }));
    const byUser = ok(await as(w.tokens.writer).request('GET', `/v1/users/${w.users.writer}/experiments`));
    expect(byUser.data.map((e: any) => e.id)).toEqual([mine.id]);
    expectError(await as(w.tokens.reader).request('GET', `/v1/users/${w.users.writer}/experiments`), 404, NOT_FOUND, 'NOT_FOUND');
    const byOrg = ok(await as(w.tokens.root).request('GET', `/v1/organizations/${w.orgA}/experiments`));
    expect(byOrg.data.map((e: any) => e.id)).toEqual(expect.arrayContaining([mine.id, w.experiment]));
    expect(byOrg.data.map((e: any) => e.id)).not.toContain(w.experimentB);
    expectError(await as(w.tokens.otherTeam).request('GET', `/v1/organizations/${w.orgA}/experiments`), 404, NOT_FOUND, 'NOT_FOUND');
    expectError(await as(w.tokens.root).request('GET', `/v1/organizations/${w.orgB}/experiments`), 404, NOT_FOUND, 'NOT_FOUND');
  });

  test.skipIf(skip)('roles: admins manage members but not owners; removed members lose access at once', async () => {
    const root = as(w.tokens.root);
    const u = ok(await root.request('POST', '/v1/admin/users', { email: `role-${Date.now()}@example.org`, name: 'Role test' }));
    const adminApi = as(w.tokens.admin);
    expect(ok(await adminApi.request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'write' })).role).toBe('write');
    expectError(await adminApi.request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'owner' }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await adminApi.request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: w.users.owner, role: 'read' }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await as(w.tokens.writer).request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'admin' }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await as(w.tokens.otherTeam).request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'admin' }), 404, NOT_FOUND, 'NOT_FOUND');
    expectError(await adminApi.request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'boss' }), 400, 'boss is not one of the allowed values: owner, admin, write, read');
    const t = ok(await adminApi.request('POST', '/v1/admin/tokens', { client: w.clientA, user: u.id }));
    expect(ok(await as(t.token).request('POST', `/v1/experiments/${w.experiment}/suggestions`, {})).object).toBe('suggestion');
    // Demoted to read: writes are 403, reads work — decided per request from the current role.
    ok(await adminApi.request('PUT', `/v1/admin/clients/${w.clientA}/memberships`, { user: u.id, role: 'read' }));
    expectError(await as(t.token).request('POST', `/v1/experiments/${w.experiment}/suggestions`, {}), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expect(ok(await as(t.token).request('GET', `/v1/experiments/${w.experiment}`)).id).toBe(w.experiment);
    expect(ok(await adminApi.request('DELETE', `/v1/admin/clients/${w.clientA}/memberships/${u.id}`))).toEqual({});
    expectError(await as(t.token).request('GET', `/v1/experiments/${w.experiment}`), 403, INVALID, 'API_TOKEN_REVOKED');
    // Creating a token for a non-member, or a dev token without a user, is refused.
    expectError(await adminApi.request('POST', '/v1/admin/tokens', { client: w.clientA, user: u.id }), 400, `User ${u.id} is not a member of client ${w.clientA}`);
    expectError(await adminApi.request('POST', '/v1/admin/tokens', { client: w.clientA, development: true }), 400, 'A development token belongs to a user: give "user"');
    expectError(await adminApi.request('POST', '/v1/admin/tokens', { client: w.clientA, expires: 5 }), 400, /^expires must be in the future/);
  });

  test.skipIf(skip)('operator-only actions and team administration boundaries', async () => {
    // Team B's root token administers team B, not the deployment.
    const b = as(w.tokens.otherTeam);
    expectError(await b.request('POST', '/v1/admin/organizations', { name: 'nope' }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await b.request('GET', '/v1/admin/audit_log'), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    const sibling = ok(await b.request('POST', '/v1/admin/clients', { organization: w.orgB, name: 'team B2' }));
    expect(sibling.root_token.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expectError(await b.request('POST', '/v1/admin/clients', { organization: w.orgA, name: 'intruder' }), 404, NOT_FOUND, 'NOT_FOUND');
    expectError(await b.request('POST', '/v1/admin/tokens', { client: w.clientA }), 404, NOT_FOUND, 'NOT_FOUND');
    expectError(await as(w.tokens.reader).request('POST', '/v1/admin/tokens', { client: w.clientA }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await as(w.tokens.dev).request('POST', '/v1/admin/tokens', { client: w.clientA }), 403, 'Development tokens cannot access this endpoint.');
    expectError(await as(w.tokens.guest).request('GET', '/v1/admin/audit_log'), 403, 'This token is not permitted to access this endpoint.');
    expectError(await as(w.tokens.root).request('DELETE', `/v1/admin/tokens/${await rootId()}`), 403, 'Cannot delete root token', 'CANNOT_DELETE_ROOT_TOKEN');
    expectError(await as(w.tokens.root).request('POST', '/v1/admin/users', { email: 'not-an-email', name: 'x' }), 400, 'Invalid email: not-an-email');
    // The operator passes the policy for any client id; a missing client is still a 404 (found by the fuzz suite: was a 500).
    expectError(await as(w.tokens.root).request('PUT', '/v1/admin/clients/999999999/memberships', { user: w.users.reader, role: 'read' }), 404, NOT_FOUND, 'NOT_FOUND');
  });

  async function rootId(): Promise<string | undefined> {
    const list = ok(await as(w.tokens.root).request('GET', `/v1/admin/clients/${w.clientA}/tokens`));
    return list.data.find((t: any) => t.root)?.id;
  }

  test.skipIf(skip)('audit log: who did what to which object, filterable, without token values', async () => {
    const root = as(w.tokens.root);
    const exp = ok(await as(w.tokens.writer).request('POST', '/v1/experiments', { name: 'audited', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] }));
    ok(await as(w.tokens.writer).request('PUT', `/v1/experiments/${exp.id}`, { name: 'audited 2' }));
    ok(await as(w.tokens.writer).request('DELETE', `/v1/experiments/${exp.id}`));
    const entries = ok(await root.request('GET', '/v1/admin/audit_log', { object_type: 'experiment', object_id: exp.id, ascending: true }));
    expect(entries.data.map((e: any) => [e.action, e.actor])).toEqual([
      ['experiment.create', `user:${w.users.writer}`],
      ['experiment.update', `user:${w.users.writer}`],
      ['experiment.delete', `user:${w.users.writer}`],
    ]);
    expect(entries.data[1].details).toEqual(expect.objectContaining({ client: w.clientA, fields: ['name'] }));
    const actions = new Set(ok(await root.request('GET', '/v1/admin/audit_log', { limit: 1000 })).data.map((e: any) => e.action));
    for (const a of ['organization.create', 'client.create', 'user.create', 'membership.create', 'token.create', 'token.revoke', 'token.update', 'experiment.create']) {
      expect(actions, a).toContain(a);
    }
    const everything = JSON.stringify(ok(await root.request('GET', '/v1/admin/audit_log', { limit: 1000 })));
    for (const value of Object.values(w.tokens)) expect(everything).not.toContain(value);
    const page = ok(await root.request('GET', '/v1/admin/audit_log', { limit: 2 }));
    expect(page.data).toHaveLength(2);
    expect(Number(page.data[0].id)).toBeGreaterThan(Number(page.data[1].id));
    expect(page.paging.before).not.toBeNull();
    // Owners and the root token of the first organization's team are operators; admins are team admins only.
    expectError(await raw(ctx.srv.url, 'GET', '/v1/admin/audit_log', { token: w.tokens.admin }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
    expectError(await raw(ctx.srv.url, 'GET', '/v1/admin/audit_log', { token: w.tokens.reader }), 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
  });
});
