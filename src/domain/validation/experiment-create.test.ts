import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { validateExperimentCreate } from './experiment-create.ts';
import { anyJson, messageOf, onlyBadRequest } from '../../../test/support/kits/validation-helpers.ts';

type Body = Record<string, unknown>;
const opts = { maxOptimizedMetrics: 2 };
const dbl = (name: string, extra: Body = {}): Body => ({ name, type: 'double', bounds: { min: 0, max: 1 }, ...extra });
const int = (name: string, extra: Body = {}): Body => ({ name, type: 'int', bounds: { min: 1, max: 10 }, ...extra });
const cat = (name: string, extra: Body = {}): Body => ({ name, type: 'categorical', categorical_values: ['a', 'b'], ...extra });
const base = (extra: Body = {}): Body => ({ name: 'exp', parameters: [dbl('x')], ...extra });
const create = (body: Body) => validateExperimentCreate(body, opts);
const err = (body: Body): string => messageOf(() => create(body));

describe('validateExperimentCreate: normalization', () => {
  test('defaults: offline, one unnamed maximize/optimize metric, empty conditionals', () => {
    const r = create(base({ name: '  my exp ' }));
    expect(r.name).toBe('my exp');
    expect(r.spec.type).toBe('offline');
    expect(r.spec.metrics).toEqual([{ name: null, objective: 'maximize', strategy: 'optimize', threshold: null }]);
    expect(r.spec.conditionals).toEqual([]);
    expect(r.spec.linearConstraints).toEqual([]);
    expect(r.spec.tasks).toBeNull();
    expect(r).toMatchObject({ metadata: null, project: null, runsOnly: false });
  });

  test('sorting, enum indexes, transformation none → null, string metrics', () => {
    const r = create({
      name: 'e',
      parameters: [dbl('z', { transformation: 'none' }), cat('a', { categorical_values: ['q', { name: 'p' }] }), int('m')],
      metrics: ['beta', { name: 'alpha', objective: 'minimize' }],
      observation_budget: 10,
    });
    expect(r.spec.parameters.map((p) => p.name)).toEqual(['a', 'm', 'z']);
    expect(r.spec.parameters[0]?.categoricalValues).toEqual([
      { name: 'q', enumIndex: 1, deleted: false },
      { name: 'p', enumIndex: 2, deleted: false },
    ]);
    expect(r.spec.parameters[2]?.transformation).toBeNull();
    expect(r.spec.metrics.map((m) => [m.name, m.objective])).toEqual([['alpha', 'minimize'], ['beta', 'maximize']]);
  });

  test('grid experiment: grid sorted, bounds from grid, budget = product of grid sizes', () => {
    const r = create({
      name: 'g',
      type: 'grid',
      parameters: [{ name: 'x', type: 'double', grid: [3, 1, 2] }, cat('c', { categorical_values: ['a', 'b', 'c', 'd'] })],
    });
    const x = r.spec.parameters.find((p) => p.name === 'x');
    expect(x?.grid).toEqual([1, 2, 3]);
    expect(x?.bounds).toEqual({ min: 1, max: 3 });
    expect(r.spec.observationBudget).toBe(12);
  });

  test('constraint terms sorted with zero weights dropped; integer-valued floats accepted', () => {
    const r = create(
      base({
        parameters: [dbl('b'), dbl('a'), dbl('c')],
        linear_constraints: [{ type: 'less_than', terms: [{ name: 'c', weight: 1 }, { name: 'b', weight: 0 }, { name: 'a', weight: 2 }], threshold: 2 }],
        observation_budget: 5.0,
      }),
    );
    expect(r.spec.linearConstraints[0]?.terms).toEqual([{ name: 'a', weight: 2 }, { name: 'c', weight: 1 }]);
    expect(r.spec.observationBudget).toBe(5);
  });

  test('conditions, priors, default values, precision, metadata, tasks', () => {
    const r = create({
      name: 'e',
      conditionals: [{ name: 'k', values: ['1', '2'] }],
      parameters: [
        dbl('x', { conditions: { k: '1' }, prior: { name: 'normal', mean: 0.5, scale: 0.1 }, default_value: 0.2, precision: 3 }),
        dbl('y', { conditions: { k: ['2'] }, prior: { name: 'beta', shape_a: 1, shape_b: 2 } }),
      ],
      tasks: [{ name: 'cheap', cost: 0.1 }, { name: 'full', cost: 1 }],
      observation_budget: 10,
      metadata: { a: 1, b: null },
      project: 'proj-1',
    });
    expect(r.spec.parameters[0]).toMatchObject({ conditions: { k: ['1'] }, prior: { name: 'normal', mean: 0.5, scale: 0.1 }, defaultValue: 0.2, precision: 3 });
    expect(r.spec.parameters[1]?.prior).toEqual({ name: 'beta', shapeA: 1, shapeB: 2 });
    expect(r.spec.tasks).toEqual([{ name: 'cheap', cost: 0.1 }, { name: 'full', cost: 1 }]);
    expect(r.metadata).toEqual({ a: 1 });
    expect(r.project).toBe('proj-1');
  });

  test('X1: more optimized metrics when configured', () => {
    const metrics = ['a', 'b', 'c'];
    expect(err({ ...base({ metrics, observation_budget: 5 }) })).toBe('Experiments must have at most 2 optimized metrics');
    expect(validateExperimentCreate(base({ metrics, observation_budget: 5 }), { maxOptimizedMetrics: 3 }).spec.metrics).toHaveLength(3);
  });
});

