import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { categorical, contains, double, expectError, int, minimalExperiment, ok, prefix, useServer } from '../support/conformance.ts';

/**
 * Experiment create, parameter, grid and prior rules (docs/api-compatibility.md#validation-rules): every experiment-create rule
 * (E1–E11, P1–P16, G1–G11, R1–R6) as a row of
 * {body, message}, sent through the socket with the python client's request shape. Every row is a
 * 400 and must leave no experiment behind.
 */

interface Row {
  readonly rule: string;
  readonly body: Record<string, unknown>;
  readonly message: string | RegExp;
}

const x = (extra: Record<string, unknown> = {}) => double('x', 0, 1, extra);
const withParams = (...parameters: Record<string, unknown>[]) => ({ name: 'rules', parameters });
const gridPrefix = (name: string) => `\`grid\` provided for parameter ${name} is invalid. `;
/** The original prepends `Invalid key: ` to some messages (fix F6 accepts both forms). */
const optionalInvalidKey = (text: string) => new RegExp(`^(Invalid key: )?${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const ROWS: readonly Row[] = [
  // docs/api-compatibility.md#experiment-create-rules
  { rule: 'E1 name required', body: { parameters: [x()] }, message: prefix('Missing required json key "name" in: ') },
  { rule: 'E2 name ≤ 100', body: { ...minimalExperiment(), name: 'n'.repeat(101) }, message: 'The length of .name must be less than or equal to 100' },
  { rule: 'E2 name empty after trim', body: { ...minimalExperiment(), name: '   ' }, message: 'Experiment names cannot be empty' },
  {
    rule: 'E2 parameter name ≤ 100',
    body: withParams(double('p'.repeat(101))),
    message: 'The length of .parameters[0].name must be less than or equal to 100',
  },
  { rule: 'E2 parameter name empty', body: withParams(double('  ')), message: 'Parameter names cannot be empty' },
  { rule: 'E2 metric name empty', body: minimalExperiment({ metrics: [{ name: ' ' }] }), message: 'Metric names cannot be empty' },
  { rule: 'E3 unknown top-level key', body: minimalExperiment({ foo: 1 }), message: prefix('Unknown json keys `foo` in: ') },
  { rule: 'E4 budget', body: minimalExperiment({ budget: 10 }), message: 'budget is not a valid field.' },
  { rule: 'E5 type enum', body: minimalExperiment({ type: 'bayes' }), message: prefix('bayes is not one of the allowed values: ') },
  { rule: 'E6 ≥ 1 parameter', body: withParams(), message: 'Experiments must have at least one parameter.' },
  { rule: 'E7 unique parameter names', body: withParams(x(), x()), message: 'Duplicate parameter name: x' },
  {
    rule: 'E8 parameter named like a conditional',
    body: {
      name: 'rules',
      conditionals: [{ name: 'x', values: ['a', 'b'] }],
      parameters: [x(), double('y', 0, 1, { conditions: { x: 'a' } }), double('z', 0, 1, { conditions: { x: 'b' } })],
    },
    message: 'Cannot have parameter and conditional both named x',
  },
  { rule: 'E9 parameter type', body: withParams({ name: 'x', type: 'float', bounds: { min: 0, max: 1 } }), message: "Invalid param_type: float must be one of ['double', 'int', 'categorical']" },
  { rule: 'E11 observation_budget positive', body: minimalExperiment({ observation_budget: -1 }), message: 'Invalid type for observation_budget: -1 - expected type positive_integer' },
  { rule: 'E11 observation_budget zero', body: minimalExperiment({ observation_budget: 0 }), message: 'Invalid type for observation_budget: 0 - expected type positive_integer' },
  { rule: 'E11 num_solutions positive', body: minimalExperiment({ num_solutions: 0 }), message: 'Invalid type for num_solutions: 0 - expected type positive_integer' },
  {
    rule: 'E11 parallel_bandwidth integer',
    body: minimalExperiment({ parallel_bandwidth: 1.5 }),
    // A non-integer fails the body schema (path form); a non-positive integer the handler check.
    message: /^Invalid type for \.?parallel_bandwidth: 1\.5 - expected type /,
  },
  {
    rule: 'E11 observation_budget is not a boolean',
    body: minimalExperiment({ observation_budget: true }),
    message: /^Invalid type for \.?observation_budget: true - expected type /,
  },
  // docs/api-compatibility.md#parameter-rules
  { rule: 'P1 bounds required', body: withParams({ name: 'x', type: 'double' }), message: 'Parameter x must have `bounds`' },
  { rule: 'P1 int bounds required', body: withParams({ name: 'n', type: 'int' }), message: 'Parameter n must have `bounds`' },
  { rule: 'P2 categorical without bounds', body: withParams(categorical('c', ['a', 'b'], { bounds: { min: 0, max: 1 } })), message: 'Categorical parameter c cannot have `bounds`' },
  { rule: 'P3 int bounds integer', body: withParams(int('n', 1.5, 3)), message: /^Invalid type for (\.parameters\[0\]\.bounds\.)?min: 1\.5 - expected type integer/ },
  { rule: 'P3 double bounds numbers', body: withParams({ name: 'x', type: 'double', bounds: { min: 'a', max: 1 } }), message: /^Invalid type for \S*min: "a" - expected type / },
  { rule: 'P3 booleans are not numbers', body: withParams({ name: 'x', type: 'double', bounds: { min: true, max: 2 } }), message: /^Invalid type for \S*min: true - expected type / },
  { rule: 'P4 max ≥ min', body: withParams(double('x', 1, 0)), message: 'Invalid bounds: max must be greater than min' },
  { rule: 'P5 min length', body: withParams(double('x', 0, 1e-9)), message: /^Invalid bounds: .*does not exceed min length: 1e-08$/ },
  { rule: 'P6 transformation enum', body: withParams(x({ transformation: 'sqrt' })), message: "Invalid parameter transformation: sqrt must be one of ['none', 'log']" },
  { rule: 'P7 transformation only on double', body: withParams(int('n', 1, 10, { transformation: 'log' })), message: 'Transformation is only valid for parameters of type `double`' },
  { rule: 'P8 log needs positive bounds', body: withParams(double('x', 0, 1, { transformation: 'log' })), message: 'Invalid bounds for log-transformation: bounds must be positive' },
  { rule: 'P9 categorical_values only on categorical', body: withParams(x({ categorical_values: ['a', 'b'] })), message: 'Numerical parameter x cannot have `categorical_values`' },
  { rule: 'P10 categorical has values', body: withParams({ name: 'c', type: 'categorical', categorical_values: [] }), message: 'No categorical values provided for categorical parameter c' },
  {
    rule: 'P10 categorical_values absent',
    body: withParams({ name: 'c', type: 'categorical' }),
    message: /^(No categorical values provided for categorical parameter c|Missing required json key "categorical_values" in: )/,
  },
  { rule: 'P11 ≥ 2 categorical values', body: withParams(categorical('c', ['a'])), message: 'Categorical parameter c should have at least 2 categorical values.' },
  { rule: 'P12 unique categorical values', body: withParams(categorical('c', ['a', 'a', 'b'])), message: 'Duplicate categorical value name: a' },
  { rule: 'P12 unique categorical values ({name})', body: withParams(categorical('c', [{ name: 'a' }, { name: 'a' }] as never)), message: 'Duplicate categorical value name: a' },
  { rule: 'P13 categorical value ≤ 50 chars', body: withParams(categorical('c', ['v'.repeat(51), 'b'])), message: 'Categorical names must be less than 50 characters' },
  { rule: 'P14 default_value in bounds', body: withParams(x({ default_value: 5 })), message: prefix('`default_value` for parameter x is invalid') },
  { rule: 'P14 default_value is a valid category', body: withParams(categorical('c', ['a', 'b'], { default_value: 'z' })), message: prefix('`default_value` for parameter c is invalid') },
  { rule: 'P14 default_value in the grid', body: withParams({ name: 'x', type: 'double', grid: [0.1, 0.2], default_value: 0.15 }), message: prefix('`default_value` for parameter x is invalid') },
  {
    rule: 'P15 log default_value positive',
    body: withParams(double('x', 0.001, 1, { transformation: 'log', default_value: 0 })),
    message: /^(Invalid default_value for log-transformation: default_value must be positive|`default_value` for parameter x is invalid)/,
  },
  // docs/api-compatibility.md#grid-rules
  { rule: 'G1 no grid on categorical', body: withParams(categorical('c', ['a', 'b'], { grid: [1, 2] })), message: `${gridPrefix('c')}Categorical parameters cannot have a grid specified. \`categorical_values\` will be used as a grid.` },
  { rule: 'G2 non-empty grid', body: withParams({ name: 'x', type: 'double', grid: [] }), message: `${gridPrefix('x')}Cannot be an empty list.` },
  { rule: 'G3 no duplicates', body: withParams({ name: 'x', type: 'double', grid: [1, 1, 2] }), message: `${gridPrefix('x')}Cannot have duplicate values in grid.` },
  { rule: 'G4 ≥ 2 values', body: withParams({ name: 'x', type: 'double', grid: [1] }), message: `${gridPrefix('x')}Must have 2 or more values in grid` },
  { rule: 'G5 log grid positive', body: withParams({ name: 'x', type: 'double', grid: [0, 1], transformation: 'log' }), message: `${gridPrefix('x')}Values must be greater than zero when transformation log is specified` },
  { rule: 'G6 no prior on grid', body: withParams({ name: 'x', type: 'double', grid: [0.2, 0.4], prior: { name: 'normal', mean: 0.3, scale: 0.1 } }), message: `${gridPrefix('x')}Grid parameters cannot have priors.` },
  { rule: 'G7 int grid integers', body: withParams({ name: 'n', type: 'int', grid: [1.5, 2] }), message: contains('1.5') },
  {
    rule: 'G8 no bounds next to grid',
    body: withParams({ name: 'x', type: 'double', grid: [1, 2], bounds: { min: 1, max: 2 } }),
    message: optionalInvalidKey('Parameters with grid cannot have bounds on parameters. They are inferred from the supplied grid.'),
  },
  {
    rule: 'G9 grid budget must match',
    body: { name: 'rules', type: 'grid', parameters: [{ name: 'a', type: 'int', grid: [1, 2] }, categorical('c')], observation_budget: 5 },
    message: 'The specified `observation_budget` of 5 does not match the computed budget of 4',
  },
  {
    rule: 'G10 grid experiments have no conditionals',
    body: {
      name: 'rules',
      type: 'grid',
      conditionals: [{ name: 'k', values: ['a', 'b'] }],
      parameters: [
        { name: 'p', type: 'double', grid: [1, 2], conditions: { k: 'a' } },
        { name: 'q', type: 'double', grid: [1, 2], conditions: { k: 'b' } },
      ],
    },
    message: 'Grid search experiments do not support conditional parameters currently.',
  },
  // docs/api-compatibility.md#prior-rules
  { rule: 'R1 prior only on double', body: withParams(int('n', 0, 10, { prior: { name: 'normal', mean: 5, scale: 1 } })), message: optionalInvalidKey('Currently only continuous parameters can have `prior`') },
  {
    rule: 'R2 no prior with log',
    body: withParams(double('x', 0.1, 1, { transformation: 'log', prior: { name: 'normal', mean: 0.5, scale: 0.1 } })),
    message: optionalInvalidKey('Currently, parameters with a log transformation cannot have priors'),
  },
  { rule: 'R3 prior type', body: withParams(x({ prior: { name: 'gamma' } })), message: "Invalid prior type: gamma must be one of ['normal', 'beta']." },
  { rule: 'R4 normal mean within bounds', body: withParams(x({ prior: { name: 'normal', mean: 5, scale: 1 } })), message: '`mean` must be within the bounds of the parameter.' },
  { rule: 'R5 normal scale positive', body: withParams(x({ prior: { name: 'normal', mean: 0.5, scale: 0 } })), message: '`scale` must be positive.' },
  { rule: 'R6 beta shape_a positive', body: withParams(x({ prior: { name: 'beta', shape_a: 0, shape_b: 1 } })), message: 'shape parameters for beta must be positive.' },
  { rule: 'R6 beta shape_b positive', body: withParams(x({ prior: { name: 'beta', shape_a: 1, shape_b: -2 } })), message: 'shape parameters for beta must be positive.' },
  // [Extension] X2 precision
  { rule: 'X2 precision range', body: withParams(x({ precision: 0 })), message: 'Invalid precision for parameter x: must be an integer between 1 and 15' },
  { rule: 'X2 precision integer', body: withParams(x({ precision: 2.5 })), message: 'Invalid precision for parameter x: must be an integer between 1 and 15' },
  { rule: 'X2 precision only on double', body: withParams(int('n', 0, 10, { precision: 3 })), message: 'precision is only valid for parameters of type `double`' },
];

