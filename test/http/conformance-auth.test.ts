import { describe, expect, test } from 'vitest';
import { hashToken } from '../../src/domain/services/token-secret.ts';
import type { Role } from '../../src/store/ports/records.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { httpBackends } from '../support/server.ts';
import { type ConformanceContext, basic, contains, createExperiment, expectError, minimalExperiment, ok, prefix, raw, useServer } from '../support/conformance.ts';

/**
 * Authentication, authorization, tokens and tenancy, account endpoints and guest tokens
 * (docs/api-compatibility.md#authentication, docs/api-compatibility.md#access-rules, docs/api-compatibility.md#tenancy-and-tokens,
 * docs/api-compatibility.md#account-endpoints, docs/api-compatibility.md#guest-tokens). Tokens the API cannot mint (a second tenant,
 * role-bound user tokens, session
 * tokens) are seeded through the server's store, as an admin CLI would.
 */

const NOT_FOUND = 'The requested resource could not be found';
const NO_PERMISSION = "You don't have permission to do this action. You may need to contact your team's administrator to request permissions.";

let seq = 0;
/** Seeds a token straight into the store (the out-of-band path of docs/api-compatibility.md#account-endpoints) and returns a client for it. */
async function seedToken(
  ctx: ConformanceContext,
  t: { type: 'client-api' | 'client-dev' | 'user'; clientId: string | null; userId: string | null; permissions?: 'read' | 'write'; expires?: number | null },
  userAgent?: string,
): Promise<SigoptClient> {
  const value = `seeded-token-${process.pid}-${++seq}-${Math.random().toString(36).slice(2)}`;
  await ctx.srv.server.store.tokens.create({
    hash: hashToken(value),
    type: t.type,
    scope: 'all_endpoints',
    clientId: t.clientId,
    userId: t.userId,
    experimentId: null,
    permissions: t.permissions ?? 'write',
    created: Math.floor(Date.now() / 1000),
    expires: t.expires ?? null,
  });
  return new SigoptClient(ctx.srv.url, value, userAgent);
}

/** A user with a role in a client. */
async function seedUser(ctx: ConformanceContext, clientId: string, role: Role) {
  const store = ctx.srv.server.store;
  const user = await store.users.create({ name: `user ${++seq}`, email: `u${seq}-${Math.random()}@example.org`, created: 1 });
  await store.memberships.put({ clientId, userId: user.id, role });
  return user;
}

