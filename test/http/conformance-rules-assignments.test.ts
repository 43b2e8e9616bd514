import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { categorical, createExperiment, double, expectError, int, ok, prefix, useServer } from '../support/conformance.ts';

/**
 * Explicit assignments (docs/api-compatibility.md#explicit-assignment-rules, A1–A11) on all three endpoints that take them (explicit
 * suggestions, queued suggestions, observations), metadata (docs/api-compatibility.md#metadata-rules) on suggestions and observations,
 * and the task rules that apply to suggestions and observations (T7–T9).
 */

/** Every kind of parameter, a conditional and a constraint `x + y <= 150`. */
const RICH = {
  name: 'assignments',
  conditionals: [{ name: 'k', values: ['on', 'off'] }],
  parameters: [
    double('x', 1, 100),
    double('y', 0, 100),
    int('n', 0, 10),
    double('l', 0.01, 1, { transformation: 'log' }),
    categorical('c', ['a', 'b', 'c']),
    { name: 'g', type: 'double', grid: [0.1, 0.5, 1] },
    double('p', 0, 1, { conditions: { k: 'on' } }),
    double('q', 0, 1, { conditions: { k: 'off' } }),
  ],
  linear_constraints: [{ type: 'less_than', threshold: 150, terms: [{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }] }],
};
const VALID: Record<string, unknown> = { x: 50, y: 10, n: 3, l: 0.1, c: 'a', g: 0.5, k: 'on', p: 0.5 };
const without = (key: string) => Object.fromEntries(Object.entries(VALID).filter(([k]) => k !== key));

interface Row {
  readonly rule: string;
  readonly assignments: unknown;
  readonly message: string | RegExp;
}

const A_ROWS: readonly Row[] = [
  { rule: 'A1 missing parameter', assignments: without('n'), message: 'Missing assignment for parameter: "n"' },
  { rule: 'A1 missing conditional', assignments: without('k'), message: 'Missing assignment for conditional: "k"' },
  { rule: 'A2 unknown name', assignments: { ...VALID, zz: 1 }, message: 'Invalid assignment, parameter does not exist: "zz"' },
  { rule: 'A3 unsatisfied parameter', assignments: { ...VALID, q: 0.5 }, message: 'Do not provide assignment for unsatisfied parameter: "q"' },
  { rule: 'A4 categorical value exists', assignments: { ...VALID, c: 'z' }, message: 'Invalid value for categorical parameter c: z' },
  { rule: 'A5 conditional value exists', assignments: { ...VALID, k: 'maybe' }, message: 'Invalid assignment maybe for conditional k' },
  { rule: 'A6 grid value', assignments: { ...VALID, g: 0.3 }, message: prefix('Invalid value for grid parameter g: 0.3. Valid values for this parameter are: [') },
  { rule: 'A7 int value integer-valued', assignments: { ...VALID, n: 2.5 }, message: /2\.5/ },
  { rule: 'A7 numbers for numeric params', assignments: { ...VALID, x: 'fifty' }, message: /fifty/ },
  { rule: 'A7 booleans are not numbers', assignments: { ...VALID, x: true }, message: /true/ },
  { rule: 'A8 log value positive', assignments: { ...VALID, l: 0 }, message: 'Assignment must be positive for log-transformed parameter l' },
  { rule: 'A9 constraint satisfied', assignments: { ...VALID, x: 100, y: 100 }, message: prefix('Assignments do not satisfy constraint: ') },
  { rule: 'A11 empty assignments', assignments: {}, message: 'Cannot provide null or empty `assignments`' },
];

const ENDPOINTS = [
  { endpoint: 'suggestions', body: (a: unknown) => ({ assignments: a }) },
  { endpoint: 'queued_suggestions', body: (a: unknown) => ({ assignments: a }) },
  { endpoint: 'observations', body: (a: unknown) => ({ assignments: a, values: [{ value: 1 }] }) },
] as const;

const CASES = ENDPOINTS.flatMap((e) => A_ROWS.map((r) => ({ ...r, ...e })));