// The rules below: docs/api-compatibility.md#validation-rules, one describe per section.
describe('validateExperimentCreate: experiment rules', () => {
  test.each<[string, Body, string]>([
    ['E1 name required', { parameters: [dbl('x')] }, 'Missing required json key "name" in: {"parameters":[{"name":"x","type":"double","bounds":{"min":0,"max":1}}]}'],
    ['E2 name too long', base({ name: 'n'.repeat(101) }), 'The length of .name must be less than or equal to 100'],
    ['E2 name empty', base({ name: '' }), 'The length of .name must be greater than or equal to 1'],
    ['E2 name blank', base({ name: '   ' }), 'Experiment names cannot be empty'],
    ['E2 parameter name too long', base({ parameters: [dbl('p'.repeat(101))] }), 'The length of .parameters[0].name must be less than or equal to 100'],
    ['E2 parameter name blank', base({ parameters: [dbl(' ')] }), 'Parameter names cannot be empty'],
    ['E2 control characters', base({ name: 'a\u0001' }), 'Invalid name: a\u0001'],
    ['E3 unknown key', base({ foo: 1, bar: 2 }), 'Unknown json keys `foo`, `bar` in: {"name":"exp","parameters":[{"name":"x","type":"double","bounds":{"min":0,"max":1}}],"foo":1,"bar":2}'],
    ['E4 budget', base({ budget: 10 }), 'budget is not a valid field.'],
    ['E5 type', base({ type: 'bayes' }), 'bayes is not one of the allowed values: offline, random, grid'],
    ['E6 no parameters', base({ parameters: [] }), 'Experiments must have at least one parameter.'],
    ['E6 parameters absent', { name: 'e' }, 'Experiments must have at least one parameter.'],
    ['E7 duplicate parameter', base({ parameters: [dbl('x'), dbl('x')] }), 'Duplicate parameter name: x'],
    ['E8 parameter = conditional', base({ parameters: [dbl('k')], conditionals: [{ name: 'k', values: ['a', 'b'] }] }), 'Cannot have parameter and conditional both named k'],
    ['E9 parameter type', base({ parameters: [{ name: 'x', type: 'float' }] }), "Invalid param_type: float must be one of ['double', 'int', 'categorical']"],
    ['E11 budget positive', base({ observation_budget: -1 }), 'Invalid type for observation_budget: -1 - expected type positive_integer'],
    ['E11 num_solutions positive', base({ num_solutions: 0 }), 'Invalid type for num_solutions: 0 - expected type positive_integer'],
    ['E11 bandwidth positive', base({ parallel_bandwidth: -2 }), 'Invalid type for parallel_bandwidth: -2 - expected type positive_integer'],
    ['schema: budget not an integer', base({ observation_budget: 1.5 }), "Invalid type for .observation_budget: 1.5 - expected type ['integer', 'null']"],
    ['schema: parameters null', base({ parameters: null }), 'Invalid type for .parameters: null - expected type array'],
    ['schema: boolean is not a number', base({ parallel_bandwidth: true }), "Invalid type for .parallel_bandwidth: true - expected type ['integer', 'null']"],
  ])('%s', (_, body, message) => {
    expect(err(body)).toBe(message);
  });

  test('E10 unknown keys inside parameters are ignored', () => {
    expect(create(base({ parameters: [dbl('x', { object: 'parameter', tunable: true })] })).spec.parameters).toHaveLength(1);
  });

  test('the shallowest schema error wins: missing name over unknown key over nested problems', () => {
    expect(err({ parameters: [{}], foo: 1 })).toMatch(/^Missing required json key "name"/);
    expect(err({ name: 'e', foo: 1, parameters: [{}] })).toMatch(/^Unknown json keys `foo`/);
    expect(err({ name: 'e', type: 3, parameters: [{}] })).toBe("Invalid type for .type: 3 - expected type ['string', 'null']");
  });
});

