import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { createExperiment, double, expectError, minimalExperiment, ok, useServer } from '../support/conformance.ts';

/** Best assignments, stopping criteria, metric importances (docs/api-compatibility.md#best-assignments and following), best practices. */
describe.each(httpBackends())('experiment insights on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  /** Creates an experiment and its observations in one batch; returns the experiment and observation ids. */
  async function withObservations(body: Record<string, unknown>, observations: Record<string, unknown>[]) {
    const exp = await createExperiment(ctx.api, body);
    const created = observations.length
      ? ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations/batch`, { observations })).data.map((o: any) => o.id as string)
      : [];
    return { exp, ids: created, base: `/v1/experiments/${exp.id}` };
  }
  const at = (x: number, values: Record<string, number> | number, extra: Record<string, unknown> = {}) => ({
    assignments: { x },
    values: typeof values === 'number' ? [{ value: values }] : Object.entries(values).map(([n, value]) => ({ name: n, value })),
    ...extra,
  });
  const best = async (base: string) => ok(await ctx.api.request('GET', `${base}/best_assignments`));

  test.skipIf(skip)('single metric: the best eligible observation, BestAssignments shape, unpaged envelope', async () => {
    const { ids, base } = await withObservations(minimalExperiment(), [at(0.1, 1), at(0.2, 5, { metadata: { tag: 'top' } }), at(0.3, 3), { assignments: { x: 0.4 }, failed: true }]);
    const body = await best(base);
    expect(body).toEqual({
      object: 'pagination',
      count: 1,
      data: [{ object: 'best_assignments', id: ids[1], assignments: { x: 0.2 }, values: [{ object: 'metric_evaluation', name: null, value: 5, value_stddev: null }], metadata: { tag: 'top' } }],
      paging: { before: null, after: null },
    });
    // Deleted observations are not eligible.
    ok(await ctx.api.request('DELETE', `${base}/observations/${ids[1]}`));
    expect((await best(base)).data[0].id).toBe(ids[2]);
    const min = await withObservations(minimalExperiment({ metrics: [{ name: 'loss', objective: 'minimize' }] }), [at(0.1, 4), at(0.2, 2), at(0.3, 3)]);
    expect((await best(min.base)).data.map((b: any) => b.id)).toEqual([min.ids[1]]);
    const empty = await withObservations(minimalExperiment(), []);
    expect(await best(empty.base)).toEqual({ object: 'pagination', count: 0, data: [], paging: { before: null, after: null } });
    const onlyFailed = await withObservations(minimalExperiment(), [{ assignments: { x: 0.5 }, failed: true }]);
    expect((await best(onlyFailed.base)).data).toEqual([]);
  });

  test.skipIf(skip)('two optimized metrics: the Pareto frontier, best-first by the first metric; thresholds filter', async () => {
    const body = { name: 'pareto', parameters: [double('x')], metrics: [{ name: 'f2' }, { name: 'f1' }], observation_budget: 10 };
    const obs = [at(0.1, { f1: 1, f2: 5 }), at(0.2, { f1: 5, f2: 1 }), at(0.3, { f1: 3, f2: 3 }), at(0.4, { f1: 2, f2: 2 })];
    const { ids, base } = await withObservations(body, obs);
    const front = await best(base);
    expect(front.count).toBe(3);
    expect(front.data.map((b: any) => b.id)).toEqual([ids[1], ids[2], ids[0]]);
    const withThreshold = await withObservations({ ...body, metrics: [{ name: 'f1', threshold: 2 }, { name: 'f2' }] }, obs);
    expect((await best(withThreshold.base)).data.map((b: any) => b.id)).toEqual([withThreshold.ids[1], withThreshold.ids[2]]);
  });

  test.skipIf(skip)('constraint metrics: only observations within every threshold are eligible', async () => {
    const body = {
      name: 'constrained',
      parameters: [double('x')],
      metrics: [{ name: 'm' }, { name: 'c', strategy: 'constraint', threshold: 0.5 }, { name: 'd', strategy: 'constraint', objective: 'minimize', threshold: 10 }],
      observation_budget: 10,
    };
    const { ids, base } = await withObservations(body, [at(0.1, { m: 10, c: 0.1, d: 1 }), at(0.2, { m: 5, c: 0.9, d: 1 }), at(0.3, { m: 8, c: 0.9, d: 20 })]);
    expect((await best(base)).data.map((b: any) => b.id)).toEqual([ids[1]]);
    const e = ok(await ctx.api.request('GET', base));
    expect(e.progress.best_observation.id).toBe(ids[1]);
  });

  test.skipIf(skip)('search experiments (constraint metrics only): every eligible observation, best-first', async () => {
    const body = {
      name: 'search',
      parameters: [double('x')],
      metrics: [{ name: 'c', strategy: 'constraint', threshold: 1 }, { name: 'e', strategy: 'constraint', objective: 'minimize', threshold: 5 }],
      observation_budget: 10,
    };
    const { ids, base } = await withObservations(body, [at(0.1, { c: 2, e: 1 }), at(0.2, { c: 0, e: 1 }), at(0.3, { c: 4, e: 3 }), at(0.4, { c: 3, e: 9 })]);
    expect((await best(base)).data.map((b: any) => b.id)).toEqual([ids[2], ids[0]]);
    // Search experiments never stagnate; progress has no best_observation (no optimized metric).
    expect(ok(await ctx.api.request('GET', base)).progress.best_observation).toBeNull();
  });

  test.skipIf(skip)('num_solutions: up to k solutions, all of them best-first when there are few', async () => {
    const { ids, base } = await withObservations(minimalExperiment({ num_solutions: 2, observation_budget: 10 }), [at(0.1, 1), at(0.9, 7)]);
    expect((await best(base)).data.map((b: any) => b.id)).toEqual([ids[1], ids[0]]);
    const many = await withObservations(
      minimalExperiment({ num_solutions: 3, observation_budget: 30 }),
      Array.from({ length: 20 }, (_, i) => at(i / 20, i)),
    );
    const sol = await best(many.base);
    expect(sol.count).toBeGreaterThanOrEqual(1);
    expect(sol.count).toBeLessThanOrEqual(3);
    expect(new Set(sol.data.map((b: any) => b.id)).size).toBe(sol.count);
    // Chosen from the top 20 % (at least k) by value.
    for (const b of sol.data) expect(b.values[0].value).toBeGreaterThanOrEqual(16);
  });

  test.skipIf(skip)('multitask: only observations at the cost-1 task count', async () => {
    const body = { name: 'mt', parameters: [double('x')], tasks: [{ name: 'cheap', cost: 0.2 }, { name: 'full', cost: 1 }], observation_budget: 10 };
    const { ids, base } = await withObservations(body, [at(0.1, 100, { task: 'cheap' }), at(0.2, 3, { task: 'full' }), at(0.3, 2, { task: 'full' })]);
    const b = await best(base);
    expect(b.data.map((x: any) => x.id)).toEqual([ids[1]]);
    expect(b.data[0].task).toEqual({ object: 'task', name: 'full', cost: 1 });
    expect(ok(await ctx.api.request('GET', base)).progress.observation_budget_consumed).toBeCloseTo(2.2, 10);
  });

  test.skipIf(skip)('stopping criteria: budget strictly exceeded; stagnation; reasons in order', async () => {
    const fresh = await withObservations(minimalExperiment(), []);
    expect(ok(await ctx.api.request('GET', `${fresh.base}/stopping_criteria`))).toEqual({ object: 'stopping_criteria', should_stop: false, reasons: [] });
    const atBudget = await withObservations(minimalExperiment({ observation_budget: 3 }), [at(0.1, 1), at(0.2, 2), at(0.3, 3)]);
    expect(ok(await ctx.api.request('GET', `${atBudget.base}/stopping_criteria`)).reasons).toEqual([]);
    ok(await ctx.api.request('POST', `${atBudget.base}/observations`, at(0.4, 4)));
    expect(ok(await ctx.api.request('GET', `${atBudget.base}/stopping_criteria`))).toEqual({
      object: 'stopping_criteria',
      should_stop: true,
      reasons: ['observation_budget_reached'],
    });
    // D = 1 → L = 5; n = 10 > L + 4. The 5th best of the first 5 (6) ≥ the best of the last 5 (5).
    const values = [10, 9, 8, 7, 6, 1, 2, 3, 4, 5];
    const stale = await withObservations(minimalExperiment({ observation_budget: 9 }), values.map((v, i) => at(i / 10, v)));
    expect(ok(await ctx.api.request('GET', `${stale.base}/stopping_criteria`))).toEqual({
      object: 'stopping_criteria',
      should_stop: true,
      reasons: ['possible_stagnation', 'observation_budget_reached'],
    });
    const improving = await withObservations(minimalExperiment(), values.map((_, i) => at(i / 10, i)));
    expect(ok(await ctx.api.request('GET', `${improving.base}/stopping_criteria`)).reasons).toEqual([]);
  });

  test.skipIf(skip)('metric importances: 422 until known; one item per metric; one parameter → 1', async () => {
    const none = await withObservations(minimalExperiment(), []);
    expectError(await ctx.api.request('GET', `${none.base}/metric_importances`), 422, 'Not enough observations to calculate parameter importances.');
    const one = await withObservations(minimalExperiment(), [at(0.5, 1)]);
    expect(ok(await ctx.api.request('GET', `${one.base}/metric_importances`))).toEqual({
      object: 'pagination',
      count: 1,
      data: [{ object: 'metric_importances', metric: null, importances: { x: 1 } }],
      paging: { before: null, after: null },
    });
    const body = { name: 'imp', parameters: [double('x'), double('y')], metrics: [{ name: 'b' }, { name: 'a', strategy: 'store' }] };
    const few = await withObservations(body, [{ assignments: { x: 0.1, y: 0.1 }, values: [{ name: 'a', value: 1 }, { name: 'b', value: 1 }] }]);
    expectError(await ctx.api.request('GET', `${few.base}/metric_importances`), 422, 'Not enough observations to calculate parameter importances.');
    const obs = Array.from({ length: 12 }, (_, i) => ({
      assignments: { x: (i % 6) / 6, y: ((i * 7) % 12) / 12 },
      values: [
        { name: 'a', value: i % 3 },
        { name: 'b', value: 10 * ((i % 6) / 6) + 0.01 * i },
      ],
    }));
    const enough = await withObservations(body, obs);
    const imp = ok(await ctx.api.request('GET', `${enough.base}/metric_importances`));
    expect(imp.count).toBe(2);
    expect(imp.data.map((m: any) => m.metric)).toEqual(['a', 'b']);
    for (const m of imp.data) {
      expect(m.object).toBe('metric_importances');
      expect(Object.keys(m.importances).sort()).toEqual(['x', 'y']);
      for (const v of Object.values(m.importances)) {
        if (v !== null) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1);
        }
      }
    }
    expect(imp.data[1].importances.x).toBeGreaterThan(imp.data[1].importances.y);
    expect(ok(await ctx.api.request('PUT', `${enough.base}/metric_importances`, {}))).toEqual({});
  });

  test.skipIf(skip)('best practices and hyperparameter reset', async () => {
    const { base } = await withObservations(minimalExperiment(), [at(0.5, 1)]);
    const bp = ok(await ctx.api.request('GET', `${base}/best_practices`));
    expect(bp.object).toBe('best_practices');
    expect(Array.isArray(bp.violations)).toBe(true);
    expect(bp.violations.every((v: unknown) => typeof v === 'string')).toBe(true);
    expect(ok(await ctx.api.request('DELETE', `${base}/hyperparameters`))).toEqual({});
    expect(ok(await ctx.api.request('POST', `${base}/suggestions`, {})).object).toBe('suggestion');
  });
});
