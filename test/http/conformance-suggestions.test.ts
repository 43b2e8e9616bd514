import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { categorical, createExperiment, double, expectError, int, minimalExperiment, ok, useServer } from '../support/conformance.ts';

/**
 * Suggestions, queued suggestions and the suggestion policy (docs/api-compatibility.md#suggestions,
 * docs/api-compatibility.md#queued-suggestions, docs/api-compatibility.md#suggestion-policy).
 */

const NOT_FOUND = 'The requested resource could not be found';
/** 20 × 3 = 60 discrete points: room for distinct suggestions without exhausting the space. */
const DISCRETE = [int('n', 1, 20), categorical('c', ['a', 'b', 'c'])];

describe.each(httpBackends())('suggestions on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  test.skipIf(skip)('create renders the Suggestion object; fetch returns the same', async () => {
    const exp = await createExperiment(ctx.api);
    const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
    expect(s).toEqual({
      object: 'suggestion',
      id: expect.stringMatching(/^\d+$/),
      experiment: exp.id,
      assignments: { x: expect.any(Number) },
      state: 'open',
      created: expect.any(Number),
      deleted: false,
      metadata: null,
    });
    expect(s.assignments.x).toBeGreaterThanOrEqual(0);
    expect(s.assignments.x).toBeLessThanOrEqual(1);
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/suggestions/${s.id}`))).toEqual(s);
    expectError(await ctx.api.request('GET', `/v1/experiments/${exp.id}/suggestions/999999999`), 404, NOT_FOUND, 'NOT_FOUND');
  });

  test.skipIf(skip)('explicit suggestions: stored as given, exempt from duplicate checks, with metadata', async () => {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}/suggestions`;
    const a = ok(await ctx.api.request('POST', path, { assignments: { x: 0.123456789 }, metadata: { who: 'me' } }));
    const b = ok(await ctx.api.request('POST', path, { assignments: { x: 0.123456789 } }));
    expect(a.assignments).toEqual({ x: 0.123456789 });
    expect(b.assignments).toEqual({ x: 0.123456789 });
    expect(a.metadata).toEqual({ who: 'me' });
    expect(a.id).not.toBe(b.id);
  });

  test.skipIf(skip)('queued suggestions: FIFO, removed when served, served for every experiment type', async () => {
    const bodies = [
      minimalExperiment({ name: 'offline' }),
      minimalExperiment({ name: 'random', type: 'random' }),
      { name: 'grid', type: 'grid', parameters: [{ name: 'x', type: 'double', grid: [0.1, 0.2] }] },
    ];
    for (const body of bodies) {
      const exp = await createExperiment(ctx.api, body);
      const base = `/v1/experiments/${exp.id}`;
      const q1 = ok(await ctx.api.request('POST', `${base}/queued_suggestions`, { assignments: { x: 0.1 } }));
      const q2 = ok(await ctx.api.request('POST', `${base}/queued_suggestions`, { assignments: { x: 0.2 } }));
      expect(q1).toEqual({ object: 'queued_suggestion', id: expect.stringMatching(/^\d+$/), experiment: exp.id, assignments: { x: 0.1 }, created: expect.any(Number) });
      const list = ok(await ctx.api.request('GET', `${base}/queued_suggestions`));
      expect(list.count).toBe(2);
      expect(list.data.map((q: any) => q.id)).toEqual([q2.id, q1.id]);
      expect(ok(await ctx.api.request('GET', `${base}/queued_suggestions/${q1.id}`))).toEqual(q1);
      // Explicit suggestions do not consume the queue.
      ok(await ctx.api.request('POST', `${base}/suggestions`, { assignments: { x: 0.2 } }));
      const first = ok(await ctx.api.request('POST', `${base}/suggestions`, {}));
      expect(first.assignments).toEqual({ x: 0.1 });
      expectError(await ctx.api.request('GET', `${base}/queued_suggestions/${q1.id}`), 404, NOT_FOUND, 'NOT_FOUND');
      // A queued point equal to an open suggestion is served anyway (exempt from duplicate checks).
      const second = ok(await ctx.api.request('POST', `${base}/suggestions`, {}));
      expect(second.assignments).toEqual({ x: 0.2 });
      expect(ok(await ctx.api.request('GET', `${base}/queued_suggestions`)).count).toBe(0);
    }
  });

  test.skipIf(skip)('queued suggestions: delete one, no PUT, no delete-all, validated like explicit assignments', async () => {
    const exp = await createExperiment(ctx.api);
    const base = `/v1/experiments/${exp.id}/queued_suggestions`;
    const q = ok(await ctx.api.request('POST', base, { assignments: { x: 0.5 } }));
    expectError(await ctx.api.request('PUT', `${base}/${q.id}`, {}), 405, /^This endpoint accepts only the following methods: \[/);
    expectError(await ctx.api.request('DELETE', base), 405, /^This endpoint accepts only the following methods: \[/);
    expectError(await ctx.api.request('POST', base, {}), 400, /^Missing required json key "assignments" in: /);
    expectError(await ctx.api.request('POST', base, { assignments: {} }), 400, 'Cannot provide null or empty `assignments`');
    expect(ok(await ctx.api.request('DELETE', `${base}/${q.id}`))).toEqual({});
    expectError(await ctx.api.request('DELETE', `${base}/${q.id}`), 404, NOT_FOUND, 'NOT_FOUND');
    expect(ok(await ctx.api.request('GET', base)).count).toBe(0);
  });

  test.skipIf(skip)('list: state=open, deleted, id filter; state must be open', async () => {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}/suggestions`;
    const [s1, s2, s3] = [
      ok(await ctx.api.request('POST', path, {})),
      ok(await ctx.api.request('POST', path, {})),
      ok(await ctx.api.request('POST', path, {})),
    ];
    ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s1.id, values: [{ value: 1 }] }));
    ok(await ctx.api.request('DELETE', `${path}/${s2.id}`));
    const ids = async (params: Record<string, unknown>) => ok(await ctx.api.request('GET', path, params)).data.map((s: any) => s.id);
    expect(await ids({})).toEqual([s3.id, s1.id]);
    expect(await ids({ state: 'open' })).toEqual([s3.id]);
    expect(await ids({ deleted: true })).toEqual([s2.id]);
    expect(await ids({ deleted: false })).toEqual([s3.id, s1.id]);
    expect(await ids({ id: `${s1.id},${s3.id}` })).toEqual([s3.id, s1.id]);
    expect(ok(await ctx.api.request('GET', path, { state: 'open' })).count).toBe(1);
    expectError(await ctx.api.request('GET', path, { state: 'closed' }), 400, 'Unrecognized state closed (if provided, must be open)');
    const gone = ok(await ctx.api.request('GET', `${path}/${s2.id}`));
    expect(gone.deleted).toBe(true);
    expect(gone.state).toBe('open');
    expect(ok(await ctx.api.request('GET', `${path}/${s1.id}`)).state).toBe('closed');
  });

  test.skipIf(skip)('update: only metadata; null clears, absent keeps', async () => {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}/suggestions`;
    const s = ok(await ctx.api.request('POST', path, { metadata: { a: 1 } }));
    expect(ok(await ctx.api.request('PUT', `${path}/${s.id}`, {})).metadata).toEqual({ a: 1 });
    expect(ok(await ctx.api.request('PUT', `${path}/${s.id}`, { metadata: { b: 'two' } })).metadata).toEqual({ b: 'two' });
    const cleared = ok(await ctx.api.request('PUT', `${path}/${s.id}`, { metadata: null }));
    expect(cleared.metadata).toBeNull();
    expect(cleared.assignments).toEqual(s.assignments);
    expectError(await ctx.api.request('PUT', `${path}/999999999`, { metadata: null }), 404, NOT_FOUND, 'NOT_FOUND');
  });

  test.skipIf(skip)('delete all: every suggestion, or only open ones with state=open', async () => {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}/suggestions`;
    const s1 = ok(await ctx.api.request('POST', path, {}));
    const s2 = ok(await ctx.api.request('POST', path, {}));
    ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s1.id, values: [{ value: 1 }] }));
    expectError(await ctx.api.request('DELETE', path, { state: 'closed' }), 400, 'Unrecognized state closed (if provided, must be open)');
    expect(ok(await ctx.api.request('DELETE', path, { state: 'open' }))).toEqual({});
    expect(ok(await ctx.api.request('GET', path)).data.map((s: any) => s.id)).toEqual([s1.id]);
    expect(ok(await ctx.api.request('GET', path, { deleted: true })).data.map((s: any) => s.id)).toEqual([s2.id]);
    expect(ok(await ctx.api.request('DELETE', path))).toEqual({});
    expect(ok(await ctx.api.request('GET', path)).count).toBe(0);
    expect(ok(await ctx.api.request('GET', path, { deleted: true })).count).toBe(2);
  });

  test.skipIf(skip)('children of another experiment are 404', async () => {
    const a = await createExperiment(ctx.api);
    const b = await createExperiment(ctx.api);
    const s = ok(await ctx.api.request('POST', `/v1/experiments/${a.id}/suggestions`, {}));
    const q = ok(await ctx.api.request('POST', `/v1/experiments/${a.id}/queued_suggestions`, { assignments: { x: 0.5 } }));
    for (const [method, path] of [
      ['GET', `/v1/experiments/${b.id}/suggestions/${s.id}`],
      ['PUT', `/v1/experiments/${b.id}/suggestions/${s.id}`],
      ['DELETE', `/v1/experiments/${b.id}/suggestions/${s.id}`],
      ['GET', `/v1/experiments/${b.id}/queued_suggestions/${q.id}`],
      ['DELETE', `/v1/experiments/${b.id}/queued_suggestions/${q.id}`],
    ] as const) {
      expectError(await ctx.api.request(method, path, method === 'PUT' ? { metadata: null } : undefined), 404, NOT_FOUND, 'NOT_FOUND');
    }
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${a.id}/suggestions/${s.id}`)).deleted).toBe(false);
  });

  describe('suggestion policy', () => {
    test.skipIf(skip).each(['offline', 'random'])('%s: server-generated suggestions never repeat an open suggestion or an observation', async (type) => {
      const exp = await createExperiment(ctx.api, { name: `dedup ${type}`, type, parameters: DISCRETE });
      const path = `/v1/experiments/${exp.id}/suggestions`;
      const seen = new Set<string>();
      for (let i = 0; i < 8; i++) {
        const s = ok(await ctx.api.request('POST', path, {}));
        expect(Number.isInteger(s.assignments.n)).toBe(true);
        const key = JSON.stringify([s.assignments.n, s.assignments.c]);
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
        if (i % 2 === 0) ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s.id, values: [{ value: i }] }));
      }
      // Parallel requests must not hand out the same point either.
      const parallel = await Promise.all(Array.from({ length: 6 }, () => ctx.api.request('POST', path, {})));
      for (const res of parallel) {
        const s = ok(res);
        const key = JSON.stringify([s.assignments.n, s.assignments.c]);
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }, 60_000);

    test.skipIf(skip)('parallel_bandwidth is a hint: it never caps open suggestions', async () => {
      const exp = await createExperiment(ctx.api, minimalExperiment({ parallel_bandwidth: 1 }));
      for (let i = 0; i < 4; i++) ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/suggestions`, { state: 'open' })).count).toBe(4);
    });

    test.skipIf(skip)('grid: open suggestions count toward k; first parameter by name varies fastest', async () => {
      const exp = await createExperiment(ctx.api, {
        name: 'grid k',
        type: 'grid',
        parameters: [{ name: 'b', type: 'double', grid: [2, 1] }, categorical('a', ['u', 'v'])],
      });
      const path = `/v1/experiments/${exp.id}/suggestions`;
      const points = [];
      for (let i = 0; i < 4; i++) points.push(ok(await ctx.api.request('POST', path, {})).assignments);
      expect(points).toEqual([
        { a: 'u', b: 1 },
        { a: 'v', b: 1 },
        { a: 'u', b: 2 },
        { a: 'v', b: 2 },
      ]);
    });

    test.skipIf(skip)('conditionals: inactive parameters render null; conditionals render their value', async () => {
      const exp = await createExperiment(ctx.api, {
        name: 'cond',
        type: 'random',
        conditionals: [{ name: 'k', values: ['on', 'off'] }],
        parameters: [double('p', 0, 1, { conditions: { k: 'on' } }), double('q', 0, 1, { conditions: { k: 'off' } }), double('r')],
      });
      for (let i = 0; i < 6; i++) {
        const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
        expect(Object.keys(s.assignments).sort()).toEqual(['k', 'p', 'q', 'r']);
        expect(['on', 'off']).toContain(s.assignments.k);
        const active = s.assignments.k === 'on' ? 'p' : 'q';
        const inactive = s.assignments.k === 'on' ? 'q' : 'p';
        expect(s.assignments[active]).toEqual(expect.any(Number));
        expect(s.assignments[inactive]).toBeNull();
      }
    });

    test.skipIf(skip)('rendering: ints are integers, log values within bounds, constraints honoured, precision rounds (X2)', async () => {
      const exp = await createExperiment(ctx.api, {
        name: 'render',
        type: 'random',
        parameters: [
          int('n', -5, 5),
          double('l', 0.001, 10, { transformation: 'log' }),
          double('x', 0, 10),
          double('y', 0, 10),
          double('p', 0, 1000, { precision: 2 }),
        ],
        linear_constraints: [{ type: 'less_than', threshold: 5, terms: [{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }] }],
      });
      expect(exp.parameters.find((p: any) => p.name === 'p').precision).toBe(2);
      for (let i = 0; i < 10; i++) {
        const a = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {})).assignments;
        expect(Number.isInteger(a.n)).toBe(true);
        expect(a.n).toBeGreaterThanOrEqual(-5);
        expect(a.n).toBeLessThanOrEqual(5);
        expect(a.l).toBeGreaterThanOrEqual(0.001);
        expect(a.l).toBeLessThanOrEqual(10);
        expect(a.x + a.y).toBeLessThanOrEqual(5 + 1e-9);
        expect(a.p).toBeGreaterThanOrEqual(0);
        expect(a.p).toBeLessThanOrEqual(1000);
        expect(a.p === 0 || a.p === 1000 || a.p === Number(a.p.toPrecision(2)), String(a.p)).toBe(true);
      }
      // Explicit assignments are stored as given, unrounded.
      const explicit = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, { assignments: { n: 1, l: 0.5, x: 1, y: 1, p: 123.456 } }));
      expect(explicit.assignments.p).toBe(123.456);
    });

    test.skipIf(skip)('development experiments get random suggestions', async () => {
      const exp = ok(await ctx.dev.request('POST', '/v1/experiments', { name: 'dev', parameters: DISCRETE }));
      expect(exp.development).toBe(true);
      const s = ok(await ctx.dev.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expect(s.assignments.n).toBeGreaterThanOrEqual(1);
      expect(['a', 'b', 'c']).toContain(s.assignments.c);
    });
  });
});
