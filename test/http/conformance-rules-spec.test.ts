import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { categorical, double, expectError, int, minimalExperiment, ok, prefix, useServer } from '../support/conformance.ts';

/**
 * Metric to multisolution rules (docs/api-compatibility.md#validation-rules) at experiment create: metrics (M1–M12), conditionals (C1–C5, C7; C6 is not a rule of SigOpt, see conformance-v1-gaps), linear constraints
 * (L1–L10), tasks (T1–T6) and multisolution (S1–S3). The update-time rules (M13, M14, C8, L11, S4,
 * G11) live in conformance-experiment-update.test.ts.
 */

interface Row {
  readonly rule: string;
  readonly body: Record<string, unknown>;
  readonly message: string | RegExp;
}

const params = [double('x'), double('y')];
const exp = (extra: Record<string, unknown>) => ({ name: 'rules', parameters: params, ...extra });
const named = (n: number, strategy = 'optimize', extra: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) => ({ name: `${strategy}${i}`, strategy, ...extra }));
const constrained = (terms: { name: string; weight: number }[], parameters: Record<string, unknown>[] = params, extra: Record<string, unknown> = {}) => ({
  name: 'rules',
  parameters,
  linear_constraints: [{ type: 'less_than', threshold: 1, terms, ...extra }],
});
const conditional = (parameters: Record<string, unknown>[], conditionals: unknown = [{ name: 'k', values: ['a', 'b'] }], extra: Record<string, unknown> = {}) => ({
  name: 'rules',
  conditionals,
  parameters,
  ...extra,
});
const tasks = (list: unknown, extra: Record<string, unknown> = {}) => exp({ tasks: list, observation_budget: 10, ...extra });

