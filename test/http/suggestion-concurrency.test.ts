import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SigoptClient } from '../support/sigopt-client.ts';
import { httpBackends, startTestServer, type TestServer } from '../support/server.ts';

/** Parallel clients never receive the same point; parallel_bandwidth loops keep 4 open suggestions. */
describe.each(httpBackends())('suggestions under concurrency on $name', ({ name, skip }) => {
  let srv: TestServer;
  let api: SigoptClient;
  beforeAll(async () => {
    if (skip) return;
    srv = await startTestServer(name, { settings: { 'suggestion.wait_ms': 5000 } });
    api = new SigoptClient(srv.url, srv.token);
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });

  test.skipIf(skip)('16 simultaneous requests on a small discrete space get 16 distinct points', async () => {
    const exp = await api.request('POST', '/v1/experiments', {
      name: 'concurrent',
      type: 'random',
      parameters: [
        { name: 'a', type: 'int', bounds: { min: 1, max: 4 } },
        { name: 'b', type: 'categorical', categorical_values: ['x', 'y', 'z', 'w'] },
      ],
    });
    expect(exp.status).toBe(200);
    const results = await Promise.all(Array.from({ length: 16 }, () => api.request('POST', `/v1/experiments/${exp.body.id}/suggestions`, {})));
    expect(results.map((r) => r.status)).toEqual(Array(16).fill(200));
    const keys = new Set(results.map((r) => `${r.body.assignments.a}/${r.body.assignments.b}`));
    expect(keys.size).toBe(16);
  }, 60_000);

  test.skipIf(skip)('parallel_bandwidth 4: asynchronous workers complete an offline experiment with distinct suggestions', async () => {
    const exp = await api.request('POST', '/v1/experiments', {
      name: 'bandwidth',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: -1, max: 1 } },
        { name: 'y', type: 'double', bounds: { min: -1, max: 1 } },
      ],
      metrics: [{ name: 'f', objective: 'minimize' }],
      parallel_bandwidth: 4,
      observation_budget: 24,
    });
    expect(exp.status).toBe(200);
    const id = exp.body.id as string;
    const seen = new Set<string>();
    const worker = async () => {
      for (let i = 0; i < 6; i++) {
        const s = await api.request('POST', `/v1/experiments/${id}/suggestions`, {});
        expect(s.status).toBe(200);
        const key = JSON.stringify(s.body.assignments);
        expect(seen.has(key)).toBe(false);
        seen.add(key);
        const { x, y } = s.body.assignments;
        const o = await api.request('POST', `/v1/experiments/${id}/observations`, { suggestion: s.body.id, values: [{ name: 'f', value: x * x + y * y }] });
        expect(o.status).toBe(200);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const all = await api.iteratePages(`/v1/experiments/${id}/observations`, { limit: 5 });
    expect(all).toHaveLength(24);
    expect(new Set(all.map((o: any) => o.id)).size).toBe(24);
    const open = await api.request('GET', `/v1/experiments/${id}/suggestions`, { state: 'open' });
    expect(open.body.count).toBe(0);
  }, 180_000);
});