describe('validateExperimentCreate: parameters', () => {
  test.each<[string, Body, string]>([
    ['P1 bounds required', { name: 'x', type: 'double' }, 'Parameter x must have `bounds`'],
    ['P1 empty bounds object', { name: 'x', type: 'int', bounds: {} }, 'Parameter x must have `bounds`'],
    ['P2 categorical bounds', cat('c', { bounds: { min: 0, max: 1 } }), 'Categorical parameter c cannot have `bounds`'],
    ['P3 int bounds', { name: 'x', type: 'int', bounds: { min: 1.5, max: 3 } }, 'Invalid type for min: 1.5 - expected type integer'],
    ['P3 double bounds', { name: 'x', type: 'double', bounds: { min: 'a', max: 3 } }, 'Invalid type for min: "a" - expected type number'],
    ['P3 missing max', { name: 'x', type: 'double', bounds: { min: 1 } }, 'Missing required json key "max" in: {"min":1}'],
    ['P4 max < min', dbl('x', { bounds: { min: 2, max: 1 } }), 'Invalid bounds: max must be greater than min'],
    ['P6 transformation', dbl('x', { transformation: 'exp' }), "Invalid parameter transformation: exp must be one of ['none', 'log']"],
    ['P7 transformation on int', int('x', { transformation: 'log' }), 'Transformation is only valid for parameters of type `double`'],
    ['P8 log bounds', dbl('x', { transformation: 'log' }), 'Invalid bounds for log-transformation: bounds must be positive'],
    ['P9 values on numeric', dbl('x', { categorical_values: ['a'] }), 'Numerical parameter x cannot have `categorical_values`'],
    ['P10 no values', cat('c', { categorical_values: [] }), 'No categorical values provided for categorical parameter c'],
    ['P10 values missing', { name: 'c', type: 'categorical' }, 'Missing required json key "categorical_values" in: {"name":"c","type":"categorical"}'],
    ['P11 one value', cat('c', { categorical_values: ['a'] }), 'Categorical parameter c should have at least 2 categorical values.'],
    ['P12 duplicate value', cat('c', { categorical_values: ['a', { name: 'a' }] }), 'Duplicate categorical value name: a'],
    ['P13 long value', cat('c', { categorical_values: ['a', 'v'.repeat(51)] }), 'Categorical names must be less than 50 characters'],
    ['P14 default out of bounds', dbl('x', { default_value: 2 }), '`default_value` for parameter x is invalid - must be between 0.0 and 1.0'],
    ['P14 default category', cat('c', { default_value: 'z' }), '`default_value` for parameter c is invalid - must be a valid categorical value.'],
    ['P14 default grid', { name: 'x', type: 'int', grid: [1, 2], default_value: 3 }, '`default_value` for parameter x is invalid - must be a valid grid value.'],
    ['P14 default int type', int('x', { default_value: 2.5 }), 'Invalid type for x: 2.5 - expected type integer'],
    ['P15 log default', dbl('x', { transformation: 'log', bounds: { min: 1, max: 2 }, default_value: -1 }), 'Invalid default_value for log-transformation: default_value must be positive'],
    ['X2 precision range', dbl('x', { precision: 16 }), 'Invalid precision for parameter x: must be an integer between 1 and 15'],
    ['X2 precision on int', int('x', { precision: 3 }), 'precision is only valid for parameters of type `double`'],
  ])('%s', (_, param, message) => {
    expect(err(base({ parameters: [param] }))).toBe(message);
  });

  test('P5 minimum bounds length', () => {
    const m = err(base({ parameters: [dbl('x', { bounds: { min: 1, max: 1 } })] }));
    expect(m.startsWith('Invalid bounds: ')).toBe(true);
    expect(m.endsWith('does not exceed min length: 1e-08')).toBe(true);
  });

  test('P11/P16 no maximum on categorical values or parameters', () => {
    const values = Array.from({ length: 500 }, (_, i) => `v${i}`);
    const params = Array.from({ length: 300 }, (_, i) => dbl(`p${i}`));
    expect(create(base({ parameters: [cat('c', { categorical_values: values }), ...params] })).spec.parameters).toHaveLength(301);
  });
});