const ROWS: readonly Row[] = [
  // docs/api-compatibility.md#metric-rules
  { rule: 'M1 metrics list not empty', body: exp({ metrics: [] }), message: 'The `metrics` list must contain a metric' },
  { rule: 'M2 ≤ 50 metrics', body: exp({ metrics: named(51, 'store'), observation_budget: 5 }), message: 'Cannot have more then 50 metrics' },
  { rule: 'M3 ≤ 2 optimized metrics', body: exp({ metrics: named(3), observation_budget: 5 }), message: 'Experiments must have at most 2 optimized metrics' },
  {
    rule: 'M4 ≤ 4 constraint metrics',
    body: exp({ metrics: named(5, 'constraint', { threshold: 1 }), observation_budget: 5 }),
    message: 'Experiments must have at most 4 constraint metrics',
  },
  { rule: 'M5 optimized or constraint metrics', body: exp({ metrics: named(2, 'store') }), message: 'Experiments must have optimized or constraint metrics' },
  { rule: 'M6 unique names', body: exp({ metrics: ['m', 'm'], observation_budget: 5 }), message: 'Duplicate metric name: m' },
  { rule: 'M6 unique names (objects)', body: exp({ metrics: [{ name: 'm' }, { name: 'm', strategy: 'store' }] }), message: 'Duplicate metric name: m' },
  { rule: 'M7 no unnamed metric among several', body: exp({ metrics: [{ name: 'm' }, { strategy: 'store' }] }), message: 'Multimetric experiments do not support unnamed metrics' },
  { rule: 'M8 no threshold on store', body: exp({ metrics: [{ name: 'm' }, { name: 's', strategy: 'store', threshold: 1 }] }), message: 'Thresholds cannot be specified on stored metrics' },
  { rule: 'M9 constraint needs threshold', body: exp({ metrics: [{ name: 'm' }, { name: 'c', strategy: 'constraint' }], observation_budget: 5 }), message: 'Constraint metrics must have the threshold field defined' },
  {
    rule: 'M10 threshold on a single optimized metric',
    body: exp({ metrics: [{ name: 'm', threshold: 1 }] }),
    message: 'Thresholds are only supported for experiments with more than one optimized metric. Try an All-Constraint experiment instead by setting `strategy` to `constraint`.',
  },
  { rule: 'M11 budget with 2 optimized', body: exp({ metrics: named(2) }), message: 'observation_budget is required for an experiment with more than one optimized metric' },
  { rule: 'M12 budget with constraint metrics', body: exp({ metrics: [{ name: 'm' }, { name: 'c', strategy: 'constraint', threshold: 0 }] }), message: 'observation_budget is required for an experiment with constraint metrics' },
  { rule: 'metric objective enum', body: exp({ metrics: [{ name: 'm', objective: 'up' }] }), message: /^(up is not one of the allowed values: maximize, minimize|Unrecognized objective type: up)/ },
  { rule: 'metric strategy enum', body: exp({ metrics: [{ name: 'm', strategy: 'ignore' }] }), message: /^(ignore is not one of the allowed values: optimize, store, constraint|Unrecognized strategy: ignore)/ },
  { rule: 'metric unknown key', body: exp({ metrics: [{ name: 'm', goal: 1 }] }), message: prefix('Unknown json keys `goal` in: ') },
  // docs/api-compatibility.md#conditional-rules
  { rule: 'C1 ≥ 2 values', body: conditional([double('p', 0, 1, { conditions: { k: 'a' } })], [{ name: 'k', values: ['a'] }]), message: 'Conditional k must have at least 2 values' },
  {
    rule: 'C2 unique conditional names',
    body: conditional([double('p', 0, 1, { conditions: { k: 'a' } }), double('q', 0, 1, { conditions: { k: 'b' } })], [
      { name: 'k', values: ['a', 'b'] },
      { name: 'k', values: ['a', 'b'] },
    ]),
    message: 'Duplicate conditional name k',
  },
  {
    rule: 'C2 unique values',
    body: conditional([double('p', 0, 1, { conditions: { k: 'a' } })], [{ name: 'k', values: ['a', 'a', 'b'] }]),
    message: 'Duplicate conditional value a for conditional named k',
  },
  {
    rule: 'C3 existing conditional',
    body: conditional([double('p', 0, 1, { conditions: { k: 'a' } }), double('q', 0, 1, { conditions: { zz: 'b' } })]),
    message: 'Parameter q attempted to use non-existent conditional zz',
  },
  {
    rule: 'C4 existing value',
    body: conditional([double('p', 0, 1, { conditions: { k: 'a' } }), double('q', 0, 1, { conditions: { k: 'c' } })]),
    message: 'Conditional k on parameter q attempted to use non-existent value c',
  },
  {
    rule: 'C5 ≥ 1 value in a condition',
    body: conditional([double('p', 0, 1, { conditions: { k: [] } }), double('q', 0, 1, { conditions: { k: ['a', 'b'] } })]),
    message: 'When providing condition for k on parameter p, must provide at least one value',
  },
  {
    rule: 'C7 not with multisolution',
    body: conditional([double('p', 0, 1, { conditions: { k: 'a' } }), double('q', 0, 1, { conditions: { k: 'b' } })], undefined, { num_solutions: 2, observation_budget: 10 }),
    message: 'Conditional experiments cannot be run with multisolution experiments',
  },
  // docs/api-compatibility.md#linear-constraint-rules
  { rule: 'L1 ≥ 1 term', body: constrained([]), message: 'Constraint must have at least one term' },
  { rule: 'L2 ≥ 2 non-zero terms', body: constrained([{ name: 'x', weight: 1 }, { name: 'y', weight: 0 }]), message: 'Constraints should affect at least two parameters' },
  { rule: 'L3 known parameter', body: constrained([{ name: 'n', weight: 1 }, { name: 'zz', weight: 1 }], [int('n'), int('m')]), message: 'Variable zz is not a known parameter' },
  {
    rule: 'L4 numeric parameter',
    body: constrained([{ name: 'n', weight: 1 }, { name: 'c', weight: 1 }], [int('n'), categorical('c')]),
    message: 'Variable c is not a parameter of type `double` or type `int`',
  },
  {
    rule: 'L5 not conditioned',
    body: {
      name: 'rules',
      conditionals: [{ name: 'k', values: ['a', 'b'] }],
      parameters: [double('x'), double('y', 0, 1, { conditions: { k: 'a' } }), double('z', 0, 1, { conditions: { k: 'b' } })],
      linear_constraints: [{ type: 'less_than', threshold: 1, terms: [{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }] }],
    },
    message: 'Constraint cannot be defined on a conditioned parameter y',
  },
  {
    rule: 'L5 not log',
    body: constrained([{ name: 'x', weight: 1 }, { name: 'l', weight: 1 }], [double('x'), double('l', 0.1, 1, { transformation: 'log' })]),
    message: 'Constraint cannot be defined on a log-transformed parameter l',
  },
  {
    rule: 'L5 not grid',
    body: constrained([{ name: 'x', weight: 1 }, { name: 'g', weight: 1 }], [double('x'), { name: 'g', type: 'double', grid: [0.1, 0.2] }]),
    message: 'Constraint cannot be defined on a grid parameter g',
  },
  { rule: 'L6 no duplicate variable', body: constrained([{ name: 'x', weight: 1 }, { name: 'x', weight: 2 }]), message: 'Duplicate variable name: x' },
  {
    rule: 'L7 no int/double mix',
    body: constrained([{ name: 'x', weight: 1 }, { name: 'n', weight: 1 }], [double('x'), int('n')]),
    message: 'Constraint functions cannot mix integers and doubles. One or the other only.',
  },
  {
    rule: 'L8 ≤ 10 int constraint variables',
    body: constrained(
      Array.from({ length: 11 }, (_, i) => ({ name: `n${i}`, weight: 1 })),
      Array.from({ length: 11 }, (_, i) => int(`n${i}`)),
      { threshold: 100 },
    ),
    message: 'SigOpt allows no more than 10 integer constraint variables',
  },
  { rule: 'L9 feasible region non-empty', body: { ...constrained([{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }]), linear_constraints: [{ type: 'greater_than', threshold: 3, terms: [{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }] }] }, message: 'Infeasible constraints or empty set' },
  { rule: 'constraint type enum', body: constrained([{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }], params, { type: 'equal' }), message: prefix('equal is not one of the allowed values') },
  // docs/api-compatibility.md#task-rules
  { rule: 'T1 ≥ 2 tasks', body: tasks([{ name: 'a', cost: 1 }]), message: 'For multitask experiments, at least 2 tasks must be present.' },
  { rule: 'T2 cost in (0, 1]', body: tasks([{ name: 'a', cost: 1 }, { name: 'b', cost: 0 }]), message: 'For multitask experiments, costs must all be positive and less than or equal to 1.' },
  { rule: 'T2 cost ≤ 1', body: tasks([{ name: 'a', cost: 1 }, { name: 'b', cost: 1.5 }]), message: 'For multitask experiments, costs must all be positive and less than or equal to 1.' },
  { rule: 'T3 one cost == 1', body: tasks([{ name: 'a', cost: 0.5 }, { name: 'b', cost: 0.2 }]), message: 'For multitask experiments, exactly one task must have cost == 1 (none present).' },
  { rule: 'T4 distinct costs', body: tasks([{ name: 'a', cost: 1 }, { name: 'b', cost: 0.5 }, { name: 'c', cost: 0.5 }]), message: 'For multitask experiments, all task costs must be distinct.' },
  { rule: 'T4 distinct names', body: tasks([{ name: 'a', cost: 1 }, { name: 'a', cost: 0.5 }]), message: 'For multitask experiments, all task names must be distinct.' },
  { rule: 'T5 budget required', body: exp({ tasks: [{ name: 'a', cost: 1 }, { name: 'b', cost: 0.5 }] }), message: 'observation_budget is required for an experiment with tasks (multitask)' },
  { rule: 'T6 not with 2 optimized metrics', body: tasks([{ name: 'a', cost: 1 }, { name: 'b', cost: 0.5 }], { metrics: named(2) }), message: 'Experiments cannot have both tasks and multiple optimized metrics' },
  {
    rule: 'T6 not with constraint metrics',
    body: tasks([{ name: 'a', cost: 1 }, { name: 'b', cost: 0.5 }], { metrics: [{ name: 'm' }, { name: 'c', strategy: 'constraint', threshold: 1 }] }),
    message: 'Experiments cannot have both tasks and constraint metrics',
  },
  { rule: 'T6 not multisolution', body: tasks([{ name: 'a', cost: 1 }, { name: 'b', cost: 0.5 }], { num_solutions: 2 }), message: 'Multisolution Experiment cannot be multitask' },
  // docs/api-compatibility.md#multisolution-rules
  { rule: 'S1 budget required', body: exp({ num_solutions: 2 }), message: 'observation_budget is required for an experiment with more than one solution' },
  { rule: 'S2 budget ≥ num_solutions', body: exp({ num_solutions: 5, observation_budget: 3 }), message: 'Observation budget needs to be larger than the number of solutions' },
  { rule: 'S3 exactly one optimized metric', body: exp({ num_solutions: 2, observation_budget: 10, metrics: named(2) }), message: 'Multisolution experiments require exactly one optimized metric' },
  // docs/api-compatibility.md#metadata-rules on experiments
  { rule: 'D1 metadata object or null', body: minimalExperiment({ metadata: [1] }), message: /^Invalid type for \.?metadata: \[1\] - expected type / },
  { rule: 'D2 ≤ 100 keys', body: minimalExperiment({ metadata: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])) }), message: prefix('Expected at most 100 keys in ') },
  { rule: 'D3 key length < 100', body: minimalExperiment({ metadata: { ['k'.repeat(101)]: 1 } }), message: "The length of the metadata key 'kkkkkkkkkk...kkkkkkkkkk' must be less than 100" },
  { rule: 'D4 no booleans', body: minimalExperiment({ metadata: { k: true } }), message: /^Invalid type for \.k: true - expected type / },
  { rule: 'D4 no arrays', body: minimalExperiment({ metadata: { k: [1] } }), message: /^Invalid type for \.k: \[1\] - expected type / },
  { rule: 'D4 no objects', body: minimalExperiment({ metadata: { k: { a: 1 } } }), message: /^Invalid type for \.k: / },
  { rule: 'D4 string ≤ 500', body: minimalExperiment({ metadata: { k: 'v'.repeat(501) } }), message: 'The length of .k must be less than or equal to 500' },
  { rule: 'project must exist', body: minimalExperiment({ project: 'no-such-project' }), message: 'Could not assign to project `no-such-project`, the project does not exist.' },
];

