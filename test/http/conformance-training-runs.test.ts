import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { expectError, ok, prefix, useServer } from '../support/conformance.ts';

/**
 * Issue 12 training runs and AI experiments, rule by rule: the TrainingRun object, PUT against
 * MERGE, lists and filters, checkpoints, AI experiment create rules, runs that bring assignments
 * or are created finished, queued suggestions served to runs, and runs-only classic experiments.
 */
describe.each(httpBackends())('training runs and AI experiments on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  let n = 0;
  const unique = (stem: string) => `${stem}-${++n}`;
  const clientId = async () => ok(await ctx.api.request('GET', '/v1/tokens/self')).client as string;
  const newProject = async () => {
    const cid = await clientId();
    const id = unique('runs');
    ok(await ctx.api.request('POST', `/v1/clients/${cid}/projects`, { id, name: id }));
    return { cid, pid: id, runs: `/v1/clients/${cid}/projects/${id}/training_runs`, ai: `/v1/clients/${cid}/projects/${id}/aiexperiments` };
  };
  const aiBody = (extra: Record<string, unknown> = {}) => ({
    name: 'ai',
    parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
    metrics: [{ name: 'acc' }],
    budget: 4,
    ...extra,
  });

  test.skipIf(skip)('a project run renders the TrainingRun object; the project counts it', async () => {
    const { cid, pid, runs } = await newProject();
    const run = ok(
      await ctx.api.request('POST', runs, { name: ' first ', metadata: { lr: 0.1 }, values: { acc: { value: 0.5, value_stddev: 0.1 } } }),
    );
    expect(run).toEqual({
      object: 'training_run',
      id: expect.any(String),
      client: cid,
      project: pid,
      experiment: null,
      suggestion: null,
      observation: null,
      user: null,
      name: 'first',
      state: 'active',
      finished: false,
      deleted: false,
      created: expect.any(Number),
      updated: expect.any(Number),
      completed: null,
      checkpoint_count: 0,
      assignments: {},
      values: { acc: { object: 'metric_evaluation', name: 'acc', value: 0.5, value_stddev: 0.1 } },
      logs: {},
      metadata: { lr: 0.1 },
      dev_metadata: {},
      sys_metadata: {},
      model: { object: 'model', type: null },
      datasets: {},
      source_code: { object: 'source_code', content: null, hash: null },
      favorite: false,
      tags: [],
      files: [],
    });
    expect(ok(await ctx.api.request('GET', `/v1/training_runs/${run.id}`))).toEqual(run);
    expect(ok(await ctx.api.request('GET', `/v1/clients/${cid}/projects/${pid}`)).training_run_count).toBe(1);
    expectError(await ctx.api.request('POST', runs, {}), 400, prefix('Missing required json key "name" in: '));
    expectError(
      await ctx.api.request('POST', `/v1/clients/${cid}/projects/missing/training_runs`, { name: 'x' }),
      404,
      'The requested resource could not be found',
    );
    expectError(await ctx.api.request('GET', '/v1/training_runs/999999999'), 404, 'The requested resource could not be found');
  });

  test.skipIf(skip)('MERGE merges maps key by key (null removes); PUT replaces the given fields', async () => {
    const { runs } = await newProject();
    const run = ok(await ctx.api.request('POST', runs, { name: 'r', metadata: { a: 1 }, logs: { stdout: { content: 'x'.repeat(5000) } } }));
    expect(run.logs.stdout.content).toHaveLength(1124);
    const path = `/v1/training_runs/${run.id}`;
    const merged = ok(
      await ctx.api.request('MERGE', path, { metadata: { b: 'two' }, values: { loss: { value: 1 } }, model: { type: 'xgboost' } }),
    );
    expect(merged.metadata).toEqual({ a: 1, b: 'two' });
    expect(merged.model.type).toBe('xgboost');
    expect(ok(await ctx.api.request('MERGE', path, { metadata: { a: null }, values: { acc: { value: 2 } } })).values).toEqual({
      loss: { object: 'metric_evaluation', name: 'loss', value: 1, value_stddev: null },
      acc: { object: 'metric_evaluation', name: 'acc', value: 2, value_stddev: null },
    });
    expect(ok(await ctx.api.request('GET', path)).metadata).toEqual({ b: 'two' });
    const put = ok(
      await ctx.api.request('PUT', path, { metadata: { c: 3 }, values: { acc: { value: 3 } }, favorite: true, datasets: { mnist: {} } }),
    );
    expect(put.metadata).toEqual({ c: 3 });
    expect(Object.keys(put.values)).toEqual(['acc']);
    expect(put.favorite).toBe(true);
    expect(put.datasets).toEqual({ mnist: { object: 'dataset' } });
    expect(put.model.type).toBe('xgboost');
    const skipped = await ctx.api.request('MERGE', path, { source_code: { hash: 'abc' } }, { 'X-Response-Content': 'skip' });
    expect(skipped.status).toBe(204);
    expect(skipped.body).toBeNull();
    expect(ok(await ctx.api.request('GET', path)).source_code).toEqual({ object: 'source_code', content: null, hash: 'abc' });
    expectError(await ctx.api.request('PUT', path, { project: 'nope' }), 400, 'Unknown project ID: nope');
    expectError(await ctx.api.request('PUT', path, { state: null }), 400, 'Cannot remove state from a run');
    expectError(await ctx.api.request('MERGE', path, { metadata: { k: true } }), 400, /^Invalid type for \.k: true/);
    const other = await newProject();
    expect(ok(await ctx.api.request('PUT', path, { project: other.pid })).project).toBe(other.pid);
    const done = ok(await ctx.api.request('PUT', path, { state: 'completed' }));
    expect(done).toMatchObject({ state: 'completed', finished: true, completed: expect.any(Number), observation: null });
  });

  test.skipIf(skip)('lists: project, client and organization; deleted; experiment filter; paging; checkpoints', async () => {
    const { cid, runs } = await newProject();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(ok(await ctx.api.request('POST', runs, { name: `r${i}` })).id);
    const listed = await ctx.api.iteratePages(runs, { limit: 2 });
    expect(listed.map((r: any) => r.id)).toEqual([...ids].reverse());
    ok(await ctx.api.request('DELETE', `/v1/training_runs/${ids[0]}`));
    expect(ok(await ctx.api.request('GET', runs)).count).toBe(2);
    expect(ok(await ctx.api.request('GET', runs, { deleted: true })).data.map((r: any) => r.id)).toEqual([ids[0]]);
    ok(await ctx.api.request('PUT', `/v1/training_runs/${ids[0]}`, { deleted: false }));
    expect(ok(await ctx.api.request('GET', runs)).count).toBe(3);
    const clientList = ok(await ctx.api.request('GET', `/v1/clients/${cid}/training_runs`)).data.map((r: any) => r.id);
    expect(clientList).toEqual(expect.arrayContaining(ids));
    const org = ok(await ctx.api.request('GET', `/v1/clients/${cid}`)).organization;
    expect(ok(await ctx.api.request('GET', `/v1/organizations/${org}/training_runs`)).data.map((r: any) => r.id)).toEqual(
      expect.arrayContaining(ids),
    );
    const filters = JSON.stringify([{ field: 'experiment', operator: '==', value: '999999' }]);
    expect(ok(await ctx.api.request('GET', runs, { filters })).count).toBe(0);
    expectError(
      await ctx.api.request('GET', runs, { filters: JSON.stringify([{ field: 'name', operator: '==', value: 'r' }]) }),
      400,
      /^Unsupported filter: /,
    );
    const cp = `/v1/training_runs/${ids[1]}/checkpoints`;
    const c1 = ok(await ctx.api.request('POST', cp, { values: [{ name: 'loss', value: 3 }], metadata: { epoch: 1 } }));
    expect(c1).toEqual({
      object: 'checkpoint',
      id: expect.any(String),
      training_run: ids[1],
      created: expect.any(Number),
      values: [{ object: 'metric_evaluation', name: 'loss', value: 3, value_stddev: null }],
      metadata: { epoch: 1 },
    });
    ok(await ctx.api.request('POST', cp, { values: [{ name: 'loss', value: 2 }] }));
    const cps = ok(await ctx.api.request('GET', cp));
    expect(cps.count).toBe(2);
    expect(cps.data.map((c: any) => c.values[0].value)).toEqual([2, 3]);
    expect(ok(await ctx.api.request('GET', `/v1/training_runs/${ids[1]}`)).checkpoint_count).toBe(2);
    expectError(
      await ctx.api.request('POST', cp, {
        values: [
          { name: 'loss', value: 1 },
          { name: 'loss', value: 2 },
        ],
      }),
      400,
      'Duplicate name: loss',
    );
    expectError(await ctx.api.request('POST', cp, {}), 400, prefix('Missing required json key "values" in: '));
  });

  test.skipIf(skip)('AI experiment create rules', async () => {
    const { ai, cid } = await newProject();
    const rows: [Record<string, unknown>, string | RegExp][] = [
      [aiBody({ metrics: [] }), 'AI Experiments must have at least 1 metric.'],
      [aiBody({ metrics: undefined }), 'AI Experiments must have at least 1 metric.'],
      [aiBody({ metrics: [{ objective: 'maximize' }] }), 'All metrics require a name'],
      [aiBody({ project: 'p' }), prefix('Unknown json keys `project` in: ')],
      [aiBody({ runs_only: true }), prefix('Unknown json keys `runs_only` in: ')],
      [aiBody({ observation_budget: 3 }), 'observation_budget is no longer a valid field, please use budget instead.'],
      [aiBody({ budget: undefined, metrics: ['a', 'b'] }), 'budget is required for an experiment with more than one optimized metric'],
      [aiBody({ budget: -1 }), /^Invalid type for budget: -1 - expected type positive_integer/],
    ];
    for (const [body, message] of rows) expectError(await ctx.api.request('POST', ai, body), 400, message);
    expectError(
      await ctx.api.request('POST', `/v1/clients/${cid}/projects/missing/aiexperiments`, aiBody()),
      404,
      'The requested resource could not be found',
    );
    expectError(await ctx.dev.request('POST', ai, aiBody()), 403, 'Development tokens cannot access this endpoint.');
    const e = ok(await ctx.api.request('POST', ai, aiBody({ budget: undefined })));
    expect(e.budget).toBeNull();
    expect(e.progress.remaining_budget).toBeNull();
    const updated = ok(await ctx.api.request('PUT', `/v1/aiexperiments/${e.id}`, { budget: 9, name: 'renamed' }));
    expect(updated).toMatchObject({ name: 'renamed', budget: 9, progress: { remaining_budget: 9 } });
    expectError(
      await ctx.api.request('PUT', `/v1/aiexperiments/${e.id}`, { observation_budget: 3 }),
      400,
      'observation_budget is no longer a valid field, please use budget instead.',
    );
    const listed = ok(await ctx.api.request('GET', ai));
    expect(listed.data.map((x: any) => x.id)).toEqual([e.id]);
    expect(ok(await ctx.api.request('GET', '/v1/aiexperiments')).data.map((x: any) => x.id)).toContain(e.id);
    expect(ok(await ctx.api.request('GET', '/v1/experiments')).data.map((x: any) => x.id)).not.toContain(e.id);
    const classic = ok(
      await ctx.api.request('POST', '/v1/experiments', {
        name: 'c',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
      }),
    );
    expectError(await ctx.api.request('GET', `/v1/aiexperiments/${classic.id}`), 404, 'The requested resource could not be found');
    expectError(
      await ctx.api.request('POST', `/v1/aiexperiments/${classic.id}/training_runs`, { name: 'r' }),
      404,
      'The requested resource could not be found',
    );
  });

  test.skipIf(skip)(
    'runs in an AI experiment: queued suggestion first, explicit assignments, created finished, include_runs archive',
    async () => {
      const { ai } = await newProject();
      const e = ok(await ctx.api.request('POST', ai, aiBody({ budget: 10 })));
      ok(await ctx.api.request('POST', `/v1/experiments/${e.id}/queued_suggestions`, { assignments: { x: 0.125 } }));
      const queued = ok(await ctx.api.request('POST', `/v1/aiexperiments/${e.id}/training_runs`, { name: 'q' }));
      expect(queued.assignments).toEqual({ x: 0.125 });
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${e.id}/suggestions/${queued.suggestion}`)).assignments).toEqual({
        x: 0.125,
      });
      const explicit = ok(
        await ctx.api.request('POST', `/v1/aiexperiments/${e.id}/training_runs`, { name: 'e', assignments: { x: 0.75, other: 'kept' } }),
      );
      expect(explicit.assignments).toEqual({ x: 0.75, other: 'kept' });
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${e.id}/suggestions/${explicit.suggestion}`)).assignments).toEqual({
        x: 0.75,
      });
      const finished = ok(
        await ctx.api.request('POST', `/v1/aiexperiments/${e.id}/training_runs`, {
          name: 'f',
          state: 'completed',
          assignments: { x: 0.5 },
          values: { acc: { value: 0.9 } },
        }),
      );
      expect(finished).toMatchObject({ state: 'completed', suggestion: null, observation: expect.any(String) });
      const o = ok(await ctx.api.request('GET', `/v1/experiments/${e.id}/observations/${finished.observation}`));
      expect(o).toMatchObject({ assignments: { x: 0.5 }, values: [{ name: 'acc', value: 0.9 }], failed: false, suggestion: null });
      expectError(
        await ctx.api.request('POST', `/v1/aiexperiments/${e.id}/training_runs`, {
          name: 'bad',
          state: 'completed',
          values: { acc: { value: 1 } },
        }),
        400,
        'Cannot provide null or empty `assignments`',
      );
      expectError(
        await ctx.api.request('POST', `/v1/aiexperiments/${e.id}/training_runs`, { name: 'bad', values: { zzz: { value: 1 } } }),
        400,
        `Invalid metric name zzz for experiment ${e.id}`,
      );
      const progress = ok(await ctx.api.request('GET', `/v1/aiexperiments/${e.id}`)).progress;
      expect(progress).toEqual({ object: 'progress', active_run_count: 2, finished_run_count: 1, total_run_count: 3, remaining_budget: 7 });
      ok(await ctx.api.request('DELETE', `/v1/aiexperiments/${e.id}`, { include_runs: 'true' }));
      expect(ok(await ctx.api.request('GET', `/v1/training_runs/${queued.id}`)).deleted).toBe(true);
      expect(ok(await ctx.api.request('GET', `/v1/aiexperiments/${e.id}`)).progress.total_run_count).toBe(0);
      expectError(
        await ctx.api.request('POST', `/v1/aiexperiments/${e.id}/training_runs`, { name: 'late' }),
        400,
        `Cannot create training runs for deleted experiment ${e.id}`,
      );
    },
  );

  test.skipIf(skip)('runs_only through the classic routes: budget key on create and update, project, include_ai', async () => {
    const { pid } = await newProject();
    const params = [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }];
    expectError(
      await ctx.api.request('POST', '/v1/experiments', { name: 'ro', parameters: params, runs_only: true, observation_budget: 5 }),
      400,
      'observation_budget is no longer a valid field, please use budget instead.',
    );
    expectError(
      await ctx.api.request('POST', '/v1/experiments', { name: 'c', parameters: params, budget: 5 }),
      400,
      'budget is not a valid field.',
    );
    const e = ok(
      await ctx.api.request('POST', '/v1/experiments', {
        name: 'ro',
        parameters: params,
        metrics: ['value'],
        runs_only: true,
        budget: 5,
        project: pid,
      }),
    );
    expect(e).toMatchObject({ object: 'experiment', runs_only: true, budget: 5, project: pid });
    expect(e).not.toHaveProperty('observation_budget');
    const other = await newProject();
    const upd = ok(await ctx.api.request('PUT', `/v1/experiments/${e.id}`, { budget: 8, project: other.pid }));
    expect(upd).toMatchObject({ budget: 8, project: other.pid });
    expectError(
      await ctx.api.request('PUT', `/v1/experiments/${e.id}`, { observation_budget: 8 }),
      400,
      'observation_budget is no longer a valid field, please use budget instead.',
    );
    expect(ok(await ctx.api.request('GET', '/v1/experiments', { include_ai: true })).data.map((x: any) => x.id)).toContain(e.id);
    expect(ok(await ctx.api.request('GET', `/v1/aiexperiments/${e.id}`)).budget).toBe(8);
    // The 8.0–8.2 client's path: runs and best runs under /experiments/{id}.
    const run = ok(await ctx.api.request('POST', `/v1/experiments/${e.id}/training_runs`, { name: 'old client', metadata: null }));
    expect(run).toMatchObject({ experiment: e.id, state: 'active', suggestion: expect.any(String) });
    ok(await ctx.api.request('MERGE', `/v1/training_runs/${run.id}`, { values: { value: { value: 3 } }, state: 'completed' }));
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${e.id}/best_training_runs`)).data.map((r: any) => r.id)).toEqual([run.id]);
    const classic = ok(await ctx.api.request('POST', '/v1/experiments', { name: 'c', parameters: params }));
    expectError(
      await ctx.api.request('POST', `/v1/experiments/${classic.id}/training_runs`, { name: 'r' }),
      404,
      'The requested resource could not be found',
    );
  });

  test.skipIf(skip)(
    'a conditional value that enables no parameter is accepted (no rule C6), and the loop runs',
    async () => {
      const e = ok(
        await ctx.api.request('POST', '/v1/experiments', {
          name: 'cond',
          conditionals: [{ name: 'k', values: ['a', 'b', 'c'] }],
          parameters: [{ name: 'p', type: 'double', bounds: { min: 0, max: 1 }, conditions: { k: 'a' } }],
          observation_budget: 10,
        }),
      );
      expect(e.conditionals).toEqual([{ object: 'conditional', name: 'k', values: ['a', 'b', 'c'] }]);
      for (let i = 0; i < 8; i++) {
        const s = ok(await ctx.api.request('POST', `/v1/experiments/${e.id}/suggestions`, {}));
        expect(['a', 'b', 'c']).toContain(s.assignments.k);
        if (s.assignments.k !== 'a') expect(s.assignments.p).toBeNull();
        ok(await ctx.api.request('POST', `/v1/experiments/${e.id}/observations`, { suggestion: s.id, values: [{ value: i }] }));
      }
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${e.id}`)).progress.observation_count).toBe(8);
    },
    60_000,
  );
});