describe('validateExperimentCreate: grid, priors', () => {
  const g = 'grid` provided for parameter x is invalid. ';
  test.each<[string, Body, string]>([
    ['G1 categorical grid', cat('x', { grid: [1, 2] }), `\`${g}Categorical parameters cannot have a grid specified. \`categorical_values\` will be used as a grid.`],
    ['G2 empty grid', dbl('x', { grid: [] }), `\`${g}Cannot be an empty list.`],
    ['G3 duplicates', { name: 'x', type: 'double', grid: [1, 1, 2] }, `\`${g}Cannot have duplicate values in grid.`],
    ['G6 prior on grid', { name: 'x', type: 'double', grid: [1, 2], prior: { name: 'normal', mean: 1, scale: 1 } }, `\`${g}Grid parameters cannot have priors.`],
    ['G7 int grid', { name: 'x', type: 'int', grid: [1, 2.5] }, 'Invalid type for grid: [1,2.5] - expected type array[integer]'],
    ['G8 grid with bounds', dbl('x', { grid: [1, 2] }), 'Parameters with grid cannot have bounds on parameters. They are inferred from the supplied grid.'],
    ['R1 prior on int', int('x', { prior: { name: 'normal', mean: 1, scale: 1 } }), 'Currently only continuous parameters can have `prior`'],
    ['R2 prior with log', dbl('x', { transformation: 'log', bounds: { min: 1, max: 2 }, prior: { name: 'beta', shape_a: 1, shape_b: 1 } }), 'Currently, parameters with a log transformation cannot have priors'],
    ['R3 prior name', dbl('x', { prior: { name: 'gamma' } }), "Invalid prior type: gamma must be one of ['normal', 'beta']."],
    ['R4 mean in bounds', dbl('x', { prior: { name: 'normal', mean: 5, scale: 1 } }), '`mean` must be within the bounds of the parameter.'],
    ['R5 scale positive', dbl('x', { prior: { name: 'normal', mean: 0.5, scale: 0 } }), '`scale` must be positive.'],
    ['R6 beta shapes', dbl('x', { prior: { name: 'beta', shape_a: 1, shape_b: -1 } }), 'shape parameters for beta must be positive.'],
  ])('%s', (_, param, message) => {
    expect(err(base({ parameters: [param] }))).toBe(message);
  });

  test('G2, G4, G5 are reported before bounds are derived from the grid (else they could never be seen)', () => {
    expect(err(base({ parameters: [{ name: 'x', type: 'double', grid: [1] }] }))).toBe(`\`${g}Must have 2 or more values in grid`);
    expect(err(base({ parameters: [{ name: 'x', type: 'double', grid: [] }] }))).toBe(`\`${g}Cannot be an empty list.`);
    expect(err(base({ parameters: [{ name: 'x', type: 'double', grid: [0, 1], transformation: 'log' }] }))).toBe(
      `\`${g}Values must be greater than zero when transformation log is specified`,
    );
  });

  test('G2 in grid experiments every numeric parameter needs a grid', () => {
    expect(err(base({ type: 'grid' }))).toBe('`grid` provided for parameter x is invalid. Cannot be an empty list.');
  });

  test('G9 budget must match the grid', () => {
    expect(err({ name: 'e', type: 'grid', parameters: [{ name: 'x', type: 'int', grid: [1, 2, 3] }], observation_budget: 4 })).toBe(
      'The specified `observation_budget` of 4 does not match the computed budget of 3',
    );
  });

  test('G10 no conditionals in grid experiments', () => {
    const body = { name: 'e', type: 'grid', parameters: [{ name: 'x', type: 'int', grid: [1, 2], conditions: { k: 'a' } }], conditionals: [{ name: 'k', values: ['a', 'b'] }] };
    expect(err(body)).toBe('Grid search experiments do not support conditional parameters currently.');
  });
});