describe.each(httpBackends())('experiment spec rules on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  test.skipIf(skip).each(ROWS)('$rule', async ({ body, message }) => {
    expectError(await ctx.api.request('POST', '/v1/experiments', body), 400, message);
  });

  test.skipIf(skip)('valid shapes: string metrics, store metrics, thresholds, constraints, tasks, conditionals', async () => {
    const multi = ok(
      await ctx.api.request('POST', '/v1/experiments', exp({
        metrics: ['b', { name: 'a', objective: 'minimize', threshold: 2 }, { name: 's', strategy: 'store' }, { name: 'c', strategy: 'constraint', threshold: 0.5, objective: 'minimize', object: 'metric' }],
        observation_budget: 20,
      })),
    );
    expect(multi.metrics).toEqual([
      { object: 'metric', name: 'a', objective: 'minimize', strategy: 'optimize', threshold: 2 },
      { object: 'metric', name: 'b', objective: 'maximize', strategy: 'optimize', threshold: null },
      { object: 'metric', name: 'c', objective: 'minimize', strategy: 'constraint', threshold: 0.5 },
      { object: 'metric', name: 's', objective: 'maximize', strategy: 'store', threshold: null },
    ]);
    const lc = ok(
      await ctx.api.request('POST', '/v1/experiments', {
        ...constrained([{ name: 'y', weight: 2 }, { name: 'x', weight: 1 }, { name: 'z', weight: 0 }], [double('x'), double('y'), double('z')]),
      }),
    );
    // L2: zero-weight terms dropped; terms sorted by name.
    expect(lc.linear_constraints).toEqual([
      {
        object: 'linear_constraint',
        type: 'less_than',
        threshold: 1,
        terms: [
          { object: 'constraint_term', name: 'x', weight: 1 },
          { object: 'constraint_term', name: 'y', weight: 2 },
        ],
      },
    ]);
    const mt = ok(await ctx.api.request('POST', '/v1/experiments', tasks([{ name: 'cheap', cost: 0.1 }, { name: 'full', cost: 1 }, { name: 'mid', cost: 0.5 }])));
    expect(mt.tasks).toEqual([
      { object: 'task', name: 'full', cost: 1 },
      { object: 'task', name: 'mid', cost: 0.5 },
      { object: 'task', name: 'cheap', cost: 0.1 },
    ]);
    const cond = ok(
      await ctx.api.request('POST', '/v1/experiments', conditional([double('p', 0, 1, { conditions: { k: 'a' } }), double('q', 0, 1, { conditions: { k: ['a', 'b'] } }), double('r')], [{ name: 'k', values: ['b', 'a'] }])),
    );
    expect(cond.conditionals).toEqual([{ object: 'conditional', name: 'k', values: ['b', 'a'] }]);
    const byName = Object.fromEntries(cond.parameters.map((p: any) => [p.name, p]));
    expect(byName.p.conditions).toEqual({ k: ['a'] });
    expect(byName.q.conditions).toEqual({ k: ['a', 'b'] });
    expect(byName.r.conditions).toEqual({});
    const ms = ok(await ctx.api.request('POST', '/v1/experiments', exp({ num_solutions: 2, observation_budget: 10 })));
    expect(ms.num_solutions).toBe(2);
    expect(ms.observation_budget).toBe(10);
  });

  test.skipIf(skip)('D5 metadata null values are dropped; integer-valued numbers render as integers', async () => {
    const e = ok(await ctx.api.request('POST', '/v1/experiments', minimalExperiment({ metadata: { a: null, b: 1.0, c: 'x', d: 2.5 } })));
    expect(e.metadata).toEqual({ b: 1, c: 'x', d: 2.5 });
    const empty = ok(await ctx.api.request('POST', '/v1/experiments', minimalExperiment({ metadata: null })));
    expect(empty.metadata).toBeNull();
  });
});
