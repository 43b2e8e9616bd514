import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SigoptClient } from '../support/sigopt-client.ts';
import { httpBackends, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The classic loop the official client runs: create → N × (suggest, observe) → best_assignments,
 * through a real socket with the python client's exact request shapes.
 */
describe.each(httpBackends())('optimization loop on $name', ({ name, skip }) => {
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

  async function runLoop(experimentId: string, n: number, evaluate: (a: Record<string, any>) => { name: string; value: number }[]) {
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const s = await api.request('POST', `/v1/experiments/${experimentId}/suggestions`, {});
      expect(s.status, JSON.stringify(s.body)).toBe(200);
      expect(s.body.object).toBe('suggestion');
      expect(s.body.state).toBe('open');
      const key = JSON.stringify(s.body.assignments);
      expect(seen.has(key), `duplicate suggestion ${key}`).toBe(false);
      seen.add(key);
      const o = await api.request('POST', `/v1/experiments/${experimentId}/observations`, { suggestion: s.body.id, values: evaluate(s.body.assignments) });
      expect(o.status, JSON.stringify(o.body)).toBe(200);
      expect(o.body.suggestion).toBe(s.body.id);
    }
  }

  test.skipIf(skip)('mixed space: double, int, log double, categorical', async () => {
    const created = await api.request('POST', '/v1/experiments', {
      name: 'mixed',
      parameters: [
        { name: 'x', type: 'double', bounds: { min: -2, max: 2 } },
        { name: 'n', type: 'int', bounds: { min: 1, max: 20 } },
        { name: 'lr', type: 'double', bounds: { min: 1e-5, max: 1 }, transformation: 'log' },
        { name: 'opt', type: 'categorical', categorical_values: ['adam', 'sgd', 'rmsprop'] },
      ],
      metrics: [{ name: 'loss', objective: 'minimize' }],
      observation_budget: 30,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const id = created.body.id as string;
    expect(typeof id).toBe('string');
    await runLoop(id, 30, (a) => {
      expect(Number.isInteger(a.n)).toBe(true);
      expect(a.n).toBeGreaterThanOrEqual(1);
      expect(a.n).toBeLessThanOrEqual(20);
      expect(a.lr).toBeGreaterThanOrEqual(1e-5);
      expect(a.lr).toBeLessThanOrEqual(1);
      expect(['adam', 'sgd', 'rmsprop']).toContain(a.opt);
      const loss = a.x ** 2 + (a.n - 7) ** 2 / 50 + (Math.log10(a.lr) + 3) ** 2 + (a.opt === 'sgd' ? 0 : 0.5);
      return [{ name: 'loss', value: loss }];
    });
    const best = await api.request('GET', `/v1/experiments/${id}/best_assignments`);
    expect(best.status).toBe(200);
    expect(best.body.object).toBe('pagination');
    expect(best.body.count).toBe(1);
    const observations = await api.iteratePages(`/v1/experiments/${id}/observations`);
    expect(observations).toHaveLength(30);
    const minLoss = Math.min(...observations.map((o: any) => o.values[0].value));
    expect(best.body.data[0].values[0].value).toBe(minLoss);
    const exp = await api.request('GET', `/v1/experiments/${id}`);
    expect(exp.body.progress.observation_count).toBe(30);
    expect(exp.body.progress.best_observation.values[0].value).toBe(minLoss);
    const open = await api.request('GET', `/v1/experiments/${id}/suggestions`, { state: 'open' });
    expect(open.body.count).toBe(0);
  }, 240_000);

  test.skipIf(skip)('grid experiment enumerates every grid point once', async () => {
    const created = await api.request('POST', '/v1/experiments', {
      name: 'grid',
      type: 'grid',
      parameters: [
        { name: 'a', type: 'int', grid: [1, 2, 3] },
        { name: 'b', type: 'double', grid: [0.5, 0.1] },
        { name: 'c', type: 'categorical', categorical_values: ['u', 'v'] },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body.observation_budget).toBe(12);
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const s = await api.request('POST', `/v1/experiments/${created.body.id}/suggestions`, {});
      expect(s.status).toBe(200);
      seen.push(`${s.body.assignments.a}/${s.body.assignments.b}/${s.body.assignments.c}`);
      await api.request('POST', `/v1/experiments/${created.body.id}/observations`, { suggestion: s.body.id, values: [{ value: i }] });
    }
    // First parameter by name varies fastest; grids sorted ascending; categoricals in enum order.
    expect(seen.slice(0, 4)).toEqual(['1/0.1/u', '2/0.1/u', '3/0.1/u', '1/0.5/u']);
    expect(new Set(seen).size).toBe(12);
  }, 120_000);

  test.skipIf(skip)('two optimized metrics: best assignments is the Pareto frontier', async () => {
    const created = await api.request('POST', '/v1/experiments', {
      name: 'two metrics',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
      metrics: [
        { name: 'f1', objective: 'minimize' },
        { name: 'f2', objective: 'minimize' },
      ],
      observation_budget: 30,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await runLoop(created.body.id, 30, (a) => [
      { name: 'f1', value: a.x ** 2 },
      { name: 'f2', value: (a.x - 1) ** 2 },
    ]);
    const best = await api.request('GET', `/v1/experiments/${created.body.id}/best_assignments`);
    expect(best.status).toBe(200);
    // On this problem every observed point is Pareto-optimal (f1 rises exactly as f2 falls).
    expect(best.body.count).toBe(30);
    const f1 = best.body.data.map((d: any) => d.values.find((v: any) => v.name === 'f1').value);
    expect([...f1].sort((a, b) => a - b)).toEqual(f1);
  }, 240_000);
});