describe('validateExperimentCreate: metrics', () => {
  const named = (name: string, extra: Body = {}): Body => ({ name, ...extra });
  test.each<[string, Body, string]>([
    ['M1 empty list', base({ metrics: [] }), 'The `metrics` list must contain a metric'],
    ['M2 > 50', base({ metrics: Array.from({ length: 51 }, (_, i) => named(`m${i}`, { strategy: 'store' })) }), 'Cannot have more then 50 metrics'],
    ['M3 > 2 optimized', base({ metrics: ['a', 'b', 'c'], observation_budget: 3 }), 'Experiments must have at most 2 optimized metrics'],
    ['M4 > 4 constraint', base({ metrics: Array.from({ length: 5 }, (_, i) => named(`c${i}`, { strategy: 'constraint', threshold: 1 })), observation_budget: 3 }), 'Experiments must have at most 4 constraint metrics'],
    ['M5 all stored', base({ metrics: [named('s', { strategy: 'store' })] }), 'Experiments must have optimized or constraint metrics'],
    ['M6 duplicate', base({ metrics: ['a', named('a')], observation_budget: 3 }), 'Duplicate metric name: a'],
    ['M7 unnamed in multimetric', base({ metrics: [{}, named('a')], observation_budget: 3 }), 'Multimetric experiments do not support unnamed metrics'],
    ['M8 threshold on store', base({ metrics: ['a', named('s', { strategy: 'store', threshold: 1 })] }), 'Thresholds cannot be specified on stored metrics'],
    ['M9 constraint without threshold', base({ metrics: ['a', named('c', { strategy: 'constraint' })], observation_budget: 3 }), 'Constraint metrics must have the threshold field defined'],
    ['M10 threshold on single optimized', base({ metrics: [named('a', { threshold: 1 })] }), 'Thresholds are only supported for experiments with more than one optimized metric. Try an All-Constraint experiment instead by setting `strategy` to `constraint`.'],
    ['M11 budget with 2 optimized', base({ metrics: ['a', 'b'] }), 'observation_budget is required for an experiment with more than one optimized metric'],
    ['M12 budget with constraints', base({ metrics: ['a', named('c', { strategy: 'constraint', threshold: 1 })] }), 'observation_budget is required for an experiment with constraint metrics'],
    ['metric unknown key', base({ metrics: [named('a', { goal: 1 })] }), 'Unknown json keys `goal` in: {"name":"a","goal":1}'],
    ['objective enum', base({ metrics: [named('a', { objective: 'up' })] }), 'up is not one of the allowed values: maximize, minimize'],
  ])('%s', (_, body, message) => {
    expect(err(body)).toBe(message);
  });

  test('thresholds allowed with two optimized metrics; store metrics kept', () => {
    const r = create(base({ metrics: [named('a', { threshold: 1 }), 'b', named('s', { strategy: 'store' })], observation_budget: 5 }));
    expect(r.spec.metrics.map((m) => [m.name, m.strategy, m.threshold])).toEqual([['a', 'optimize', 1], ['b', 'optimize', null], ['s', 'store', null]]);
  });
});

