import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigoptClient } from '../support/sigopt-client.ts';
import { httpBackends, startTestServer, type TestServer } from '../support/server.ts';

/** The value of one Prometheus sample (labels in any order), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** Sum of every sample of a series. */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((acc, l) => acc + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('suggestion source accounting', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer('pglite');
  });
  afterAll(async () => srv?.close());

  it('fresh, stale and fallback counts in /metrics match the stored suggestions', async () => {
    const api = new SigoptClient(srv.url, srv.token);
    const exp = await api.request('POST', '/v1/experiments', {
      name: 'sources',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: 0, max: 1 } },
        { name: 'y', type: 'double', bounds: { min: 0, max: 1 } },
      ],
      parallel_bandwidth: 2,
    });
    const id = exp.body.id as string;
    // Past the initial design with two clients in step: fresh model points, and stale spares or
    // fallbacks whenever a request outruns its refresh.
    for (let i = 0; i < 14; i++) {
      const pair = await Promise.all([0, 1].map(() => api.request('POST', `/v1/experiments/${id}/suggestions`, {})));
      for (const s of pair) {
        expect(s.status).toBe(200);
        const v = -((Number(s.body.assignments.x) - 0.3) ** 2) - (Number(s.body.assignments.y) - 0.6) ** 2;
        expect(
          (await api.request('POST', `/v1/experiments/${id}/observations`, { suggestion: s.body.id, values: [{ value: v }] })).status,
        ).toBe(200);
      }
    }
    const stored = await srv.server.store.suggestions.list(id, { deleted: false }, { limit: 1000, ascending: true });
    const bySource: Record<string, number> = {};
    for (const s of stored.items) bySource[s.source] = (bySource[s.source] ?? 0) + 1;
    expect(bySource.fresh ?? 0, JSON.stringify(bySource)).toBeGreaterThan(0);
    expect(bySource.model).toBeUndefined();
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    for (const source of ['initial', 'fresh', 'stale', 'fallback']) {
      expect(sample(text, 'sextant_suggestions_total', { source }) ?? 0, source).toBe(bySource[source] ?? 0);
    }
  });
});

