import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { categorical, createExperiment, double, expectError, int, minimalExperiment, ok, prefix, useServer } from '../support/conformance.ts';

/**
 * Experiments (docs/api-compatibility.md#experiments): create, list, fetch, update, delete, and the Experiment object
 * (docs/api-compatibility.md#response-objects).
 */
describe.each(httpBackends())('experiments on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  test.skipIf(skip)('create renders every documented field, with defaults', async () => {
    const self = ok(await ctx.api.request('GET', '/v1/tokens/self'));
    const exp = await createExperiment(ctx.api, minimalExperiment());
    expect(exp).toEqual({
      object: 'experiment',
      id: expect.stringMatching(/^\d+$/),
      name: 'conformance',
      type: 'offline',
      state: 'active',
      client: self.client,
      user: null,
      project: null,
      created: expect.any(Number),
      updated: exp.created,
      development: false,
      parameters: [
        {
          object: 'parameter',
          name: 'x',
          type: 'double',
          bounds: { object: 'bounds', min: 0, max: 1 },
          categorical_values: null,
          prior: null,
          transformation: null,
          default_value: null,
          conditions: {},
          precision: null,
        },
      ],
      metrics: [{ object: 'metric', name: null, objective: 'maximize', strategy: 'optimize', threshold: null }],
      conditionals: [],
      linear_constraints: [],
      metadata: null,
      observation_budget: null,
      num_solutions: null,
      parallel_bandwidth: null,
      progress: {
        object: 'progress',
        observation_count: 0,
        observation_budget_consumed: 0,
        first_observation: null,
        last_observation: null,
        best_observation: null,
      },
      runs_only: false,
    });
    expect(Math.abs(exp.created - Date.now() / 1000)).toBeLessThan(120);
    expect(exp).not.toHaveProperty('budget');
    expect(exp).not.toHaveProperty('tasks');
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}`))).toEqual(exp);
  });

  test.skipIf(skip)('parameters and metrics are sorted by name; int bounds render as integers; categorical values by enum_index', async () => {
    const exp = await createExperiment(ctx.api, {
      name: 'sorted',
      parameters: [categorical('z', ['q', 'p', 'r']), int('b', 1, 5), double('a', -1.5, 2.5)],
      metrics: [{ name: 'm2' }, { name: 'm1' }],
      observation_budget: 10,
    });
    expect(exp.parameters.map((p: any) => p.name)).toEqual(['a', 'b', 'z']);
    expect(exp.metrics.map((m: any) => m.name)).toEqual(['m1', 'm2']);
    expect(exp.parameters[1].bounds).toEqual({ object: 'bounds', min: 1, max: 5 });
    expect(exp.parameters[2].bounds).toBeNull();
    expect(exp.parameters[2].categorical_values).toEqual([
      { object: 'categorical_value', name: 'q', enum_index: 1 },
      { object: 'categorical_value', name: 'p', enum_index: 2 },
      { object: 'categorical_value', name: 'r', enum_index: 3 },
    ]);
  });

  test.skipIf(skip)('both create routes; fetch of a missing or non-numeric id', async () => {
    const self = ok(await ctx.api.request('GET', '/v1/tokens/self'));
    const viaClient = ok(await ctx.api.request('POST', `/v1/clients/${self.client}/experiments`, minimalExperiment({ name: 'via client' })));
    expect(viaClient.client).toBe(self.client);
    expectError(await ctx.api.request('POST', '/v1/clients/999999/experiments', minimalExperiment()), 404, 'The requested resource could not be found');
    expectError(await ctx.api.request('GET', '/v1/experiments/999999999'), 404, 'The requested resource could not be found');
  });

  test.skipIf(skip)('list: filters (state, search, user, period, development), sorts, count, both list routes', async () => {
    const self = ok(await ctx.api.request('GET', '/v1/tokens/self'));
    const tag = `flt${Date.now()}`;
    const a = await createExperiment(ctx.api, minimalExperiment({ name: `${tag} Alpha` }));
    const b = await createExperiment(ctx.api, minimalExperiment({ name: `${tag} beta` }));
    const c = await createExperiment(ctx.api, minimalExperiment({ name: `${tag} gamma` }));
    ok(await ctx.api.request('DELETE', `/v1/experiments/${b.id}`));
    const ids = async (params: Record<string, unknown>, path = '/v1/experiments') => ok(await ctx.api.request('GET', path, { search: tag, ...params })).data.map((e: any) => e.id);
    expect(await ids({})).toEqual([c.id, a.id]);
    expect(await ids({ state: 'active' })).toEqual([c.id, a.id]);
    expect(await ids({ state: 'deleted' })).toEqual([b.id]);
    expect(await ids({ state: 'all' })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ state: 'all', ascending: true })).toEqual([a.id, b.id, c.id]);
    expect(await ids({ search: `${tag} ALPHA` })).toEqual([a.id]);
    expect(ok(await ctx.api.request('GET', '/v1/experiments', { search: tag, state: 'all', limit: 1 })).count).toBe(3);
    expect(await ids({}, `/v1/clients/${self.client}/experiments`)).toEqual([c.id, a.id]);
    expect(await ids({ development: true })).toEqual([]);
    expect(await ids({ development: false })).toEqual([c.id, a.id]);
    expect(await ids({ period_start: a.created, period_end: c.created + 1 })).toEqual([c.id, a.id]);
    expect(await ids({ period_end: a.created })).toEqual([]);
    expect(await ids({ user: 12345 })).toEqual([]);
    // sort=recent orders by `updated`, then id: touching `a` moves it first.
    ok(await ctx.api.request('POST', `/v1/experiments/${a.id}/observations`, { assignments: { x: 0.5 }, values: [{ value: 1 }] }));
    const recent = await ids({ sort: 'recent' });
    expect(new Set(recent)).toEqual(new Set([a.id, c.id]));
    const exps = ok(await ctx.api.request('GET', '/v1/experiments', { search: tag, sort: 'recent' })).data;
    for (let i = 1; i < exps.length; i++) expect(exps[i - 1].updated).toBeGreaterThanOrEqual(exps[i].updated);
    expectError(await ctx.api.request('GET', '/v1/experiments', { state: 'gone' }), 400, 'Unrecognized state gone (if provided, must be one of ("deleted", "active")');
    expectError(await ctx.api.request('GET', '/v1/experiments', { sort: 'name' }), 400, 'Invalid sort: name');
    expect((await ctx.api.request('GET', '/v1/experiments', { period_start: -1 })).status).toBe(400);
    expect((await ctx.api.request('GET', '/v1/experiments', { period_start: 100, period_end: 50 })).status).toBe(400);
  });

  test.skipIf(skip)('update: PATCH semantics, name, metadata, budget, bandwidth, thresholds, state, project; updated moves', async () => {
    const exp = await createExperiment(ctx.api, {
      name: 'patch me',
      parameters: [double('x')],
      metrics: [{ name: 'a' }, { name: 'b', objective: 'minimize', threshold: 3 }],
      observation_budget: 10,
      metadata: { k: 'v' },
    });
    const path = `/v1/experiments/${exp.id}`;
    const renamed = ok(await ctx.api.request('PUT', path, { name: '  renamed  ' }));
    expect(renamed.name).toBe('renamed');
    expect(renamed.metadata).toEqual({ k: 'v' });
    expect(renamed.updated).toBeGreaterThanOrEqual(exp.updated);
    expect(ok(await ctx.api.request('PUT', path, { metadata: { n: 2 } })).metadata).toEqual({ n: 2 });
    expect(ok(await ctx.api.request('PUT', path, { metadata: null })).metadata).toBeNull();
    expect(ok(await ctx.api.request('PUT', path, { parallel_bandwidth: 4 })).parallel_bandwidth).toBe(4);
    expect(ok(await ctx.api.request('PUT', path, { parallel_bandwidth: null })).parallel_bandwidth).toBeNull();
    const thr = ok(await ctx.api.request('PUT', path, { metrics: [{ name: 'a', threshold: 1 }, { name: 'b', threshold: null }] }));
    expect(thr.metrics.map((m: any) => m.threshold)).toEqual([1, null]);
    const deleted = ok(await ctx.api.request('PUT', path, { state: 'deleted' }));
    expect(deleted.state).toBe('deleted');
    expect(ok(await ctx.api.request('PUT', path, { state: 'active' })).state).toBe('active');
    expect(ok(await ctx.api.request('PUT', path, { no_optimize: true })).name).toBe('renamed');
    expect(ok(await ctx.api.request('PUT', path, {})).name).toBe('renamed');

    const single = await createExperiment(ctx.api, minimalExperiment({ observation_budget: 10 }));
    const sp = `/v1/experiments/${single.id}`;
    expect(ok(await ctx.api.request('PUT', sp, { observation_budget: 20 })).observation_budget).toBe(20);
    expect(ok(await ctx.api.request('PUT', sp, { observation_budget: null })).observation_budget).toBeNull();
  });

  test.skipIf(skip)('update rules: unknown keys, budget/tasks/conditionals/constraints/num_solutions, metrics and grid', async () => {
    const plain = await createExperiment(ctx.api, minimalExperiment({ observation_budget: 10 }));
    const p = `/v1/experiments/${plain.id}`;
    const grid = await createExperiment(ctx.api, { name: 'g', type: 'grid', parameters: [{ name: 'x', type: 'double', grid: [1, 2] }] });
    const two = await createExperiment(ctx.api, { name: 't', parameters: [double('x')], metrics: ['a', 'b'], observation_budget: 10 });
    const multi = await createExperiment(ctx.api, minimalExperiment({ num_solutions: 2, observation_budget: 10 }));
    const constrained = await createExperiment(ctx.api, {
      name: 'lc',
      parameters: [double('x'), double('y')],
      linear_constraints: [{ type: 'less_than', threshold: 1, terms: [{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }] }],
    });
    const cond = await createExperiment(ctx.api, {
      name: 'c',
      conditionals: [{ name: 'k', values: ['a', 'b'] }],
      parameters: [double('p', 0, 1, { conditions: { k: 'a' } }), double('q', 0, 1, { conditions: { k: 'b' } })],
    });
    const rows: [string, Record<string, unknown>, string | RegExp][] = [
      [p, { foo: 1 }, prefix('Unknown json keys `foo` in: ')],
      [p, { conditionals: [] }, prefix('Unknown json keys `conditionals` in: ')],
      [p, { linear_constraints: [] }, prefix('Unknown json keys `linear_constraints` in: ')],
      [p, { num_solutions: 3 }, prefix('Unknown json keys `num_solutions` in: ')],
      [p, { budget: 3 }, 'budget is not a valid field.'],
      [p, { tasks: [] }, 'The tasks of a multitask experiment cannot be updated after creation'],
      [p, { state: 'gone' }, /^(Unrecognized state gone|gone is not one of the allowed values)/],
      [p, { name: '' }, /^(Experiment names cannot be empty|The length of \.name must be greater than or equal to 1)$/],
      [p, { observation_budget: 0 }, /observation_budget: 0/],
      [p, { metadata: { k: true } }, /^Invalid type for \.k: true/],
      [p, { project: 'nope' }, 'Could not assign to project `nope`, the project does not exist.'],
      [p, { metrics: [{ name: 'x' }, { name: 'y' }] }, 'Changing the number of metrics is forbidden'],
      [`/v1/experiments/${two.id}`, { metrics: [{ name: 'a' }, { name: 'c' }] }, 'Changing the name of a metric is forbidden'],
      [`/v1/experiments/${two.id}`, { metrics: [{ name: 'a', objective: 'minimize' }, { name: 'b' }] }, 'Changing the objective of a metric is forbidden'],
      [`/v1/experiments/${two.id}`, { metrics: [{ name: 'a', strategy: 'store' }, { name: 'b' }] }, 'Changing the strategy of a metric is forbidden'],
      [`/v1/experiments/${two.id}`, { observation_budget: 20 }, '`observation_budget` cannot be updated for experiments with more than one optimized metric.'],
      [`/v1/experiments/${grid.id}`, { observation_budget: 20 }, '`observation_budget` cannot be updated for experiments of type `grid`.'],
      [`/v1/experiments/${grid.id}`, { parameters: [{ name: 'x', type: 'double', grid: [1, 2, 3] }] }, 'Parameters cannot be updated for experiments of type `grid`.'],
      [`/v1/experiments/${constrained.id}`, { parameters: [double('x'), double('y')] }, 'Parameters cannot be updated for experiments with constraints'],
      [`/v1/experiments/${cond.id}`, { parameters: [double('p', 0, 1, { conditions: { k: 'b' } }), double('q', 0, 1, { conditions: { k: 'b' } })] }, 'Conditions cannot be updated for parameters'],
      [`/v1/experiments/${multi.id}`, { observation_budget: 20 }, /^`observation_budget` cannot be updated for experiments with more than one solution/],
      [p, { metrics: [{ name: null, threshold: 1 }] }, prefix('Thresholds are only supported for experiments with more than one optimized metric.')],
    ];
    for (const [path, body, message] of rows) {
      const before = ok(await ctx.api.request('GET', path));
      expectError(await ctx.api.request('PUT', path, body), 400, message);
      expect(ok(await ctx.api.request('GET', path)), JSON.stringify(body)).toEqual(before);
    }
  });

  test.skipIf(skip)('update parameters: full list, deletions, new parameters need default_value, type fixed, categorical list replaces', async () => {
    const exp = await createExperiment(ctx.api, { name: 'params', parameters: [double('a'), int('b', 1, 5), categorical('c', ['x', 'y', 'z'])] });
    const path = `/v1/experiments/${exp.id}`;
    expectError(
      await ctx.api.request('PUT', path, { parameters: [double('a'), int('b', 1, 5), categorical('c', ['x', 'y', 'z']), double('d')] }),
      400,
      'New parameters must have default values. Please add a default_value field to the new parameter(s). Or if you are using the web dashboard fill out the Default Value field.',
    );
    expectError(await ctx.api.request('PUT', path, { parameters: [{ name: 'a', type: 'int', bounds: { min: 0, max: 1 } }, int('b', 1, 5), categorical('c')] }), 400, '`type` attribute on parameter a must remain double');
    expectError(await ctx.api.request('PUT', path, { parameters: [double('a', 0, 1, { transformation: 'log' }), int('b', 1, 5), categorical('c')] }), 400, /transformation/);
    expectError(await ctx.api.request('PUT', path, { parameters: [double('a'), int('b', 1, 5), categorical('c', ['x'])] }), 400, 'Parameters c must have 2 or more active (not deleted) categorical values');
    const updated = ok(
      await ctx.api.request('PUT', path, {
        parameters: [double('a', -1, 2), categorical('c', ['y', 'z', 'w']), double('d', 0, 10, { default_value: 5 })],
      }),
    );
    expect(updated.parameters.map((p: any) => p.name)).toEqual(['a', 'c', 'd']);
    expect(updated.parameters[0].bounds).toEqual({ object: 'bounds', min: -1, max: 2 });
    expect(updated.parameters[1].categorical_values).toEqual([
      { object: 'categorical_value', name: 'y', enum_index: 2 },
      { object: 'categorical_value', name: 'z', enum_index: 3 },
      { object: 'categorical_value', name: 'w', enum_index: 4 },
    ]);
    expect(updated.parameters[2].default_value).toBe(5);
    // New suggestions use the new space.
    const s = ok(await ctx.api.request('POST', `${path}/suggestions`, {}));
    expect(Object.keys(s.assignments).sort()).toEqual(['a', 'c', 'd']);
    expect(['y', 'z', 'w']).toContain(s.assignments.c);
  });

  test.skipIf(skip)('runs_only experiments (MAY be rejected): budget instead of observation_budget, listed only with include_ai', async () => {
    const res = await ctx.api.request('POST', '/v1/experiments', minimalExperiment({ name: 'ai run', runs_only: true, observation_budget: 7 }));
    if (res.status === 400) return;
    const exp = ok(res);
    expect(exp.runs_only).toBe(true);
    expect(exp.budget).toBe(7);
    expect(exp).not.toHaveProperty('observation_budget');
    const ids = async (params: Record<string, unknown>) => ok(await ctx.api.request('GET', '/v1/experiments', { search: 'ai run', ...params })).data.map((e: any) => e.id);
    expect(await ids({})).not.toContain(exp.id);
    expect(await ids({ include_ai: true })).toContain(exp.id);
  });

  test.skipIf(skip)('soft delete: idempotent, still readable, children kept, no new children', async () => {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}`;
    const s = ok(await ctx.api.request('POST', `${path}/suggestions`, {}));
    const o = ok(await ctx.api.request('POST', `${path}/observations`, { suggestion: s.id, values: [{ value: 1 }] }));
    expect(ok(await ctx.api.request('DELETE', path))).toEqual({});
    expect(ok(await ctx.api.request('DELETE', path))).toEqual({});
    const got = ok(await ctx.api.request('GET', path));
    expect(got.state).toBe('deleted');
    expect(got.progress.observation_count).toBe(1);
    expect(ok(await ctx.api.request('GET', `${path}/observations/${o.id}`)).id).toBe(o.id);
    expect(ok(await ctx.api.request('GET', `${path}/suggestions/${s.id}`)).id).toBe(s.id);
    expectError(await ctx.api.request('POST', `${path}/suggestions`, {}), 400, `Cannot create suggestions for deleted experiment ${exp.id}`);
    expectError(await ctx.api.request('POST', `${path}/queued_suggestions`, { assignments: { x: 0.5 } }), 400, `Cannot create QueuedSuggestions for deleted experiment ${exp.id}`);
    expectError(await ctx.api.request('POST', `${path}/observations`, { assignments: { x: 0.5 }, values: [{ value: 1 }] }), 400, `Cannot create observations for deleted experiment ${exp.id}`);
    expect(ok(await ctx.api.request('GET', '/v1/experiments', { state: 'deleted', search: exp.name })).data.map((e: any) => e.id)).toContain(exp.id);
  });
});