describe('validateExperimentCreate: conditionals', () => {
  const conds = [{ name: 'k', values: ['a', 'b'] }];
  test.each<[string, Body, string]>([
    ['C1 one value', base({ conditionals: [{ name: 'k', values: ['a'] }] }), 'Conditional k must have at least 2 values'],
    ['C2 duplicate name', base({ conditionals: [...conds, ...conds] }), 'Duplicate conditional name k'],
    ['C2 duplicate value', base({ conditionals: [{ name: 'k', values: ['a', 'a'] }] }), 'Duplicate conditional value a for conditional named k'],
    ['C3 unknown conditional', base({ parameters: [dbl('x', { conditions: { q: 'a' } })], conditionals: conds }), 'Parameter x attempted to use non-existent conditional q'],
    ['C4 unknown value', base({ parameters: [dbl('x', { conditions: { k: ['z'] } })], conditionals: conds }), 'Conditional k on parameter x attempted to use non-existent value z'],
    ['C5 no values', base({ parameters: [dbl('x', { conditions: { k: [] } })], conditionals: conds }), 'When providing condition for k on parameter x, must provide at least one value'],
    ['C7 with multisolution', base({ conditionals: conds, num_solutions: 2, observation_budget: 5 }), 'Conditional experiments cannot be run with multisolution experiments'],
    ['C schema: values must be strings', base({ conditionals: [{ name: 'k', values: ['a', 1] }] }), 'Invalid type for .conditionals[0].values[1]: 1 - expected type string'],
  ])('%s', (_, body, message) => {
    expect(err(body)).toBe(message);
  });
});

describe('validateExperimentCreate: linear constraints', () => {
  const params = [dbl('f', { bounds: { min: 0, max: 10 } }), dbl('b', { bounds: { min: -5, max: 10 } }), int('a'), cat('c'), dbl('g')];
  const lc = (terms: Body[], type = 'greater_than', threshold: unknown = 4): Body => ({ type, terms, threshold });
  const withC = (...cs: Body[]): Body => base({ parameters: params, linear_constraints: cs });
  test.each<[string, Body, string]>([
    ['L1 no terms', withC(lc([])), 'Constraint must have at least one term'],
    ['L2 one term', withC(lc([{ name: 'f', weight: 1 }])), 'Constraints should affect at least two parameters'],
    ['L2 zero weight dropped', withC(lc([{ name: 'f', weight: 1 }, { name: 'b', weight: 0 }])), 'Constraints should affect at least two parameters'],
    ['L3 unknown', withC(lc([{ name: 'W', weight: 3 }, { name: 'V', weight: 1 }])), 'Variable W is not a known parameter'],
    ['L4 categorical', withC(lc([{ name: 'c', weight: 3 }])), 'Variable c is not a parameter of type `double` or type `int`'],
    ['L6 duplicate', withC(lc([{ name: 'f', weight: 3 }, { name: 'f', weight: 4 }])), 'Duplicate variable name: f'],
    ['L7 mixed', withC(lc([{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }])), 'Constraint functions cannot mix integers and doubles. One or the other only.'],
    ['L9 infeasible', withC(lc([{ name: 'f', weight: 1 }, { name: 'b', weight: 1 }], 'greater_than', 100)), 'Infeasible constraints or empty set'],
    ['L9 no interior', withC(lc([{ name: 'f', weight: 1 }, { name: 'b', weight: 1 }], 'greater_than', 0.5), lc([{ name: 'f', weight: 1 }, { name: 'b', weight: 1 }], 'less_than', 0.5)), 'Infeasible constraints or empty set'],
    ['schema: missing threshold', withC({ type: 'greater_than', terms: [{ name: 'f', weight: 3 }] }), 'Missing required json key "threshold" in: {"type":"greater_than","terms":[{"name":"f","weight":3}]}'],
    ['schema: bad type', withC(lc([{ name: 'f', weight: 3 }], 'linear_eq')), 'linear_eq is not one of the allowed values: greater_than, less_than'],
    ['schema: missing weight', withC(lc([{ name: 'f' }])), 'Missing required json key "weight" in: {"name":"f"}'],
    ['schema: unknown key', withC({ ...lc([{ name: 'f', weight: 3 }]), lhs: 3 }), 'Unknown json keys `lhs` in: {"type":"greater_than","terms":[{"name":"f","weight":3}],"threshold":4,"lhs":3}'],
  ])('%s', (_, body, message) => {
    expect(err(body)).toBe(message);
  });

  test('L5 conditioned, log and grid parameters', () => {
    const conds = [{ name: 'k', values: ['a', 'b'] }];
    const p = (extra: Body) => base({ parameters: [dbl('x', extra), dbl('y'), dbl('z', { conditions: { k: 'b' } })], conditionals: conds, linear_constraints: [lc([{ name: 'x', weight: 1 }, { name: 'y', weight: 1 }], 'less_than', 1)] });
    expect(err(p({ conditions: { k: 'a' } }))).toBe('Constraint cannot be defined on a conditioned parameter x');
    expect(err(p({ transformation: 'log', bounds: { min: 1, max: 2 } }))).toBe('Constraint cannot be defined on a log-transformed parameter x');
    expect(err(p({ bounds: null, grid: [0, 1] }))).toBe('Constraint cannot be defined on a grid parameter x');
  });

  test('L8 at most 10 int variables', () => {
    const ints = Array.from({ length: 11 }, (_, i) => int(`x${i}`, { bounds: { min: 1, max: 50 } }));
    const body = { name: 'e', parameters: ints, linear_constraints: [lc(ints.map((p) => ({ name: p.name, weight: 1 })))] };
    expect(err(body)).toBe('SigOpt allows no more than 10 integer constraint variables');
  });
});