describe.each(httpBackends())('experiment create rules on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  test.skipIf(skip).each(ROWS)('$rule', async ({ body, message }) => {
    const res = await ctx.api.request('POST', '/v1/experiments', body);
    expectError(res, 400, message);
  });

  test.skipIf(skip)('rejected creates store nothing', async () => {
    const before = ok(await ctx.api.request('GET', '/v1/experiments', { state: 'all', limit: 0 })).count;
    for (const row of ROWS.slice(0, 10)) await ctx.api.request('POST', '/v1/experiments', row.body);
    const after = ok(await ctx.api.request('GET', '/v1/experiments', { state: 'all', limit: 0 })).count;
    expect(after).toBe(before);
  });

  test.skipIf(skip)('E5 lists every allowed type', async () => {
    const res = await ctx.api.request('POST', '/v1/experiments', minimalExperiment({ type: 'bayes' }));
    expectError(res, 400, /^bayes is not one of the allowed values: /);
    for (const t of ['offline', 'random', 'grid']) expect(res.body.message).toContain(t);
  });

  test.skipIf(skip)('E2 names are trimmed; E10 unknown parameter keys are ignored and not stored (fix F3)', async () => {
    const exp = ok(
      await ctx.api.request('POST', '/v1/experiments', {
        name: '  padded  ',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 }, object: 'parameter', tunable: true, whatever: [1] }],
      }),
    );
    expect(exp.name).toBe('padded');
    expect(exp.parameters[0]).not.toHaveProperty('tunable');
    expect(exp.parameters[0]).not.toHaveProperty('whatever');
  });

  test.skipIf(skip)('E11 integer-valued floats count as integers; there is no upper bound', async () => {
    const exp = ok(await ctx.api.request('POST', '/v1/experiments', minimalExperiment({ observation_budget: 5.0, parallel_bandwidth: 1_000_000 })));
    expect(exp.observation_budget).toBe(5);
    expect(exp.parallel_bandwidth).toBe(1_000_000);
  });

  test.skipIf(skip)('P11/P16 no maximum number of categorical values or parameters', async () => {
    const values = Array.from({ length: 300 }, (_, i) => `v${i}`);
    const params = Array.from({ length: 120 }, (_, i) => double(`p${String(i).padStart(3, '0')}`));
    const exp = ok(await ctx.api.request('POST', '/v1/experiments', withParams(categorical('c', values), ...params)));
    expect(exp.parameters).toHaveLength(121);
    expect(exp.parameters[0].categorical_values).toHaveLength(300);
  });

  test.skipIf(skip)('A10-style: default values, priors, grids and precision are echoed', async () => {
    const exp = ok(
      await ctx.api.request('POST', '/v1/experiments', withParams(
        x({ default_value: 0.25, prior: { name: 'beta', shape_a: 2, shape_b: 3 }, precision: 3 }),
        double('y', 0, 1, { prior: { name: 'normal', mean: 0.5, scale: 0.2 } }),
        { name: 'g', type: 'int', grid: [4, 1, 2] },
        double('l', 0.001, 1, { transformation: 'log' }),
        double('n', 0, 1, { transformation: 'none' }),
      )),
    );
    const byName = Object.fromEntries(exp.parameters.map((p: any) => [p.name, p]));
    expect(exp.parameters.map((p: any) => p.name)).toEqual(['g', 'l', 'n', 'x', 'y']);
    expect(byName.x.default_value).toBe(0.25);
    expect(byName.x.prior).toEqual({ object: 'beta_prior', name: 'beta', shape_a: 2, shape_b: 3 });
    expect(byName.x.precision).toBe(3);
    expect(byName.y.prior).toEqual({ object: 'normal_prior', name: 'normal', mean: 0.5, scale: 0.2 });
    expect(byName.y.precision).toBeNull();
    expect(byName.g.grid).toEqual([1, 2, 4]);
    expect(byName.g.bounds).toEqual({ object: 'bounds', min: 1, max: 4 });
    expect(byName.l.transformation).toBe('log');
    expect(byName.n.transformation).toBeNull();
    expect(byName.x).not.toHaveProperty('grid');
  });
});