describe.each(httpBackends())('assignment rules on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  let rich: Promise<any> | undefined;
  const richExperiment = () => (rich ??= createExperiment(ctx.api, RICH));

  test.skipIf(skip).each(CASES)('$endpoint: $rule', async ({ endpoint, body, assignments, message }) => {
    const exp = await richExperiment();
    const res = await ctx.api.request('POST', `/v1/experiments/${exp.id}/${endpoint}`, body(assignments));
    expectError(res, 400, message);
  });

  test.skipIf(skip)('rejected assignments store nothing', async () => {
    const exp = await richExperiment();
    for (const { endpoint, body } of ENDPOINTS) {
      for (const row of A_ROWS) await ctx.api.request('POST', `/v1/experiments/${exp.id}/${endpoint}`, body(row.assignments));
      const list = ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/${endpoint}`));
      expect(list.count, endpoint).toBe(0);
    }
  });

  test.skipIf(skip).each(ENDPOINTS)('$endpoint: valid assignments are accepted and rendered (A7 5.0 ≡ 5, A10 bounds not enforced, nulls for inactive)', async ({ endpoint, body }) => {
    const exp = await richExperiment();
    const res = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/${endpoint}`, body({ ...VALID, x: 0.5, n: 3.0, q: null })));
    expect(res.assignments).toEqual({ ...VALID, x: 0.5, n: 3, q: null });
    expect(Number.isInteger(res.assignments.n)).toBe(true);
  });

  test.skipIf(skip)('A4 a deleted categorical value cannot be reported', async () => {
    const exp = await createExperiment(ctx.api, { name: 'cat', parameters: [categorical('c', ['a', 'b', 'c'])] });
    ok(await ctx.api.request('PUT', `/v1/experiments/${exp.id}`, { parameters: [{ name: 'c', type: 'categorical', categorical_values: ['a', 'b'] }] }));
    for (const endpoint of ['suggestions', 'queued_suggestions']) {
      expectError(await ctx.api.request('POST', `/v1/experiments/${exp.id}/${endpoint}`, { assignments: { c: 'c' } }), 400, 'Cannot report deleted categorical value c for parameter c');
    }
    expectError(
      await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { assignments: { c: 'c' }, values: [{ value: 1 }] }),
      400,
      'Cannot report deleted categorical value c for parameter c',
    );
  });

  test.skipIf(skip)('D1–D5 metadata rules on suggestions (create and update) and observations', async () => {
    const exp = await createExperiment(ctx.api);
    const base = `/v1/experiments/${exp.id}`;
    const bad: [unknown, string | RegExp][] = [
      [[1], /^Invalid type for \.?metadata: \[1\] - expected type /],
      [{ k: true }, /^Invalid type for \.k: true - expected type /],
      [{ k: 'v'.repeat(501) }, 'The length of .k must be less than or equal to 500'],
      [Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 1])), prefix('Expected at most 100 keys in ')],
      [{ ['m'.repeat(101)]: 1 }, "The length of the metadata key 'mmmmmmmmmm...mmmmmmmmmm' must be less than 100"],
    ];
    for (const [metadata, message] of bad) {
      expectError(await ctx.api.request('POST', `${base}/suggestions`, { metadata }), 400, message);
      expectError(await ctx.api.request('POST', `${base}/observations`, { assignments: { x: 0.5 }, values: [{ value: 1 }], metadata }), 400, message);
    }
    const s = ok(await ctx.api.request('POST', `${base}/suggestions`, { metadata: { a: 1.0, b: null, c: 's' } }));
    expect(s.metadata).toEqual({ a: 1, c: 's' });
    for (const [metadata, message] of bad) {
      expectError(await ctx.api.request('PUT', `${base}/suggestions/${s.id}`, { metadata }), 400, message);
    }
    expect(ok(await ctx.api.request('GET', `${base}/suggestions`)).count).toBe(1);
    expect(ok(await ctx.api.request('GET', `${base}/observations`)).count).toBe(0);
  });

  describe('tasks on suggestions and observations', () => {
    const MT = {
      name: 'multitask',
      parameters: [double('x')],
      tasks: [
        { name: 'cheap', cost: 0.1 },
        { name: 'full', cost: 1 },
      ],
      observation_budget: 10,
    };

    test.skipIf(skip)('T7 task on a non-multitask suggestion / observation', async () => {
      const exp = await createExperiment(ctx.api);
      expectError(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, { task: 'cheap' }), 400, '`task` should only be present for multitask experiments');
      expectError(
        await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { assignments: { x: 0.5 }, task: 'cheap', values: [{ value: 1 }] }),
        400,
        'Only multitask experiments should have a task present.',
      );
    });

    test.skipIf(skip)('T8 explicit multitask suggestions need assignments and task', async () => {
      const exp = await createExperiment(ctx.api, MT);
      expectError(
        await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, { assignments: { x: 0.5 } }),
        400,
        'For multitask experiments, manually created suggestions must have both `assignments` and `task`',
      );
      const withTask = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, { assignments: { x: 0.5 }, task: { name: 'cheap' } }));
      expect(withTask.task).toEqual({ object: 'task', name: 'cheap', cost: 0.1 });
      const q = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/queued_suggestions`, { assignments: { x: 0.25 }, task: 'full' }));
      expect(q.task).toEqual({ object: 'task', name: 'full', cost: 1 });
      const served = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expect(served.assignments).toEqual({ x: 0.25 });
      expect(served.task).toEqual({ object: 'task', name: 'full', cost: 1 });
      const generated = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expect(['cheap', 'full']).toContain(generated.task.name);
    });

    test.skipIf(skip)('T9 manual multitask observations need a task; O12 task only with assignments', async () => {
      const exp = await createExperiment(ctx.api, MT);
      expectError(
        await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { assignments: { x: 0.5 }, values: [{ value: 1 }] }),
        400,
        'Must provide `assignments` and `task` when creating observations manually',
      );
      const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expectError(
        await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s.id, task: 'cheap', values: [{ value: 1 }] }),
        400,
        'Cannot provide/update `task` when `suggestion` is provided',
      );
      const o = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { assignments: { x: 0.5 }, task: 'cheap', values: [{ value: 1 }] }));
      expect(o.task).toEqual({ object: 'task', name: 'cheap', cost: 0.1 });
      const fromSuggestion = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s.id, values: [{ value: 2 }] }));
      expect(fromSuggestion.task).toEqual(s.task);
      const got = ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}`));
      expect(got.progress.observation_budget_consumed).toBeCloseTo(0.1 + s.task.cost, 10);
    });

    test.skipIf(skip)('task is hidden on objects of non-multitask experiments', async () => {
      const exp = await createExperiment(ctx.api);
      const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expect(s).not.toHaveProperty('task');
      const o = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s.id, values: [{ value: 1 }] }));
      expect(o).not.toHaveProperty('task');
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}`))).not.toHaveProperty('tasks');
    });
  });
});
