import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { runCli } from './run-cli.ts';

/**
 * `sextant admin` end to end: a child process per command against a running server, the way an
 * operator adds a team and a user (README "Add a team and a user"). Each spawn costs seconds, so
 * one scenario walks every command; the admin API's rules are covered in test/http/tenancy-tokens.
 */
describe('sextant admin CLI', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer('pglite');
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });
  const admin = (...args: string[]) => runCli(['admin', '--url', srv.url, '--data-dir', srv.dataDir, ...args]);
  const json = async (...args: string[]) => {
    const r = await admin('--json', ...args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, any>;
  };

  it('adds a team and a user, mints and revokes their token, and shows the audit trail', async () => {
    const org = await json('org', 'create', '--name', 'Research');
    expect(org).toEqual(expect.objectContaining({ object: 'organization', name: 'Research' }));

    const team = await admin('client', 'create', '--org', org.id, '--name', 'Vision');
    expect(team.code, team.stderr).toBe(0);
    const rootToken = /root API token \(shown once, store it now\): (\S+)/.exec(team.stdout)?.[1];
    expect(rootToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const teamSelf = await new SigoptClient(srv.url, rootToken ?? '').request('GET', '/v1/tokens/self');
    expect(teamSelf.body.organization).toBe(org.id);
    const clientId = teamSelf.body.client as string;

    const user = await json('user', 'create', '--email', 'ada@example.org', '--name', 'Ada');
    // The team's own root token administers the team (the operator's is read from --data-dir above).
    const added = await runCli(['admin', '--url', srv.url, '--token', rootToken ?? '', '--json', 'user', 'add', '--client', clientId, '--user', user.id, '--role', 'write']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ object: 'membership', client: clientId, user: user.id, role: 'write' });

    const token = await json('token', 'create', '--client', clientId, '--user', user.id, '--expires', '30d');
    expect(token.token_type).toBe('client-api');
    expect(token.expires).toBeGreaterThan(Date.now() / 1000 + 29 * 86400);
    const ada = new SigoptClient(srv.url, token.token);
    const exp = await ada.request('POST', '/v1/experiments', { name: 'cli', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] });
    expect(exp.status).toBe(200);
    expect(exp.body.client).toBe(clientId);
    const dev = await json('token', 'create', '--client', clientId, '--user', user.id, '--development');
    expect(dev.token_type).toBe('client-dev');

    const list = await admin('token', 'list', '--client', clientId);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${token.id}`);
    expect(list.stdout).not.toContain(token.token);

    const revoked = await admin('token', 'revoke', String(token.id));
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout.trim()).toBe(`token ${token.id} revoked`);
    expect((await ada.request('GET', '/v1/experiments')).status).toBe(403);
    const byValue = await admin('token', 'revoke', dev.token);
    expect(byValue.code, byValue.stderr).toBe(0);

    const audit = await json('audit', 'list', '--object-type', 'token', '--object-id', String(token.id));
    expect(audit.data.map((e: any) => e.action)).toEqual(['token.revoke', 'token.create']);
    const text = await admin('audit', 'list', '--limit', '100');
    expect(text.code, text.stderr).toBe(0);
    for (const action of ['organization.create', 'client.create', 'user.create', 'membership.create', 'token.create', 'token.revoke', 'experiment.create']) {
      expect(text.stdout, action).toContain(action);
    }
    expect(text.stdout).not.toContain(token.token);
  }, 180_000);

  it('reports refusals and bad input as one line with exit code 1', async () => {
    const bad = await admin('token', 'create', '--client', '1', '--expires', 'tomorrow');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^sextant admin: --expires takes a duration/);
    const denied = await runCli(['admin', '--url', srv.url, '--token', srv.devToken, 'org', 'create', '--name', 'x']);
    expect(denied.code).toBe(1);
    expect(denied.stderr.trim()).toBe('sextant admin: Development tokens cannot access this endpoint. (HTTP 403)');
  }, 120_000);
});
