import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/services/token-secret.ts';
import { SigoptClient } from '../support/sigopt-client.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

interface LogLine {
  msg?: string;
  level?: number;
  statement?: string;
  ms?: number;
}

/** Samples of one series whose labels include `statement="…"`, keyed by statement. */
function byStatement(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`^${name}\\{statement="([^"]+)"\\} (\\S+)$`, 'gm'))) out.set(m[1] as string, Number(m[2]));
  return out;
}

describe('slow-query logging and database metrics (database.slow_query_ms = 0: every statement is slow)', () => {
  let srv: TestServer;
  const lines: string[] = [];
  const secret = 'private-experiment-name-4711';
  beforeAll(async () => {
    srv = await startTestServer('pglite', {
      settings: { 'database.slow_query_ms': 0, 'log.level': 'info' },
      logDestination: { write: (s: string) => void lines.push(s) },
    });
  });
  afterAll(async () => srv?.close());

  it('logs and counts each statement by name, without its parameters', async () => {
    lines.length = 0;
    const api = new SigoptClient(srv.url, srv.token);
    const exp = await api.request('POST', '/v1/experiments', {
      name: secret,
      metadata: { owner: secret },
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
    });
    expect(exp.status).toBe(200);
    const s = await api.request('POST', `/v1/experiments/${exp.body.id}/suggestions`, {});
    expect(s.status).toBe(200);
    expect(
      (
        await api.request('POST', `/v1/experiments/${exp.body.id}/observations`, {
          suggestion: s.body.id,
          values: [{ value: 0.123456789 }],
        })
      ).status,
    ).toBe(200);
    expect((await api.request('GET', `/v1/experiments/${exp.body.id}/observations`)).status).toBe(200);

    const parsed = lines.map((l) => JSON.parse(l) as LogLine);
    const slow = parsed.filter((l) => l.msg === 'slow query');
    const names = new Set(slow.map((l) => l.statement));
    for (const name of ['experiments.create', 'experiments.get', 'observations.report', 'observations.list'])
      expect(names, name).toContain(name);
    for (const l of slow) {
      expect(l.level).toBe(40); // warn
      expect(l.statement).toMatch(/^[a-zA-Z]+\.[a-zA-Z]+$/);
      expect(typeof l.ms).toBe('number');
      // Exactly the statement name and duration besides pino's own fields: no parameters.
      expect(Object.keys(l).sort()).toEqual(
        ['level', 'ms', 'msg', 'statement', 'time', ...Object.keys(l).filter((k) => ['pid', 'hostname'].includes(k))].sort(),
      );
    }
    const slowText = lines.filter((l) => l.includes('"slow query"')).join('\n');
    for (const leaked of [srv.token, hashToken(srv.token), secret, '0.123456789']) expect(slowText).not.toContain(leaked);
    expect(lines.join('\n')).not.toContain(hashToken(srv.token));

    const text = await (await fetch(`${srv.url}/metrics`)).text();
    const counted = byStatement(text, 'sextant_db_slow_queries_total');
    const timed = byStatement(text, 'sextant_db_query_duration_seconds_count');
    const logged = new Map<string, number>();
    for (const l of slow) logged.set(l.statement as string, (logged.get(l.statement as string) ?? 0) + 1);
    // Everything logged since the reset is counted (the counters also hold startup statements).
    for (const [name, n] of logged) {
      expect(counted.get(name), name).toBeGreaterThanOrEqual(n);
      expect(timed.get(name), name).toBe(counted.get(name));
    }
  });

  it('follows the live setting: a high threshold stops the logging but keeps the timing', async () => {
    const api = new SigoptClient(srv.url, srv.token);
    await srv.server.settings.set('database.slow_query_ms', 600_000, 'test');
    const before = byStatement(await (await fetch(`${srv.url}/metrics`)).text(), 'sextant_db_query_duration_seconds_count');
    lines.length = 0;
    expect((await api.request('GET', '/v1/experiments')).status).toBe(200);
    expect(lines.filter((l) => l.includes('"slow query"'))).toEqual([]);
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    const after = byStatement(text, 'sextant_db_query_duration_seconds_count');
    expect(after.get('experiments.list') ?? 0).toBeGreaterThan(before.get('experiments.list') ?? 0);
  });
});