describe('metrics after a scripted run', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer('pglite');
  });
  afterAll(async () => srv?.close());

  it('exposes the named series with exact counts', async () => {
    const api = new SigoptClient(srv.url, srv.token);
    const exp = await api.request('POST', '/v1/experiments', {
      name: 'metrics',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
    });
    expect(exp.status).toBe(200);
    const N = 7;
    for (let i = 0; i < N; i++) {
      const s = await api.request('POST', `/v1/experiments/${exp.body.id}/suggestions`, {});
      expect(s.status).toBe(200);
      const x = Number(s.body.assignments.x);
      expect(
        (
          await api.request('POST', `/v1/experiments/${exp.body.id}/observations`, {
            suggestion: s.body.id,
            values: [{ value: -((x - 0.3) ** 2) }],
          })
        ).status,
      ).toBe(200);
    }
    expect((await api.request('GET', '/v1/experiments/999999')).status).toBe(404);

    const res = await fetch(`${srv.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();

    expect(total(text, 'sextant_suggestions_total')).toBe(N);
    const sources = [...text.matchAll(/^sextant_suggestions_total\{source="(\w+)"\}/gm)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) expect(['queued', 'initial', 'fresh', 'stale', 'fallback', 'random', 'grid', 'explicit']).toContain(s);
    expect(sample(text, 'sextant_suggestions_total', { source: 'initial' })).toBeGreaterThan(0);

    const count = (route: string, method: string, status: string) =>
      sample(text, 'sextant_http_request_duration_seconds_count', { route, method, status });
    expect(count('suggestion.create', 'POST', '200')).toBe(N);
    expect(count('observation.create', 'POST', '200')).toBe(N);
    expect(count('experiment.create', 'POST', '200')).toBe(1);
    expect(count('experiment.get', 'GET', '404')).toBe(1);
    expect(sample(text, 'sextant_http_response_size_bytes_count', { route: 'suggestion.create' })).toBe(N);
    expect(sample(text, 'sextant_http_request_size_bytes_count', { route: 'observation.create' })).toBe(N);
    expect(total(text, 'sextant_http_server_errors_total')).toBe(0);

    for (const series of [
      'sextant_engine_refresh_duration_seconds',
      'sextant_engine_refreshes_in_flight',
      'sextant_log_bytes_total',
      'sextant_load_profile_active',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text, series).toContain(`# TYPE ${series} `);
    }
    expect(sample(text, 'sextant_load_profile_active', { profile: 'none' })).toBe(1);
  }, 120_000);

  it('/ready reports the database, /health stays liveness', async () => {
    const ready = await fetch(`${srv.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    expect((await fetch(`${srv.url}/health`)).status).toBe(200);
  });
});

describe('request logs', () => {
  let srv: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    srv = await startTestServer('pglite', {
      settings: { 'log.level': 'trace', 'log.success_sample_rate': 1, 'log.request_sizes': true },
      logDestination: { write: (s: string) => void lines.push(s) },
    });
  });
  afterAll(async () => srv?.close());

  it('never contain tokens, even when they are in the URL, the body or a rejected header', async () => {
    const api = new SigoptClient(srv.url, srv.token);
    const wrong = 'wrong-secret-token-0123456789abcdef';
    expect((await api.request('GET', '/v1/experiments')).status).toBe(200);
    expect((await api.request('GET', '/v1/tokens/self')).status).toBe(200);
    expect((await api.request('GET', `/v1/tokens/${srv.token}`)).status).toBe(200);
    expect((await api.request('GET', `/v1/tokens/${srv.devToken}`)).status).toBeLessThan(500);
    expect((await api.request('GET', `/v1/no-such/${srv.token}`)).status).toBe(404);
    expect((await new SigoptClient(srv.url, wrong).request('GET', '/v1/experiments')).status).toBe(403);
    expect((await api.request('PUT', '/v1/admin/settings/log.level', { value: srv.token })).status).toBe(400);
    const malformed = await fetch(`${srv.url}/v1/experiments`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${srv.token}:`).toString('base64')}`, 'content-type': 'application/json' },
      body: `{"name": "${srv.token}", `,
    });
    expect(malformed.status).toBe(400);
    const login = await fetch(`${srv.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${srv.token}` },
      body: JSON.stringify({ email: 'a@b.c', password: srv.token }),
    });
    expect(login.status).toBeLessThan(500);

    const output = lines.join('');
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(8);
    for (const r of requests) {
      expect(r).toEqual(
        expect.objectContaining({
          reqId: expect.any(String),
          route: expect.any(String),
          status: expect.any(Number),
          ms: expect.any(Number),
        }),
      );
    }
    expect(requests.find((r) => r.route === 'token.get' || r.status === 200)).toBeDefined();
    for (const secret of [srv.token, srv.devToken, wrong, Buffer.from(`${srv.token}:`).toString('base64')]) {
      expect(output.includes(secret), `log output contains ${secret}`).toBe(false);
    }
  }, 60_000);
});

describe('cache hit counting', () => {
  let srv: TestServer;
  beforeAll(async () => {
    // Token lookups remembered for a minute: the outcome of each lookup does not depend on timing.
    srv = await startTestServer('pglite', { settings: { 'auth.cache_ms': 60_000 } });
  });
  afterAll(async () => srv?.close());

  it('counts token lookups served by the per-process memo as auth hits, database lookups as misses', async () => {
    const read = async () => {
      const text = await (await fetch(`${srv.url}/metrics`)).text();
      return {
        hit: sample(text, 'sextant_cache_requests_total', { kind: 'auth', result: 'hit' }) ?? NaN,
        miss: sample(text, 'sextant_cache_requests_total', { kind: 'auth', result: 'miss' }) ?? NaN,
      };
    };
    const before = await read();
    const api = new SigoptClient(srv.url, srv.token);
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/v1/experiments')).status).toBe(200);
    const stranger = new SigoptClient(srv.url, 'no-such-token-0123456789');
    expect([401, 403]).toContain((await stranger.request('GET', '/v1/experiments')).status);
    const after = await read();
    // The token's first lookup may already be memoized by the harness's own requests.
    expect(after.hit + after.miss - before.hit - before.miss).toBe(4);
    expect(after.hit - before.hit).toBeGreaterThanOrEqual(2);
    expect(after.miss - before.miss).toBeGreaterThanOrEqual(1);
  });
});

const distributed = httpBackends().find((b) => b.name === 'distributed');
describe.skipIf(distributed?.skip ?? true)('cache hit counting in distributed mode', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer('distributed');
  }, 120_000);
  afterAll(async () => srv?.close());

  it('counts generation and pool reads of post-initial suggestions, and exposes the queue and worker series', async () => {
    const api = new SigoptClient(srv.url, srv.token);
    const exp = await api.request('POST', '/v1/experiments', {
      name: 'cache reads',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
    });
    expect(exp.status).toBe(200);
    // Past the initial design (at least 4 points), suggestions read the experiment's generation and pool.
    const sources: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await api.request('POST', `/v1/experiments/${exp.body.id}/suggestions`, {});
      expect(s.status).toBe(200);
      sources.push(s.body.source ?? '');
      const x = Number(s.body.assignments.x);
      expect(
        (
          await api.request('POST', `/v1/experiments/${exp.body.id}/observations`, {
            suggestion: s.body.id,
            values: [{ value: -((x - 0.3) ** 2) }],
          })
        ).status,
      ).toBe(200);
    }
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    const reads = (kind: string) =>
      (sample(text, 'sextant_cache_requests_total', { kind, result: 'hit' }) ?? 0) +
      (sample(text, 'sextant_cache_requests_total', { kind, result: 'miss' }) ?? 0);
    expect(sources.filter((s) => s !== 'initial').length).toBeGreaterThan(0);
    expect(sample(text, 'sextant_cache_requests_total', { kind: 'generation', result: 'hit' })).toBeGreaterThan(0);
    expect(reads('pool')).toBeGreaterThan(0);
    expect(sample(text, 'sextant_queue_oldest_job_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'sextant_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^sextant_worker_last_heartbeat_timestamp_seconds\{worker="[^"]+"\} \d+$/m);
  }, 120_000);
});
