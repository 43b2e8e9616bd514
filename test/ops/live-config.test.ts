import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigoptClient } from '../support/sigopt-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { runCli } from './run-cli.ts';

/**
 * Live reconfiguration through `sextant config` against a running server (issue 6): a change takes
 * effect without restart, invalid values change nothing, profiles round-trip. Embedded mode.
 */
describe('sextant config against a running server', () => {
  let srv: TestServer;
  let api: SigoptClient;
  const lines: string[] = [];
  const cli = (...args: string[]) => runCli(['config', '--url', srv.url, ...args], { SEXTANT_API_TOKEN: srv.token });
  const setting = async (key: string) => (await api.request('GET', `/v1/admin/settings/${key}`)).body;

  beforeAll(async () => {
    srv = await startTestServer('pglite', {
      // Command-line layer: no successful request is logged until the operator says so.
      settings: { 'log.success_sample_rate': 0 },
      logDestination: { write: (s: string) => void lines.push(s) },
    });
    api = new SigoptClient(srv.url, srv.token);
  });
  afterAll(async () => srv?.close());

  it('a setting changed through the CLI takes effect in the running server', async () => {
    const requestLines = () => lines.filter((l) => JSON.parse(l).route === 'experiment.list').length;
    expect((await api.request('GET', '/v1/experiments')).status).toBe(200);
    expect(requestLines()).toBe(0);

    const r = await cli('set', 'log.success_sample_rate', '1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('log.success_sample_rate: 0 ratio → 1 ratio');

    expect((await api.request('GET', '/v1/experiments')).status).toBe(200);
    expect(requestLines()).toBe(1);
    const s = await setting('log.success_sample_rate');
    expect(s).toMatchObject({ value: 1, source: 'override', base_value: 0, base_source: 'command-line' });

    const wait = await cli('set', 'suggestion.wait_ms', '250');
    expect(wait.code).toBe(0);
    expect(srv.server.settings.get('suggestion.wait_ms')).toBe(250);

    const get = await cli('get', 'suggestion.wait_ms');
    expect(get.stdout).toMatch(/value\s+250 ms \(from override\)/);
    expect(get.stdout).toMatch(/without override\s+2000 ms \(from command-line\)/);

    const reset = await cli('reset', 'log.success_sample_rate');
    expect(reset.stdout).toContain('log.success_sample_rate: 0 ratio (from command-line)');
    expect(srv.server.settings.get('log.success_sample_rate')).toBe(0);
  }, 120_000);

  it('rejects invalid values with a clear error and changes nothing', async () => {
    const before = await setting('suggestion.wait_ms');
    const auditBefore = (await api.request('GET', '/v1/admin/audit', { limit: 100 })).body.count;
    const cases: [string, string, string][] = [
      ['suggestion.wait_ms', '-5', 'Invalid value "-5" for suggestion.wait_ms: must be between 0 and 60000 (ms).'],
      ['suggestion.wait_ms', '1.5', 'Invalid value "1.5" for suggestion.wait_ms: expected an integer (ms).'],
      ['log.level', 'loud', 'Invalid value "loud" for log.level: expected one of fatal, error, warn, info, debug, trace, silent.'],
      ['log.request_sizes', 'yes', 'Invalid value "yes" for log.request_sizes: expected true or false.'],
      ['no.such.key', '1', 'Unknown setting "no.such.key". Run `sextant config list` for the known settings.'],
    ];
    // Through the CLI for two cases (each spawn costs seconds), through the admin API for all.
    for (const [key, value, message] of [cases[0], cases[4]] as [string, string, string][]) {
      const r = await cli('set', key, value);
      expect(r.code, key).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(`sextant config: ${message} (HTTP ${key === 'no.such.key' ? 404 : 400})`);
    }
    for (const [key, value, message] of cases) {
      const res = await api.request('PUT', `/v1/admin/settings/${key}`, { value });
      expect(res.status, key).toBe(key === 'no.such.key' ? 404 : 400);
      expect(res.body.message).toBe(message);
    }
    expect(await setting('suggestion.wait_ms')).toEqual(before);
    expect((await api.request('GET', '/v1/admin/audit', { limit: 100 })).body.count).toBe(auditBefore);

    const noToken = await runCli(['config', '--url', srv.url, '--data-dir', '/nonexistent', 'list']);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('no API token: pass --token, set SEXTANT_API_TOKEN');

    const devToken = new SigoptClient(srv.url, srv.devToken);
    const denied = await devToken.request('PUT', '/v1/admin/settings/suggestion.wait_ms', { value: 1 });
    expect(denied.status).toBe(403);
  }, 120_000);

  it('profile apply and revert round-trip, audited', async () => {
    await api.request('PUT', '/v1/admin/settings/suggestion.wait_ms', { value: 1234 });
    const before = (await api.request('GET', '/v1/admin/settings')).body;

    const apply = await cli('profile', 'apply', 'high-load');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('applied profile high-load');
    expect(apply.stdout).toContain('suggestion.wait_ms: 1234 → 20');
    expect(srv.server.settings.get('suggestion.wait_ms')).toBe(20);
    expect(srv.server.settings.get('log.success_sample_rate')).toBe(0.001);
    expect(srv.server.settings.activeProfile()?.name).toBe('high-load');

    const list = await cli('list');
    expect(list.stdout).toMatch(/suggestion\.pool_size\s+25 candidates\s+override\s+live/);
    expect(list.stdout).toContain('load profile: high-load');

    const revert = await cli('profile', 'revert');
    expect(revert.code).toBe(0);
    expect(revert.stdout).toContain('suggestion.wait_ms: 20 → 1234');
    const after = (await api.request('GET', '/v1/admin/settings')).body;
    expect(after.data.map((s: any) => [s.key, s.value, s.source])).toEqual(before.data.map((s: any) => [s.key, s.value, s.source]));
    expect(after.active_profile).toBeNull();

    const again = await cli('profile', 'revert');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('No load profile is applied, so there is nothing to revert.');
    const unknown = await cli('profile', 'apply', 'turbo');
    expect(unknown.stderr).toContain('Unknown profile "turbo". Known profiles: default, high-load.');

    const audit = (await api.request('GET', '/v1/admin/audit', { limit: 3 })).body.data;
    expect(audit.map((e: any) => e.action)).toEqual(['profile.revert', 'profile.apply', 'setting.set']);
    expect(audit[1].actor).toMatch(/^token:\d+$/);
    expect(audit[1].details.changes['suggestion.wait_ms']).toEqual({ old: 1234, new: 20 });
  }, 120_000);
});