describe('validateExperimentCreate: tasks, multisolution', () => {
  const t = (name: string, cost: unknown): Body => ({ name, cost });
  const mt = (tasks: Body[], extra: Body = {}): Body => base({ tasks, observation_budget: 10, ...extra });
  test.each<[string, Body, string]>([
    ['T1 one task', mt([t('a', 1)]), 'For multitask experiments, at least 2 tasks must be present.'],
    ['T2 cost range', mt([t('a', 1), t('b', 0)]), 'For multitask experiments, costs must all be positive and less than or equal to 1.'],
    ['T3 no cost 1', mt([t('a', 0.5), t('b', 0.2)]), 'For multitask experiments, exactly one task must have cost == 1 (none present).'],
    ['T4 distinct costs', mt([t('a', 1), t('b', 1)]), 'For multitask experiments, all task costs must be distinct.'],
    ['T4 distinct names', mt([t('a', 1), t('a', 0.5)]), 'For multitask experiments, all task names must be distinct.'],
    ['T5 budget', mt([t('a', 1), t('b', 0.5)], { observation_budget: null }), 'observation_budget is required for an experiment with tasks (multitask)'],
    ['T6 multiple optimized', mt([t('a', 1), t('b', 0.5)], { metrics: ['x', 'y'] }), 'Experiments cannot have both tasks and multiple optimized metrics'],
    ['T6 constraint metrics', mt([t('a', 1), t('b', 0.5)], { metrics: ['x', { name: 'y', strategy: 'constraint', threshold: 1 }] }), 'Experiments cannot have both tasks and constraint metrics'],
    ['T6 multisolution', mt([t('a', 1), t('b', 0.5)], { num_solutions: 2 }), 'Multisolution Experiment cannot be multitask'],
    ['S1 budget for multisolution', base({ num_solutions: 2 }), 'observation_budget is required for an experiment with more than one solution'],
    ['S2 budget ≥ solutions', base({ num_solutions: 5, observation_budget: 3 }), 'Observation budget needs to be larger than the number of solutions'],
    ['S3 one optimized metric', base({ num_solutions: 2, observation_budget: 3, metrics: ['a', 'b'] }), 'Multisolution experiments require exactly one optimized metric'],
  ])('%s', (_, body, message) => {
    expect(err(body)).toBe(message);
  });
});

describe('validateExperimentCreate: robustness', () => {
  test('arbitrary JSON bodies only ever yield a 400', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...['name', 'parameters', 'metrics', 'type', 'conditionals', 'linear_constraints', 'tasks', 'metadata', 'observation_budget', 'num_solutions', 'project']), anyJson), (body) =>
        onlyBadRequest(() => create(body)),
      ),
      { numRuns: 500 },
    );
  });

  test('arbitrary parameter objects only ever yield a 400', () => {
    fc.assert(
      fc.property(fc.array(anyJson, { maxLength: 3 }), anyJson, (params, conds) =>
        onlyBadRequest(() => create({ name: 'e', parameters: params, conditionals: conds })),
      ),
      { numRuns: 500 },
    );
  });
});
