import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SigoptClient } from '../support/sigopt-client.ts';
import { httpBackends, startTestServer, type TestServer } from '../support/server.ts';
import { expectError, minimalExperiment, ok, prefix, raw } from '../support/conformance.ts';

/**
 * Password accounts (docs/api-compatibility.md#account-endpoints optional account endpoints, docs/security.md "Passwords"): sign-up,
 * login with session tokens, the attempt limits, teams of one's own and an organization's teams.
 * The server starts with open sign-up and no failure delay (both are settings; the closed default
 * is tested by switching it live).
 */
const GOOD_PASSWORD = 'Sextant-pass-1';

describe.each(httpBackends())('password accounts on $name', ({ name, skip }) => {
  let srv: TestServer;
  let root: SigoptClient;
  const logLines: string[] = [];
  /** Every session token value this file received (the log test looks for them). */
  const secrets = new Set<string>();
  let n = 0;
  const email = () => `person-${++n}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const anonymous = (method: string, path: string, body?: Record<string, unknown>) =>
    raw(srv.url, method, path, { headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const setting = async (key: string, value: unknown) => ok(await root.request('PUT', `/v1/admin/settings/${key}`, { value }));
  const signup = async (extra: Record<string, unknown> = {}) => {
    const address = email();
    const user = ok(await anonymous('POST', '/v1/users', { email: address, name: 'Pat', password: GOOD_PASSWORD, ...extra }));
    return { user, email: address };
  };
  const login = async (address: string, password = GOOD_PASSWORD) => {
    const session = ok(await anonymous('POST', '/v1/sessions', { email: address, password }));
    secrets.add(session.api_token.token);
    return session;
  };
  const sessionTokens = async (userId: string) => (await srv.server.store.tokens.list({ userId, types: ['user'] })).length;

  beforeAll(async () => {
    if (skip) return;
    // The address limit is off except where tested: every request of this file comes from 127.0.0.1.
    // Every request is logged (sampling 1, level trace) so the last test can search the lines for secrets.
    srv = await startTestServer(name, {
      settings: {
        'accounts.signup': 'open',
        'accounts.failed_login_delay_ms': 0,
        'accounts.login_failures_per_address': 0,
        'log.level': 'trace',
        'log.success_sample_rate': 1,
        'log.request_sizes': true,
      },
      logDestination: { write: (line: string) => void logLines.push(line) },
    });
    root = new SigoptClient(srv.url, srv.token);
  }, 60_000);
  afterAll(async () => srv?.close());

  test.skipIf(skip)('sign-up, login, a team of my own, its experiments and the organization list', async () => {
    const { user, email: address } = await signup();
    expect(user).toEqual({
      object: 'user',
      id: expect.stringMatching(/^\d+$/),
      name: 'Pat',
      email: address,
      created: expect.any(Number),
      deleted: false,
      educational_user: false,
      has_verified_email: true,
      show_welcome: false,
      planned_usage: null,
    });
    const session = await login(address.toUpperCase());
    expect(session).toMatchObject({ object: 'session', client: null, user: { id: user.id }, code: null, needs_password_reset: false });
    expect(session.api_token).toMatchObject({ object: 'token', token_type: 'user', user: user.id, client: null, scope: 'all_endpoints' });
    expect(session.api_token.token).toMatch(/^[\w-]{32}$/);
    expect(session.api_token.expires - Math.floor(Date.now() / 1000)).toBeGreaterThan(6 * 86_400);
    const me = new SigoptClient(srv.url, session.api_token.token);

    // A user token has no implicit client (docs/api-compatibility.md#token-kinds).
    expectError(await me.request('POST', '/v1/experiments', minimalExperiment()), 403, prefix('This endpoint requires a client (team) ID'));
    const team = ok(await me.request('POST', '/v1/clients', { name: 'My team' }));
    expect(team).toEqual({
      object: 'client',
      id: expect.stringMatching(/^\d+$/),
      name: 'My team',
      organization: expect.stringMatching(/^\d+$/),
      created: expect.any(Number),
      client_security: { allow_users_to_see_experiments_by_others: true },
    });
    expect(ok(await me.request('GET', `/v1/clients/${team.id}`))).toEqual(team);
    expect(ok(await me.request('GET', '/v1/sessions')).client).toEqual(team);
    const exp = ok(await me.request('POST', `/v1/clients/${team.id}/experiments`, minimalExperiment({ name: 'mine' })));
    expect(exp).toMatchObject({ client: team.id, user: user.id });
    const mine = ok(await me.request('GET', `/v1/users/${user.id}/experiments`));
    expect(mine.data.map((e: any) => e.id)).toEqual([exp.id]);
    const clients = ok(await me.request('GET', `/v1/organizations/${team.organization}/clients`));
    expect(clients).toEqual({ object: 'pagination', count: 1, data: [team], paging: { before: null, after: expect.any(String) } });

    // The owner role is real: the team's members and tokens are the user's to manage.
    const tokens = ok(await me.request('GET', `/v1/admin/clients/${team.id}/tokens`));
    expect(tokens.data.map((t: any) => [t.token_type, t.root, t.token])).toEqual([['client-api', true, null]]);

    // Another person sees none of it (404, docs/api-compatibility.md#access-rules).
    const stranger = new SigoptClient(srv.url, (await login((await signup()).email)).api_token.token);
    expectError(await stranger.request('GET', `/v1/clients/${team.id}`), 404, 'The requested resource could not be found');
    expectError(
      await stranger.request('GET', `/v1/organizations/${team.organization}/clients`),
      404,
      'The requested resource could not be found',
    );
    expectError(await stranger.request('GET', `/v1/users/${user.id}/experiments`), 404, 'The requested resource could not be found');
    expectError(await stranger.request('GET', `/v1/experiments/${exp.id}`), 404, 'The requested resource could not be found');
  });

  test.skipIf(skip)('sign-up with client_name makes the user the owner of a new team', async () => {
    const { user, email: address } = await signup({ client_name: 'Lab' });
    const session = await login(address);
    expect(session.client).toMatchObject({ object: 'client', name: 'Lab' });
    const me = new SigoptClient(srv.url, session.api_token.token);
    expect(ok(await me.request('GET', `/v1/users/${user.id}`)).id).toBe(user.id);
    ok(await me.request('POST', `/v1/clients/${session.client.id}/projects`, { id: 'p1', name: 'first' }));
  });

  test.skipIf(skip)('organization client lists page like every list and include only readable teams', async () => {
    const self = ok(await root.request('GET', '/v1/tokens/self'));
    const org = self.organization as string;
    // The operator (root token of the first organization) adds two teams to its organization.
    const b = ok(await root.request('POST', '/v1/admin/clients', { organization: org, name: 'second' }));
    const c = ok(await root.request('POST', '/v1/admin/clients', { organization: org, name: 'third' }));
    const all = ok(await root.request('GET', `/v1/organizations/${org}/clients`));
    expect(all.data.map((x: any) => x.id)).toEqual([c.id, b.id, self.client]);
    const page = ok(await root.request('GET', `/v1/organizations/${org}/clients`, { limit: 2 }));
    expect(page.data.map((x: any) => x.id)).toEqual([c.id, b.id]);
    expect(page.count).toBe(3);
    const rest = ok(await root.request('GET', `/v1/organizations/${org}/clients`, { limit: 2, before: page.paging.before }));
    expect(rest.data.map((x: any) => x.id)).toEqual([self.client]);
    expect(rest.paging.before).toBeNull();
    const asc = ok(await root.request('GET', `/v1/organizations/${org}/clients`, { ascending: true }));
    expect(asc.data.map((x: any) => x.id)).toEqual([self.client, b.id, c.id]);
    // A member of one team sees that team only.
    const { user, email: address } = await signup();
    ok(await root.request('PUT', `/v1/admin/clients/${b.id}/memberships`, { user: user.id, role: 'read' }));
    const member = new SigoptClient(srv.url, (await login(address)).api_token.token);
    expect(ok(await member.request('GET', `/v1/organizations/${org}/clients`)).data.map((x: any) => x.id)).toEqual([b.id]);
    expectError(await root.request('GET', `/v1/organizations/${org}/clients`, { limit: 1001 }), 400, 'Exceeded maximum limit: 1000');
    expectError(
      await root.request('GET', `/v1/organizations/${org}/clients`, { before: '' }),
      400,
      'Invalid paging marker, cannot be an empty string',
    );
    expectError(await root.request('GET', '/v1/organizations/999999999/clients'), 404, 'The requested resource could not be found');
  });

  test.skipIf(skip)('sign-up rejects bad input with SigOpt messages, never echoing the password, and stores nothing', async () => {
    const address = email();
    const secret = 'Leaky-secret-9';
    const rows: [Record<string, unknown>, string | RegExp][] = [
      [{ name: 'Pat', password: secret }, prefix('Missing required json key "email" in: ')],
      [{ email: address, password: secret }, prefix('Missing required json key "name" in: ')],
      [{ email: address, name: 'Pat' }, prefix('Missing required json key "password" in: ')],
      [{ email: address, name: 'Pat', password: 12345678 }, 'Invalid type for password: "[redacted]" - expected type string'],
      [{ email: 'no-at-sign', name: 'Pat', password: secret }, 'Invalid email: no-at-sign'],
      [{ email: address, name: 'x'.repeat(101), password: secret }, 'The length of .name must be less than or equal to 100'],
      [{ email: address, name: 'Pat', password: secret, color: 'red' }, prefix('Unknown json keys `color` in: ')],
      [{ email: address, name: 'Pat', password: secret, invite_code: 'abc' }, prefix('Invite codes are not supported')],
      [{ email: address, name: 'Pat', password: secret, client_name: '' }, 'client_name must not be empty'],
    ];
    for (const weak of ['Short-1', 'alllowercase-1', 'ALLUPPERCASE-1', 'No-digits-here', 'NoSpecial123', `Aa1-${'x'.repeat(68)}`]) {
      rows.push([{ email: address, name: 'Pat', password: weak }, prefix('Invalid password: a password must have 8 to 71 characters')]);
    }
    for (const [body, message] of rows) {
      const res = await anonymous('POST', '/v1/users', body);
      expectError(res, 400, message);
      expect(res.text).not.toContain(secret);
      if (typeof body.password === 'string') expect(res.text).not.toContain(body.password);
    }
    expect(await srv.server.store.users.findByEmail(address)).toBeNull();
    ok(await anonymous('POST', '/v1/users', { email: address, name: 'Pat', password: secret }));
    // The address now exists: a second sign-up is refused, whatever the case of the address.
    expectError(
      await anonymous('POST', '/v1/users', { email: address.toUpperCase(), name: 'Pat', password: secret }),
      400,
      `A user with email ${address.toUpperCase()} already exists`,
    );
    expectError(
      await raw(srv.url, 'POST', '/v1/users', {
        body: '{"email": "a@b.c", "password": nan}',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      prefix('Malformed json in request body'),
    );
    const rejected = email();
    await anonymous('POST', '/v1/users', { email: rejected, name: 'Pat', password: 'weak' });
    expect(await srv.server.store.users.findByEmail(rejected)).toBeNull();
  });

  test.skipIf(skip)('two concurrent sign-ups of one email: exactly one succeeds', async () => {
    const address = email();
    const body = { email: address, name: 'Twin', password: GOOD_PASSWORD };
    const answers = await Promise.all([
      anonymous('POST', '/v1/users', body),
      anonymous('POST', '/v1/users', { ...body, email: address.toUpperCase() }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)?.body.message).toMatch(/^A user with email .* already exists$/);
  });

  test.skipIf(skip)('login: one answer for wrong password, unknown email and token-only users; bad input is a 400', async () => {
    const { user, email: address } = await signup();
    const before = await sessionTokens(user.id);
    expectError(await anonymous('POST', '/v1/sessions', { email: address, password: 'Wrong-pass-1' }), 400, 'Invalid email/password');
    expectError(await anonymous('POST', '/v1/sessions', { email: email(), password: GOOD_PASSWORD }), 400, 'Invalid email/password');
    const tokenOnly = ok(await root.request('POST', '/v1/admin/users', { email: email(), name: 'Token only' }));
    expectError(
      await anonymous('POST', '/v1/sessions', { email: tokenOnly.email, password: GOOD_PASSWORD }),
      400,
      'Invalid email/password',
    );
    const secret = 'Leaky-secret-9';
    for (const [body, message] of [
      [{ password: secret }, prefix('Missing required json key "email" in: ')],
      [{ email: address }, prefix('Missing required json key "password" in: ')],
      [{ email: address, password: ['x'] }, 'Invalid type for password: "[redacted]" - expected type string'],
      [{ email: 7, password: secret }, 'Invalid type for email: 7 - expected type string'],
      [{ email: address, password: secret, remember: true }, prefix('Unknown json keys `remember` in: ')],
    ] as [Record<string, unknown>, string | RegExp][]) {
      const res = await anonymous('POST', '/v1/sessions', body);
      expectError(res, 400, message);
      expect(res.text).not.toContain(secret);
    }
    expect(await sessionTokens(user.id)).toBe(before);
    // The login route reads no token: a revoked or unknown one does not get in the way.
    const res = await raw(srv.url, 'POST', '/v1/sessions', {
      token: 'not-a-token-at-all',
      body: JSON.stringify({ email: address, password: GOOD_PASSWORD }),
      headers: { 'content-type': 'application/json' },
    });
    expect(ok(res).user.id).toBe(user.id);
    expectError(await anonymous('DELETE', '/v1/sessions'), 405, prefix('This endpoint accepts only the following methods: ['));
  });

  test.skipIf(skip)('a user keeps at most 20 live sessions: the 21st login revokes the oldest', async () => {
    const { email: address } = await signup();
    const first = (await login(address)).api_token.token as string;
    expect((await new SigoptClient(srv.url, first).request('GET', '/v1/sessions')).status).toBe(200);
    for (let i = 0; i < 19; i++) await login(address);
    expect((await new SigoptClient(srv.url, first).request('GET', '/v1/sessions')).status).toBe(200);
    const last = (await login(address)).api_token.token as string;
    expectError(
      await new SigoptClient(srv.url, first).request('GET', '/v1/sessions'),
      403,
      prefix('This endpoint requires a valid API token.'),
    );
    expect((await new SigoptClient(srv.url, last).request('GET', '/v1/sessions')).status).toBe(200);
  });

  test.skipIf(skip)('POST /v1/clients needs a session token and a name', async () => {
    expectError(await root.request('POST', '/v1/clients', { name: 'x' }), 403, prefix('The token in use is not associated to any user.'));
    expectError(
      await new SigoptClient(srv.url, srv.devToken).request('POST', '/v1/clients', { name: 'x' }),
      403,
      'Development tokens cannot access this endpoint.',
    );
    expectError(await anonymous('POST', '/v1/clients', { name: 'x' }), 401, prefix('No API token provided'));
    const me = new SigoptClient(srv.url, (await login((await signup()).email)).api_token.token);
    expectError(await me.request('POST', '/v1/clients', {}), 400, prefix('Missing required json key "name" in: '));
    expectError(
      await me.request('POST', '/v1/clients', { name: 'x', organization: '1' }),
      400,
      prefix('Unknown json keys `organization` in: '),
    );
    expectError(
      await me.request('POST', '/v1/clients', { name: 'n'.repeat(101) }),
      400,
      'The length of .name must be less than or equal to 100',
    );
    expect(ok(await me.request('GET', '/v1/sessions')).client).toBeNull();
  });

  test.skipIf(skip)('closed sign-up: only the operator and client administrators create password users', async () => {
    await setting('accounts.signup', 'closed');
    try {
      const body = () => ({ email: email(), name: 'Pat', password: GOOD_PASSWORD });
      expectError(await anonymous('POST', '/v1/users', body()), 403, prefix('Sign-up is closed on this server'));
      const reader = ok(await root.request('POST', '/v1/admin/users', { email: email(), name: 'Reader' }));
      const self = ok(await root.request('GET', '/v1/tokens/self'));
      ok(await root.request('PUT', `/v1/admin/clients/${self.client}/memberships`, { user: reader.id, role: 'read' }));
      const readerToken = ok(await root.request('POST', '/v1/admin/tokens', { client: self.client, user: reader.id })).token as string;
      expectError(
        await new SigoptClient(srv.url, readerToken).request('POST', '/v1/users', body()),
        403,
        prefix("You don't have permission to do this action."),
      );
      expectError(
        await new SigoptClient(srv.url, 'not-a-token-at-all').request('POST', '/v1/users', body()),
        403,
        prefix('This endpoint requires a valid API token.'),
      );
      const made = body();
      const user = ok(await root.request('POST', '/v1/users', made));
      expect(ok(await anonymous('POST', '/v1/sessions', { email: made.email, password: made.password })).user.id).toBe(user.id);
    } finally {
      await setting('accounts.signup', 'open');
    }
  });

  test.skipIf(skip)('failed logins are limited per account, then per address (429 with Retry-After)', async () => {
    await setting('accounts.login_failures_per_account', 3);
    try {
      const { email: address } = await signup();
      const { email: neighbour } = await signup();
      for (let i = 0; i < 3; i++)
        expectError(await anonymous('POST', '/v1/sessions', { email: address, password: 'Wrong-pass-1' }), 400, 'Invalid email/password');
      // Even the right password is refused now, before it is checked.
      const limited = await anonymous('POST', '/v1/sessions', { email: address, password: GOOD_PASSWORD });
      expectError(limited, 429, 'Too many failed login attempts. Please wait a few minutes and try again.');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // Another account from the same address is unaffected by the account limit.
      expect(ok(await anonymous('POST', '/v1/sessions', { email: neighbour, password: GOOD_PASSWORD })).object).toBe('session');
    } finally {
      await setting('accounts.login_failures_per_account', 10);
    }
    // The address limit counts failures over all accounts (and sign-ups) from one address.
    await setting('accounts.login_failures_per_address', 1);
    try {
      const limited = await anonymous('POST', '/v1/sessions', { email: email(), password: 'Wrong-pass-1' });
      expectError(limited, 429, 'Too many failed login attempts. Please wait a few minutes and try again.');
      expectError(
        await anonymous('POST', '/v1/users', { email: email(), name: 'Pat', password: GOOD_PASSWORD }),
        429,
        prefix('Too many failed login attempts.'),
      );
    } finally {
      await setting('accounts.login_failures_per_address', 0);
    }
  });

  test.skipIf(skip)('no password and no session token appears in any log line', async () => {
    const { email: address } = await signup();
    await anonymous('POST', '/v1/sessions', { email: address, password: 'Wrong-but-secret-7' });
    const token = (await login(address)).api_token.token as string;
    await new SigoptClient(srv.url, token).request('GET', `/v1/tokens/${token}`);
    await anonymous('POST', '/v1/users', { email: 'bad', name: 'x', password: 'Invalid-secret-8' });
    const output = logLines.join('');
    expect(logLines.length).toBeGreaterThan(20);
    for (const secret of [GOOD_PASSWORD, 'Wrong-but-secret-7', 'Invalid-secret-8', 'Leaky-secret-9', ...secrets]) {
      expect(output.includes(secret), `a log line contains ${secret.slice(0, 4)}…`).toBe(false);
    }
  });
});