describe.each(httpBackends())('authentication and authorization on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  const clientId = async () => ok(await ctx.api.request('GET', '/v1/tokens/self')).client as string;

  describe('authentication', () => {
    test.skipIf(skip)('no Authorization header: 401 with the help text', async () => {
      const res = await raw(ctx.srv.url, 'GET', '/v1/experiments');
      expectError(res, 401, prefix('No API token provided (we are likely looking for your token in the Authorization header and we can not find it). '));
      expect(res.body.message).toContain('API requests are authenticated using HTTP Basic Auth, with the API token as the username and a blank password.');
    });

    test.skipIf(skip)('a header that is not Basic: 400 Could not parse API token', async () => {
      for (const header of [`Bearer ${ctx.srv.token}`, 'Basic', 'Basic !!!', 'Token abc']) {
        expectError(await raw(ctx.srv.url, 'GET', '/v1/experiments', { headers: { authorization: header } }), 400, prefix('Could not parse API token. '));
      }
    });

    test.skipIf(skip)('unknown token: 403 with token_status revoked', async () => {
      const res = await raw(ctx.srv.url, 'GET', '/v1/experiments', { token: 'no-such-token-value' });
      expectError(res, 403, prefix('This endpoint requires a valid API token. '));
      expect(res.body.token_status).toBe('revoked');
    });

    test.skipIf(skip)('the token may also come with a password; a NUL byte in it is a 400', async () => {
      const withPassword = `Basic ${Buffer.from(`${ctx.srv.token}:ignored`).toString('base64')}`;
      expect((await raw(ctx.srv.url, 'GET', '/v1/experiments', { headers: { authorization: withPassword } })).status).toBe(200);
      const nul = await raw(ctx.srv.url, 'GET', '/v1/experiments', { headers: { authorization: basic('abc\0def') } });
      expectError(nul, 400, /^Invalid string parameter: /);
    });

    test.skipIf(skip)('expired and revoked tokens', async () => {
      const expired = await seedToken(ctx, { type: 'client-api', clientId: await clientId(), userId: null, expires: 1000 });
      const res = await expired.request('GET', '/v1/experiments');
      expectError(res, 403, 'Your API token has expired.');
      expect(res.body.token_status).toBe('expired');
    });

    test.skipIf(skip)('health and OPTIONS need no token; every API route does', async () => {
      expect((await raw(ctx.srv.url, 'GET', '/health')).status).toBe(200);
      for (const path of ['/v1/experiments', '/v1/tokens/self', '/v1/sessions', '/v1/experiments/1', '/v1/clients/1/projects', '/']) {
        expect((await raw(ctx.srv.url, 'GET', path)).status, path).toBe(401);
      }
    });
  });

  describe('account endpoints', () => {
    test.skipIf(skip)('GET /v1/tokens/self: the root client-api token', async () => {
      const t = ok(await ctx.api.request('GET', '/v1/tokens/self'));
      expect(t).toEqual({
        object: 'token',
        token: ctx.srv.token,
        token_type: 'client-api',
        client: expect.stringMatching(/^\d+$/),
        user: null,
        organization: expect.stringMatching(/^\d+$/),
        experiment: null,
        training_run: null,
        all_experiments: true,
        development: false,
        permissions: 'write',
        scope: 'all_endpoints',
        expires: null,
        lease_length: null,
      });
    });

    test.skipIf(skip)('GET /v1/tokens/self: the development token', async () => {
      const t = ok(await ctx.dev.request('GET', '/v1/tokens/self'));
      expect(t.token_type).toBe('client-dev');
      expect(t.development).toBe(true);
      expect(t.user).toMatch(/^\d+$/);
      expect(t.client).toBe(await clientId());
    });

    test.skipIf(skip)('GET /v1/tokens/{token}: own and visible tokens; unknown, expired and foreign ones are 404', async () => {
      const own = ok(await ctx.api.request('GET', `/v1/tokens/${ctx.srv.token}`));
      expect(own).toEqual(ok(await ctx.api.request('GET', '/v1/tokens/self')));
      const dev = ok(await ctx.api.request('GET', `/v1/tokens/${ctx.srv.devToken}`));
      expect(dev.token_type).toBe('client-dev');
      expect(dev.token).toBe(ctx.srv.devToken);
      expectError(await ctx.api.request('GET', '/v1/tokens/not-a-token-value'), 404, NOT_FOUND, 'NOT_FOUND');
      const cid = await clientId();
      const expired = await seedToken(ctx, { type: 'client-api', clientId: cid, userId: null, expires: 1000 });
      expectError(await ctx.api.request('GET', `/v1/tokens/${expired.token}`), 404, NOT_FOUND, 'NOT_FOUND');
      const store = ctx.srv.server.store;
      const org = await store.organizations.create({ name: 'token org', created: 1 });
      const other = await store.clients.create({ organizationId: org.id, name: 'token team', created: 1 });
      const foreign = await seedToken(ctx, { type: 'client-api', clientId: other.id, userId: null });
      expectError(await ctx.api.request('GET', `/v1/tokens/${foreign.token}`), 404, NOT_FOUND, 'NOT_FOUND');
      expectError(await foreign.request('GET', `/v1/tokens/${ctx.srv.token}`), 404, NOT_FOUND, 'NOT_FOUND');
      expect(ok(await ctx.api.request('GET', `/v1/tokens/${ctx.srv.token}`, { fields: 'token_type' }))).toEqual({ token_type: 'client-api' });
    });

    test.skipIf(skip)('GET /v1/sessions, clients, organizations, users', async () => {
      const self = ok(await ctx.api.request('GET', '/v1/tokens/self'));
      const session = ok(await ctx.api.request('GET', '/v1/sessions'));
      expect(session).toEqual({
        object: 'session',
        api_token: expect.objectContaining({ object: 'token', token: ctx.srv.token }),
        client: expect.objectContaining({ object: 'client', id: self.client }),
        user: null,
        code: null,
        needs_password_reset: false,
      });
      const devSession = ok(await ctx.dev.request('GET', '/v1/sessions'));
      expect(devSession.user).toEqual(expect.objectContaining({ object: 'user' }));
      const client = ok(await ctx.api.request('GET', `/v1/clients/${self.client}`));
      expect(client).toEqual({
        object: 'client',
        id: self.client,
        name: expect.any(String),
        organization: self.organization,
        created: expect.any(Number),
        client_security: { allow_users_to_see_experiments_by_others: expect.any(Boolean) },
      });
      const org = ok(await ctx.api.request('GET', `/v1/organizations/${self.organization}`));
      expect(org).toEqual({
        object: 'organization',
        id: self.organization,
        name: expect.any(String),
        created: expect.any(Number),
        deleted: false,
        academic: expect.any(Boolean),
        email_domains: expect.any(Array),
        client_for_email_signup: null,
      });
      expectError(await ctx.api.request('GET', '/v1/organizations'), 404, 'Endpoint not found: /v1/organizations');
      expectError(await ctx.api.request('GET', '/v1/clients/999999'), 404, NOT_FOUND, 'NOT_FOUND');
      expectError(await ctx.api.request('GET', '/v1/organizations/999999'), 404, NOT_FOUND, 'NOT_FOUND');
      // Users: self only.
      const user = await seedUser(ctx, self.client, 'write');
      const userToken = await seedToken(ctx, { type: 'client-api', clientId: self.client, userId: user.id });
      const u = ok(await userToken.request('GET', `/v1/users/${user.id}`));
      expect(u).toEqual({
        object: 'user',
        id: user.id,
        name: user.name,
        email: user.email,
        created: 1,
        deleted: false,
        educational_user: expect.any(Boolean),
        has_verified_email: expect.any(Boolean),
        show_welcome: expect.any(Boolean),
        planned_usage: null,
      });
      expectError(await ctx.api.request('GET', `/v1/users/${user.id}`), 404, NOT_FOUND, 'NOT_FOUND');
    });

    test.skipIf(skip)('a user (session) token has no client: POST /v1/experiments names the client route', async () => {
      const cid = await clientId();
      const user = await seedUser(ctx, cid, 'admin');
      const python = await seedToken(ctx, { type: 'user', clientId: null, userId: user.id }, 'sigopt-python/8.8.3');
      expectError(
        await python.request('POST', '/v1/experiments', minimalExperiment()),
        403,
        'This endpoint requires a client (team) ID and it was not provided. Provide the client ID to this endpoint by replacing .experiments() with .clients(CLIENT_ID).experiments()',
      );
      const curl = await seedToken(ctx, { type: 'user', clientId: null, userId: user.id }, 'curl/8.0');
      expectError(
        await curl.request('POST', '/v1/experiments', minimalExperiment()),
        403,
        'This endpoint requires a client (team) ID and it was not provided. Provide the client ID to this endpoint by replacing /experiments with /clients/CLIENT_ID/experiments',
      );
      const created = ok(await python.request('POST', `/v1/clients/${cid}/experiments`, minimalExperiment({ name: 'by a user token' })));
      expect(created.user).toBe(user.id);
      expect(created.client).toBe(cid);
      const listed = ok(await python.request('GET', `/v1/clients/${cid}/experiments`, { search: 'by a user token' }));
      expect(listed.data.map((e: any) => e.id)).toContain(created.id);
      const session = ok(await python.request('GET', '/v1/sessions'));
      expect(session.client.id).toBe(cid);
      expect(session.user.id).toBe(user.id);
    });
  });

  describe('authorization', () => {
    test.skipIf(skip)('another tenant: everything is 404, never revealing existence', async () => {
      const store = ctx.srv.server.store;
      const org = await store.organizations.create({ name: 'other org', created: 1 });
      const other = await store.clients.create({ organizationId: org.id, name: 'other team', created: 1 });
      const stranger = await seedToken(ctx, { type: 'client-api', clientId: other.id, userId: null });
      const exp = await createExperiment(ctx.api);
      const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      const o = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s.id, values: [{ value: 1 }] }));
      const q = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/queued_suggestions`, { assignments: { x: 0.5 } }));
      const cid = await clientId();
      const base = `/v1/experiments/${exp.id}`;
      const attempts: [string, string, Record<string, unknown>?][] = [
        ['GET', base],
        ['PUT', base, { name: 'stolen' }],
        ['DELETE', base],
        ['GET', `${base}/suggestions`],
        ['POST', `${base}/suggestions`, {}],
        ['GET', `${base}/suggestions/${s.id}`],
        ['PUT', `${base}/suggestions/${s.id}`, { metadata: null }],
        ['DELETE', `${base}/suggestions`],
        ['GET', `${base}/observations/${o.id}`],
        ['POST', `${base}/observations`, { suggestion: s.id, values: [{ value: 1 }] }],
        ['POST', `${base}/observations/batch`, { observations: [] }],
        ['DELETE', `${base}/observations`],
        ['GET', `${base}/queued_suggestions/${q.id}`],
        ['DELETE', `${base}/queued_suggestions/${q.id}`],
        ['GET', `${base}/best_assignments`],
        ['GET', `${base}/stopping_criteria`],
        ['GET', `${base}/metric_importances`],
        ['POST', `${base}/tokens`, {}],
        ['GET', `/v1/clients/${cid}`],
        ['GET', `/v1/clients/${cid}/experiments`],
        ['POST', `/v1/clients/${cid}/experiments`, minimalExperiment()],
        ['GET', `/v1/clients/${cid}/projects`],
        ['POST', `/v1/clients/${cid}/projects`, { id: 'steal', name: 'steal' }],
      ];
      for (const [method, path, body] of attempts) {
        expectError(await stranger.request(method, path, body), 404, NOT_FOUND, 'NOT_FOUND');
      }
      expect(ok(await stranger.request('GET', '/v1/experiments')).data.map((e: any) => e.id)).not.toContain(exp.id);
      expect(ok(await ctx.api.request('GET', base)).name).toBe(exp.name);
    });

    test.skipIf(skip)('READ role: reads work, writes are 403 invalid_permissions', async () => {
      const cid = await clientId();
      const user = await seedUser(ctx, cid, 'read');
      const reader = await seedToken(ctx, { type: 'client-api', clientId: cid, userId: user.id });
      const exp = await createExperiment(ctx.api);
      const base = `/v1/experiments/${exp.id}`;
      expect(ok(await reader.request('GET', base)).id).toBe(exp.id);
      expect(ok(await reader.request('GET', `${base}/suggestions`)).object).toBe('pagination');
      for (const [method, path, body] of [
        ['PUT', base, { name: 'x' }],
        ['DELETE', base],
        ['POST', `${base}/suggestions`, {}],
        ['POST', `${base}/observations`, { assignments: { x: 0.5 }, values: [{ value: 1 }] }],
        ['POST', '/v1/experiments', minimalExperiment()],
        ['POST', `/v1/clients/${cid}/projects`, { id: 'read-only', name: 'nope' }],
      ] as const) {
        const res = await reader.request(method, path, body as Record<string, unknown> | undefined);
        expectError(res, 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
        expect(res.body.token_status).toBe('invalid_permissions');
      }
    });

    test.skipIf(skip)('development split: dev token ↔ development experiments only; user api token ↔ production only', async () => {
      const prod = await createExperiment(ctx.api, minimalExperiment({ name: 'production' }));
      const devExp = ok(await ctx.dev.request('POST', '/v1/experiments', minimalExperiment({ name: 'development' })));
      expect(devExp.development).toBe(true);
      expect(prod.development).toBe(false);
      expectError(await ctx.dev.request('GET', `/v1/experiments/${prod.id}`), 403, prefix(`Attempting to access production experiment ${prod.id} with a development token.`));
      const self = ok(await ctx.dev.request('GET', '/v1/tokens/self'));
      const userApi = await seedToken(ctx, { type: 'client-api', clientId: self.client, userId: self.user });
      expectError(await userApi.request('GET', `/v1/experiments/${devExp.id}`), 403, prefix(`Attempting to access development experiment ${devExp.id} with an api token.`));
      // The root token (no user) sees both.
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${devExp.id}`)).development).toBe(true);
      const devList = ok(await ctx.dev.request('GET', '/v1/experiments'));
      expect(devList.data.every((e: any) => e.development === true)).toBe(true);
      expect(devList.data.map((e: any) => e.id)).toContain(devExp.id);
      // Development experiments get random suggestions and work with the whole experiment family.
      const s = ok(await ctx.dev.request('POST', `/v1/experiments/${devExp.id}/suggestions`, {}));
      expect(s.assignments.x).toBeGreaterThanOrEqual(0);
      ok(await ctx.dev.request('POST', `/v1/experiments/${devExp.id}/observations`, { suggestion: s.id, values: [{ value: 1 }] }));
      expect(ok(await ctx.dev.request('GET', `/v1/experiments/${devExp.id}/best_assignments`)).count).toBe(1);
      expect(ok(await ctx.dev.request('GET', `/v1/clients/${self.client}/projects`)).object).toBe('pagination');
    });

    test.skipIf(skip)('development tokens cannot access account endpoints or create guest tokens', async () => {
      const devExp = ok(await ctx.dev.request('POST', '/v1/experiments', minimalExperiment()));
      const self = ok(await ctx.dev.request('GET', '/v1/tokens/self'));
      for (const [method, path] of [
        ['POST', `/v1/experiments/${devExp.id}/tokens`],
        ['GET', `/v1/clients/${self.client}`],
        ['GET', `/v1/organizations/${self.organization}`],
        ['GET', `/v1/users/${self.user}`],
      ] as const) {
        expectError(await ctx.dev.request(method, path, method === 'POST' ? {} : undefined), 403, 'Development tokens cannot access this endpoint.');
      }
    });
  });

  describe('guest tokens', () => {
    test.skipIf(skip)('POST /v1/experiments/{id}/tokens creates a read-only share token for one experiment', async () => {
      const exp = await createExperiment(ctx.api);
      const other = await createExperiment(ctx.api);
      const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      const before = Math.floor(Date.now() / 1000);
      const t = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/tokens`, {}));
      expect(t).toEqual({
        object: 'token',
        token: expect.any(String),
        token_type: 'guest',
        client: await clientId(),
        user: null,
        organization: expect.stringMatching(/^\d+$/),
        experiment: exp.id,
        training_run: null,
        all_experiments: false,
        development: false,
        permissions: 'read',
        scope: 'shared_experiment',
        expires: expect.any(Number),
        lease_length: expect.any(Number),
      });
      expect(t.expires).toBeGreaterThanOrEqual(before + 30 * 86400 - 5);
      expect(t.expires).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 86400 + 5);
      const guest = new SigoptClient(ctx.srv.url, t.token);
      const base = `/v1/experiments/${exp.id}`;
      expect(ok(await guest.request('GET', base)).id).toBe(exp.id);
      for (const path of [`${base}/suggestions`, `${base}/suggestions/${s.id}`, `${base}/observations`, `${base}/best_assignments`, `${base}/stopping_criteria`, `${base}/queued_suggestions`]) {
        expect((await guest.request('GET', path)).status, path).toBe(200);
      }
      expect(ok(await guest.request('GET', '/v1/tokens/self')).token_type).toBe('guest');
      for (const [method, path, body] of [
        ['POST', `${base}/suggestions`, {}],
        ['PUT', base, { name: 'guest edit' }],
        ['DELETE', `${base}/suggestions/${s.id}`],
        ['POST', `${base}/observations`, { suggestion: s.id, values: [{ value: 1 }] }],
      ] as const) {
        const res = await guest.request(method, path, body as Record<string, unknown> | undefined);
        expectError(res, 403, NO_PERMISSION, 'FORBIDDEN_WRITE');
        expect(res.body.token_status).toBe('invalid_permissions');
      }
      expectError(await guest.request('GET', `/v1/experiments/${other.id}`), 404, NOT_FOUND, 'NOT_FOUND');
      for (const path of ['/v1/experiments', '/v1/sessions', `/v1/clients/${await clientId()}/projects`]) {
        expectError(await guest.request('GET', path), 403, 'This token is not permitted to access this endpoint.');
      }
      expectError(await guest.request('POST', `${base}/tokens`, {}), 403, contains('permit'));
      expect(ok(await ctx.api.request('GET', base)).name).toBe(exp.name);
    });
  });
});
