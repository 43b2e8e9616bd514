import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { createExperiment, double, expectError, int, minimalExperiment, ok, prefix, snapshot, useServer } from '../support/conformance.ts';

/** Observations and rules O1–O15 (docs/api-compatibility.md#observations, docs/api-compatibility.md#observation-rules), through the socket. */

const TWO = {
  name: 'two metrics',
  parameters: [double('x'), int('n', 0, 10)],
  metrics: [{ name: 'm1' }, { name: 'm2', objective: 'minimize' }, { name: 's', strategy: 'store' }],
  observation_budget: 20,
};

describe.each(httpBackends())('observations on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  async function withSuggestion(body: Record<string, unknown> = minimalExperiment()) {
    const exp = await createExperiment(ctx.api, body);
    const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
    return { exp, s, base: `/v1/experiments/${exp.id}` };
  }

  test.skipIf(skip)('O1–O11 single-metric rules', async () => {
    const { exp, s, base } = await withSuggestion();
    const other = await withSuggestion();
    const rows: [Record<string, unknown>, string | RegExp][] = [
      [{ suggestion: s.id, value: 1 }, prefix('Unknown json keys `value` in: ')],
      [{ suggestion: s.id, values: [{ value: 1 }], value_stddev: 0.1 }, prefix('Unknown json keys `value_stddev` in: ')],
      [{ suggestion: s.id, assignments: { x: 0.5 }, values: [{ value: 1 }] }, 'Cannot specify `suggestion` and `assignments`.'],
      [{ values: [{ value: 1 }] }, prefix('Must provide exactly one of `suggestion`, `assignments` in: ')],
      [{ suggestion: s.id, failed: true, values: [{ value: 1 }] }, 'Cannot provide `values` if observation has failed'],
      [{ suggestion: s.id }, prefix('Missing required json key "value" in: ')],
      [{ suggestion: s.id, values: [] }, prefix('Missing required json key "value" in: ')],
      [{ suggestion: s.id, values: [{ value: 1 }, { value: 2 }] }, 'Experiments without a defined `metrics` do not support multiple values.'],
      [{ suggestion: s.id, values: [{ name: 'm' }] }, /^(Missing value for: |Missing required json key "value" in: )/],
      [{ suggestion: s.id, values: [{ value: 'high' }] }, /^Invalid type for \.values\[0\]\.value: "high" - expected type /],
      [{ suggestion: s.id, values: [{ value: 1, value_stddev: -1 }] }, '.values[0].value_stddev must be greater than or equal to 0.0'],
      [{ suggestion: s.id, values: [{ value: 1, extra: 2 }] }, prefix('Unknown json keys `extra` in: ')],
      [{ suggestion: '999999999', values: [{ value: 1 }] }, `No suggestion: 999999999 for experiment: ${exp.id}`],
      [{ suggestion: other.s.id, values: [{ value: 1 }] }, `No suggestion: ${other.s.id} for experiment: ${exp.id}`],
      [{ suggestion: 'abc', values: [{ value: 1 }] }, /^Invalid type for \.?suggestion: "abc"/],
      [{ suggestion: s.id, values: [{ value: 1 }], failed: 'yes' }, /^Invalid type for \.?failed: "yes"/],
    ];
    const before = await snapshot(ctx.api, exp.id);
    for (const [body, message] of rows) expectError(await ctx.api.request('POST', `${base}/observations`, body), 400, message);
    expect(await snapshot(ctx.api, exp.id)).toEqual(before);
  });

  test.skipIf(skip)('O6–O9 multimetric rules (store metrics count)', async () => {
    const { s, base } = await withSuggestion(TWO);
    const v = (m1: unknown, m2: unknown, st: unknown) => [
      { name: 'm1', value: m1 },
      { name: 'm2', value: m2 },
      { name: 's', value: st },
    ];
    const rows: [unknown, string | RegExp][] = [
      [[{ name: 'm1', value: 1 }, { name: 'm2', value: 1 }], 'The number of observation values and experiment metrics must be equal.'],
      [[{ name: 'm1', value: 1 }, { name: 'm2', value: 1 }, { value: 1 }], 'A name must be specified for all values.'],
      [[{ name: 'm1', value: 1 }, { name: 'm1', value: 1 }, { name: 's', value: 1 }], 'Duplicate name: m1'],
      [[{ name: 'm1', value: 1 }, { name: 'm2', value: 1 }, { name: 'zz', value: 1 }], prefix('values must have metric names defined in experiment: {')],
      [[{ name: 'm1', value: 1 }, { name: 'm2', value: 1 }, { name: 's' }], /^(Missing value for: s|Missing required json key "value" in: )/],
    ];
    for (const [values, message] of rows) expectError(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, values }), 400, message);
    const o = ok(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, values: v(3, 2, 1) }));
    expect(o.values.map((x: any) => x.name)).toEqual(['m1', 'm2', 's']);
  });

  test.skipIf(skip)('create renders the observation; ids as strings (int or string accepted); suggestion closes', async () => {
    const { exp, s, base } = await withSuggestion();
    const o = ok(await ctx.api.request('POST', `${base}/observations`, { suggestion: Number(s.id), values: [{ value: 1.5, value_stddev: 0.2 }], metadata: { run: 1 } }));
    expect(o).toEqual({
      object: 'observation',
      id: expect.stringMatching(/^\d+$/),
      experiment: exp.id,
      suggestion: s.id,
      assignments: s.assignments,
      values: [{ object: 'metric_evaluation', name: null, value: 1.5, value_stddev: 0.2 }],
      failed: false,
      metadata: { run: 1 },
      created: expect.any(Number),
    });
    expect(ok(await ctx.api.request('GET', `${base}/suggestions/${s.id}`)).state).toBe('closed');
    expect(ok(await ctx.api.request('GET', `${base}/observations/${o.id}`))).toEqual(o);
    // O15: a suggestion may be referenced by several observations.
    const again = ok(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, failed: true }));
    expect(again.failed).toBe(true);
    expect(again.values).toEqual([]);
    const failedNullValues = ok(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, failed: true, values: null }));
    expect(failedNullValues.values).toEqual([]);
    const e = ok(await ctx.api.request('GET', base));
    expect(e.progress.observation_count).toBe(3);
    expect(e.progress.first_observation.id).toBe(o.id);
    expect(e.progress.last_observation.id).toBe(failedNullValues.id);
    expect(e.progress.best_observation.id).toBe(o.id);
    expect(e.updated).toBeGreaterThanOrEqual(exp.updated);
  });

  test.skipIf(skip)('named single metric: an unnamed value takes the metric name', async () => {
    const { s, base } = await withSuggestion(minimalExperiment({ metrics: [{ name: 'acc' }] }));
    const o = ok(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, values: [{ value: 0.9 }] }));
    expect(o.values).toEqual([{ object: 'metric_evaluation', name: 'acc', value: 0.9, value_stddev: null }]);
    expectError(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, values: [{ name: 'other', value: 1 }] }), 400, prefix('values must have metric names defined in experiment: '));
  });

  test.skipIf(skip)('batch: all-or-nothing with the item prefix, dry_run, count = len(data)', async () => {
    const { exp, s, base } = await withSuggestion();
    const good = { assignments: { x: 0.1 }, values: [{ value: 1 }] };
    const cases: [unknown[], string | RegExp][] = [
      [[good, { suggestion: '999999999', values: [{ value: 1 }] }], `Error in observation 2/2: No suggestion: 999999999 for experiment: ${exp.id}`],
      [[good, good, { assignments: { zz: 1 }, values: [{ value: 1 }] }], 'Error in observation 3/3: Invalid assignment, parameter does not exist: "zz"'],
      [[{ suggestion: s.id, value: 1 }, good], prefix('Error in observation 1/2: Unknown json keys `value` in: ')],
      [[good, 5], /^Error in observation 2\/2: Invalid type for /],
      [[good, { assignments: { x: 0.2 } }], prefix('Error in observation 2/2: Missing required json key "value" in: ')],
    ];
    const before = await snapshot(ctx.api, exp.id);
    for (const [observations, message] of cases) {
      expectError(await ctx.api.request('POST', `${base}/observations/batch`, { observations }), 400, message);
    }
    expectError(await ctx.api.request('POST', `${base}/observations/batch`, {}), 400, prefix('Missing required json key "observations" in: '));
    expectError(
      await ctx.api.request('POST', `${base}/observations/batch`, { observations: Array.from({ length: 2501 }, () => good) }),
      400,
      'You cannot upload more than 2500 observations at once. Please separate your observations into multiple API calls.',
    );
    const dry = ok(await ctx.api.request('POST', `${base}/observations/batch`, { observations: [good, { suggestion: s.id, values: [{ value: 2 }] }], dry_run: true }));
    expect(dry.object).toBe('pagination');
    expect(dry.count).toBe(2);
    expect(dry.paging).toEqual({ before: null, after: null });
    expect(dry.data.map((o: any) => o.id)).toEqual([null, null]);
    expect(dry.data[1].suggestion).toBe(s.id);
    expect(await snapshot(ctx.api, exp.id)).toEqual(before);

    const created = ok(await ctx.api.request('POST', `${base}/observations/batch`, { observations: [good, { suggestion: s.id, values: [{ value: 2 }] }, { assignments: { x: 0.3 }, failed: true }] }));
    expect(created.count).toBe(3);
    expect(created.data.map((o: any) => o.values[0]?.value ?? 'failed')).toEqual([1, 2, 'failed']);
    expect(created.data.every((o: any) => /^\d+$/.test(o.id))).toBe(true);
    expect(ok(await ctx.api.request('GET', `${base}/suggestions/${s.id}`)).state).toBe('closed');
    expect(ok(await ctx.api.request('GET', `${base}/observations`)).count).toBe(3);
  });

  test.skipIf(skip)('batch of 2500 is accepted', async () => {
    const exp = await createExperiment(ctx.api);
    const observations = Array.from({ length: 2500 }, (_, i) => ({ assignments: { x: i / 2500 }, values: [{ value: i }], no_optimize: true }));
    const res = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations/batch`, { observations, fields: 'id' }));
    expect(res.count).toBe(2500);
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/observations`, { limit: 0 })).count).toBe(2500);
  }, 60_000);

  test.skipIf(skip)('list: every sort, ascending, failed observations sort consistently', async () => {
    const exp = await createExperiment(ctx.api, TWO);
    const base = `/v1/experiments/${exp.id}`;
    const rows = [
      { x: 0.4, n: 2, m1: 3, m2: 9, sd: 0.3 },
      { x: 0.1, n: 7, m1: 1, m2: 5, sd: 0.1 },
      { x: 0.9, n: 1, m1: 2, m2: 7, sd: 0.2 },
    ];
    const ids: string[] = [];
    for (const r of rows) {
      const o = ok(
        await ctx.api.request('POST', `${base}/observations`, {
          assignments: { x: r.x, n: r.n },
          values: [
            { name: 'm1', value: r.m1, value_stddev: r.sd },
            { name: 'm2', value: r.m2 },
            { name: 's', value: 0 },
          ],
        }),
      );
      ids.push(o.id);
    }
    const failed = ok(await ctx.api.request('POST', `${base}/observations`, { assignments: { x: 0.5, n: 5 }, failed: true }));
    const order = async (params: Record<string, unknown>) => ok(await ctx.api.request('GET', `${base}/observations`, params)).data.map((o: any) => o.id);
    const [a, b, c] = ids as [string, string, string];
    expect(await order({})).toEqual([failed.id, c, b, a]);
    expect(await order({ ascending: true })).toEqual([a, b, c, failed.id]);
    expect(await order({ sort: 'id', ascending: 'TRUE' })).toEqual([a, b, c, failed.id]);
    // Created times never decrease and ties break by id, so timestamp order equals id order here.
    expect(await order({ sort: 'timestamp', ascending: true })).toEqual([a, b, c, failed.id]);
    expect(await order({ sort: 'timestamp' })).toEqual([failed.id, c, b, a]);
    const byValue = (await order({ sort: 'value' })).filter((id: string) => id !== failed.id);
    expect(byValue).toEqual([a, c, b]);
    expect((await order({ sort: 'value', ascending: true })).filter((id: string) => id !== failed.id)).toEqual([b, c, a]);
    expect((await order({ sort: 'value-m2' })).filter((id: string) => id !== failed.id)).toEqual([a, c, b]);
    expect((await order({ sort: 'value_stddev-m1' })).filter((id: string) => id !== failed.id)).toEqual([a, c, b]);
    expect((await order({ sort: 'value_stddev' })).filter((id: string) => id !== failed.id)).toEqual([a, c, b]);
    expect((await order({ sort: 'parameter-x' })).filter((id: string) => id !== failed.id)).toEqual([c, a, b]);
    expect((await order({ sort: 'parameter-n', ascending: true })).filter((id: string) => id !== failed.id)).toEqual([c, a, b]);
    expect(await order({ sort: 'task' })).toHaveLength(4);
    // Failed observations sort at one end, the same under every value sort.
    for (const sort of ['value', 'value-m2', 'value_stddev']) {
      const all = await order({ sort });
      expect([0, 3], sort).toContain(all.indexOf(failed.id));
    }
    // Paging through a value sort visits every observation once.
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: any = ok(await ctx.api.request('GET', `${base}/observations`, { sort: 'value', limit: 1, ...(before ? { before } : {}) }));
      seen.push(...page.data.map((o: any) => o.id));
      before = page.paging.before;
    } while (before !== null && seen.length < 10);
    expect([...seen].sort()).toEqual([...ids, failed.id].sort());
    expectError(await ctx.api.request('GET', `${base}/observations`, { sort: 'parameter-zz' }), 400, 'Unknown parameter: zz');
    expectError(await ctx.api.request('GET', `${base}/observations`, { sort: 'weird' }), 400, 'Invalid sort: weird');
    expectError(await ctx.api.request('GET', `${base}/observations`, { ascending: 'maybe' }), 400, 'Invalid boolean value: maybe');
  });

  test.skipIf(skip)('update: partial, values matched by name, failed rules, created unchanged', async () => {
    const exp = await createExperiment(ctx.api, TWO);
    const base = `/v1/experiments/${exp.id}`;
    const o = ok(
      await ctx.api.request('POST', `${base}/observations`, {
        assignments: { x: 0.5, n: 2 },
        values: [
          { name: 'm1', value: 1, value_stddev: 0.5 },
          { name: 'm2', value: 2 },
          { name: 's', value: 3 },
        ],
        metadata: { a: 1 },
      }),
    );
    const up = ok(await ctx.api.request('PUT', `${base}/observations/${o.id}`, { values: [{ name: 'm2', value: 20 }] }));
    expect(up.values).toEqual([
      { object: 'metric_evaluation', name: 'm1', value: 1, value_stddev: 0.5 },
      { object: 'metric_evaluation', name: 'm2', value: 20, value_stddev: null },
      { object: 'metric_evaluation', name: 's', value: 3, value_stddev: null },
    ]);
    expect(up.metadata).toEqual({ a: 1 });
    expect(up.created).toBe(o.created);
    expectError(await ctx.api.request('PUT', `${base}/observations/${o.id}`, { values: [{ name: 'zz', value: 1 }] }), 400, 'Invalid metric name zz');
    expectError(await ctx.api.request('PUT', `${base}/observations/${o.id}`, { failed: true }), 400, 'Multimetric observations with values cannot have failed == true');
    expectError(await ctx.api.request('PUT', `${base}/observations/${o.id}`, { value: 1 }), 400, prefix('Unknown json keys `value` in: '));
    const failed = ok(await ctx.api.request('PUT', `${base}/observations/${o.id}`, { failed: true, values: [] }));
    expect(failed.failed).toBe(true);
    expect(failed.values).toEqual([]);
    const meta = ok(await ctx.api.request('PUT', `${base}/observations/${o.id}`, { metadata: null }));
    expect(meta.metadata).toBeNull();
    expect(meta.failed).toBe(true);

    const single = await createExperiment(ctx.api);
    const so = ok(await ctx.api.request('POST', `/v1/experiments/${single.id}/observations`, { assignments: { x: 0.5 }, values: [{ value: 1 }] }));
    expectError(await ctx.api.request('PUT', `/v1/experiments/${single.id}/observations/${so.id}`, { failed: true }), 400, 'Observations with a value cannot have failed == true');
    const re = ok(await ctx.api.request('PUT', `/v1/experiments/${single.id}/observations/${so.id}`, { assignments: { x: 0.75 }, values: [{ value: 4 }] }));
    expect(re.assignments).toEqual({ x: 0.75 });
    expect(re.values[0].value).toBe(4);
    const s = ok(await ctx.api.request('POST', `/v1/experiments/${single.id}/suggestions`, {}));
    const linked = ok(await ctx.api.request('PUT', `/v1/experiments/${single.id}/observations/${so.id}`, { suggestion: s.id, assignments: null }));
    expect(linked.suggestion).toBe(s.id);
    expect(linked.assignments).toEqual(s.assignments);
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${single.id}/suggestions/${s.id}`)).state).toBe('closed');
  });

  test.skipIf(skip)('delete one / delete all: soft, suggestions stay closed, deleted lists', async () => {
    const { exp, s, base } = await withSuggestion();
    const o1 = ok(await ctx.api.request('POST', `${base}/observations`, { suggestion: s.id, values: [{ value: 1 }] }));
    const o2 = ok(await ctx.api.request('POST', `${base}/observations`, { assignments: { x: 0.2 }, values: [{ value: 2 }] }));
    const o3 = ok(await ctx.api.request('POST', `${base}/observations`, { assignments: { x: 0.3 }, values: [{ value: 3 }] }));
    expect(ok(await ctx.api.request('DELETE', `${base}/observations/${o1.id}`))).toEqual({});
    expect(ok(await ctx.api.request('DELETE', `${base}/observations/${o2.id}`, { no_optimize: true }))).toEqual({});
    expect(ok(await ctx.api.request('GET', `${base}/observations`)).data.map((o: any) => o.id)).toEqual([o3.id]);
    expect(ok(await ctx.api.request('GET', `${base}/observations`, { deleted: true })).data.map((o: any) => o.id)).toEqual([o2.id, o1.id]);
    expect(ok(await ctx.api.request('GET', `${base}/suggestions/${s.id}`)).state).toBe('closed');
    const e = ok(await ctx.api.request('GET', base));
    expect(e.progress.observation_count).toBe(1);
    expect(e.progress.best_observation.id).toBe(o3.id);
    expect(ok(await ctx.api.request('DELETE', `${base}/observations`))).toEqual({});
    expect(ok(await ctx.api.request('GET', `${base}/observations`)).count).toBe(0);
    expect(ok(await ctx.api.request('GET', `${base}/observations`, { deleted: true })).count).toBe(3);
    const after = ok(await ctx.api.request('GET', base));
    expect(after.progress.observation_count).toBe(0);
    expect(after.progress.best_observation).toBeNull();
    expect(ok(await ctx.api.request('GET', `${base}/best_assignments`)).data).toEqual([]);
    expect(exp.id).toBe(after.id);
  });

  test.skipIf(skip)('children of another experiment are 404; deleted experiments refuse new observations', async () => {
    const a = await withSuggestion();
    const b = await withSuggestion();
    const o = ok(await ctx.api.request('POST', `${a.base}/observations`, { suggestion: a.s.id, values: [{ value: 1 }] }));
    for (const [method, body] of [['GET'], ['PUT', { metadata: null }], ['DELETE']] as const) {
      expectError(await ctx.api.request(method, `${b.base}/observations/${o.id}`, body), 404, 'The requested resource could not be found');
    }
    expect(ok(await ctx.api.request('DELETE', a.base))).toEqual({});
    expectError(await ctx.api.request('POST', `${a.base}/observations`, { suggestion: a.s.id, values: [{ value: 1 }] }), 400, `Cannot create observations for deleted experiment ${a.exp.id}`);
    expectError(await ctx.api.request('POST', `${a.base}/observations/batch`, { observations: [] }), 400, `Cannot create observations for deleted experiment ${a.exp.id}`);
    expect(ok(await ctx.api.request('GET', `${a.base}/observations/${o.id}`)).id).toBe(o.id);
  });
});
