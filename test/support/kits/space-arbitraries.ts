/**
 * Test support for everything that consumes an {@link ExperimentSpec}: builders for hand-written
 * fixtures, a fast-check arbitrary producing specs that pass the API validation rules (docs/api-compatibility.md#validation-rules),
 * and an independent validity oracle for generated assignments. Imported by tests only.
 */
import fc from 'fast-check';
import type {
  Assignments,
  ConditionalSpec,
  ExperimentSpec,
  ExperimentType,
  LinearConstraintSpec,
  ParameterSpec,
  TaskSpec,
} from '../../../src/optimizer/experiment-spec.ts';

/** A double on [0, 1] named `name`, with `overrides` applied. */
export function makeParameter(name: string, overrides: Partial<ParameterSpec> = {}): ParameterSpec {
  return {
    name,
    type: 'double',
    bounds: { min: 0, max: 1 },
    categoricalValues: null,
    grid: null,
    prior: null,
    transformation: null,
    defaultValue: null,
    conditions: {},
    precision: null,
    deleted: false,
    ...overrides,
  };
}

/** A categorical parameter; names listed in `deleted` are marked deleted. */
export function makeCategorical(
  name: string,
  values: readonly string[],
  deleted: readonly string[] = [],
  overrides: Partial<ParameterSpec> = {},
): ParameterSpec {
  return makeParameter(name, {
    type: 'categorical',
    bounds: null,
    categoricalValues: values.map((v, i) => ({
      name: v,
      enumIndex: i + 1,
      deleted: deleted.includes(v),
    })),
    ...overrides,
  });
}

/** An offline experiment with one unnamed maximized metric; parameters get sorted by name. */
export function makeSpec(overrides: Partial<ExperimentSpec> = {}): ExperimentSpec {
  const base: ExperimentSpec = {
    type: 'offline',
    parameters: [makeParameter('x')],
    metrics: [{ name: null, objective: 'maximize', strategy: 'optimize', threshold: null }],
    conditionals: [],
    linearConstraints: [],
    tasks: null,
    observationBudget: null,
    parallelBandwidth: null,
    numSolutions: null,
    ...overrides,
  };
  const parameters = [...base.parameters].sort((a, b) => (a.name < b.name ? -1 : 1));
  return { ...base, parameters };
}

/** What {@link experimentSpecArbitrary} may put into a spec. All default to true. */
export interface SpecArbitraryOptions {
  readonly type?: ExperimentType;
  readonly maxParameters?: number;
  readonly conditionals?: boolean;
  readonly linearConstraints?: boolean;
  readonly priors?: boolean;
  readonly grids?: boolean;
  readonly deleted?: boolean;
  readonly tasks?: boolean;
}

type Kind = 'double' | 'log' | 'prior' | 'precision' | 'doubleGrid' | 'intGrid' | 'int' | 'categorical';

interface ParamRecipe {
  readonly kind: Kind;
  readonly u: readonly number[];
  readonly deleted: boolean;
  readonly masks: readonly number[];
}

interface ConstraintRecipe {
  readonly useInt: boolean;
  readonly termMask: number;
  readonly weights: readonly number[];
  readonly slack: number;
  readonly greater: boolean;
}

const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/**
 * Random experiment specs that satisfy the create-time validation rules of docs/api-compatibility.md#validation-rules: bounds and
 * grids per type, log bounds > 0, priors only on plain doubles with the normal mean in bounds,
 * categoricals with at least one active value, conditionals where every value enables a
 * parameter (C6), feasible linear constraints on eligible parameters (L2–L9, built around an
 * interior point so the feasible region has volume), optional tasks and deleted parameters.
 * Grid experiments get grid-only parameters and no conditionals (G9, G10).
 */
export function experimentSpecArbitrary(options: SpecArbitraryOptions = {}): fc.Arbitrary<ExperimentSpec> {
  const type = options.type ?? 'offline';
  const isGrid = type === 'grid';
  const kinds: Kind[] = isGrid ? ['doubleGrid', 'intGrid', 'categorical'] : ['double', 'log', 'int', 'categorical', 'precision'];
  if (!isGrid && options.priors !== false) kinds.push('prior');
  if (!isGrid && options.grids !== false) kinds.push('doubleGrid', 'intGrid');
  const maxParameters = Math.min(options.maxParameters ?? 6, 20);
  const maxConditionals = isGrid || options.conditionals === false ? 0 : 2;
  const allowDeleted = !isGrid && options.deleted !== false;
  const paramRecipe: fc.Arbitrary<ParamRecipe> = fc.record({
    kind: fc.constantFrom(...kinds),
    u: fc.array(unit, { minLength: 6, maxLength: 6 }),
    deleted: allowDeleted ? fc.integer({ min: 0, max: 7 }).map((k) => k === 0) : fc.constant(false),
    // Mostly unconditioned (mask 0), so linear constraints find eligible parameters.
    masks: fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2, 3, 5, 6), { minLength: 2, maxLength: 2 }),
  });
  const constraintRecipe: fc.Arbitrary<ConstraintRecipe> = fc.record({
    useInt: fc.boolean(),
    termMask: fc.integer({ min: 0, max: (1 << maxParameters) - 1 }),
    weights: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
      minLength: maxParameters,
      maxLength: maxParameters,
    }),
    slack: unit,
    greater: fc.boolean(),
  });
  const withConstraints = !isGrid && options.linearConstraints !== false;
  return fc
    .record({
      params: fc.array(paramRecipe, { minLength: 1, maxLength: maxParameters }),
      conditionalSizes: fc.oneof(fc.constant([]), fc.array(fc.integer({ min: 2, max: 3 }), { maxLength: maxConditionals })),
      constraints: withConstraints
        ? fc.oneof(fc.constant([]), fc.array(constraintRecipe, { minLength: 1, maxLength: 2 }))
        : fc.constant([]),
      tasks: options.tasks === false || isGrid ? fc.constant(0) : fc.constantFrom(0, 0, 2, 3),
      bandwidth: fc.constantFrom(null, 1, 3),
    })
    .map((r) => buildSpec(type, r.params, r.conditionalSizes, r.constraints, r.tasks, r.bandwidth));
}

function buildSpec(
  type: ExperimentType,
  recipes: readonly ParamRecipe[],
  conditionalSizes: readonly number[],
  constraintRecipes: readonly ConstraintRecipe[],
  taskCount: number,
  bandwidth: number | null,
): ExperimentSpec {
  const conditionals: ConditionalSpec[] = conditionalSizes.map((size, c) => ({
    name: `c${c}`,
    values: Array.from({ length: size }, (_, v) => `v${v}`),
  }));
  const names = recipes.map((_, i) => `p${String(i).padStart(2, '0')}`);
  // At least one live parameter; C6 needs live parameters to carry conditions.
  const deleted = recipes.map((r, i) => r.deleted && i > 0);
  const conditions: Record<string, string[]>[] = recipes.map((r, i) => {
    const out: Record<string, string[]> = {};
    if (deleted[i]) return out;
    conditionals.forEach((c, ci) => {
      const mask = r.masks[ci] ?? 0;
      const values = c.values.filter((_, vi) => (mask >> vi) & 1);
      if (values.length > 0 && values.length < c.values.length) out[c.name] = values;
    });
    return out;
  });
  const live = names.map((_, i) => i).filter((i) => !deleted[i]);
  conditionals.forEach((c, ci) => {
    c.values.forEach((value, vi) => {
      const enabled = live.some((i) => conditions[i]?.[c.name]?.includes(value) ?? false);
      // C6: give the value to some live parameter (this only ever widens a condition).
      const target = conditions[live[(ci + vi) % live.length] ?? 0];
      if (!enabled && target !== undefined) target[c.name] = [...(target[c.name] ?? []), value];
    });
  });
  const parameters = recipes.map((r, i) => buildParameter(names[i] ?? 'p', r, deleted[i] ?? false, conditions[i] ?? {}));
  const linearConstraints = buildConstraints(parameters, recipes, constraintRecipes);
  const costs = [1, 0.5, 0.1];
  const tasks: TaskSpec[] | null =
    taskCount === 0 ? null : Array.from({ length: taskCount }, (_, t) => ({ name: `t${t}`, cost: costs[t] ?? 1 }));
  return makeSpec({
    type,
    parameters,
    conditionals,
    linearConstraints,
    tasks,
    parallelBandwidth: bandwidth,
  });
}

function buildParameter(name: string, r: ParamRecipe, deleted: boolean, conditions: Record<string, string[]>): ParameterSpec {
  const u = (k: number): number => r.u[k] ?? 0;
  const base = { deleted, conditions };
  const lo = Math.round((u(0) - 0.5) * 200 * 100) / 100;
  const width = [1e-4, 0.5, 1, 10, 1000][Math.floor(u(1) * 5)] ?? 1;
  switch (r.kind) {
    case 'double':
      return makeParameter(name, { ...base, bounds: { min: lo, max: lo + width } });
    case 'precision':
      return makeParameter(name, {
        ...base,
        bounds: { min: lo, max: lo + width },
        precision: 1 + Math.floor(u(2) * 6),
      });
    case 'log': {
      const min = 10 ** (-4 + u(0) * 5);
      return makeParameter(name, {
        ...base,
        bounds: { min, max: min * 10 ** (0.01 + u(1) * 6) },
        transformation: 'log',
      });
    }
    case 'prior': {
      const bounds = { min: lo, max: lo + width };
      const prior =
        u(2) < 0.5
          ? ({ name: 'normal', mean: lo + u(3) * width, scale: width * 10 ** (-2 + 2.5 * u(4)) } as const)
          : ({ name: 'beta', shapeA: 0.3 + 5 * u(3), shapeB: 0.3 + 5 * u(4) } as const);
      return makeParameter(name, { ...base, bounds, prior });
    }
    case 'int': {
      const min = Math.round((u(0) - 0.5) * 100);
      return makeParameter(name, {
        ...base,
        type: 'int',
        bounds: { min, max: min + 1 + Math.floor(u(1) * 30) },
      });
    }
    case 'doubleGrid':
    case 'intGrid': {
      const isInt = r.kind === 'intGrid';
      const log = !isInt && u(3) < 0.3;
      const size = 2 + Math.floor(u(2) * 4);
      const values = new Set<number>();
      for (let k = 0; values.size < size; k++) {
        const v = isInt ? Math.round(lo) + k * (1 + Math.floor(u(1) * 3)) : lo + k * width * (1 + u(4));
        values.add(log ? Math.round(10 ** (v / 100) * 1e6) / 1e6 + k : v);
      }
      const grid = [...values].sort((a, b) => a - b);
      return makeParameter(name, {
        ...base,
        type: isInt ? 'int' : 'double',
        grid,
        bounds: { min: grid[0] ?? 0, max: grid[grid.length - 1] ?? 1 },
        transformation: log ? 'log' : null,
      });
    }
    case 'categorical': {
      const count = 2 + Math.floor(u(0) * 4);
      const values = Array.from({ length: count }, (_, k) => `k${k}`);
      const gone = values.filter((_, k) => k > 0 && u(1 + (k % 5)) < 0.2);
      return makeCategorical(name, values, gone, base);
    }
  }
}

function buildConstraints(
  parameters: readonly ParameterSpec[],
  recipes: readonly ParamRecipe[],
  constraintRecipes: readonly ConstraintRecipe[],
): LinearConstraintSpec[] {
  const eligible = (p: ParameterSpec): boolean =>
    !p.deleted && p.type !== 'categorical' && p.grid === null && p.transformation === null && Object.keys(p.conditions).length === 0;
  // One interior reference point shared by all constraints keeps their intersection non-empty.
  const reference = parameters.map((p, i) => {
    if (p.bounds === null) return 0;
    const t = 0.25 + 0.5 * (recipes[i]?.u[5] ?? 0.5);
    const x = p.bounds.min + t * (p.bounds.max - p.bounds.min);
    return p.type === 'int' ? Math.round(x) : x;
  });
  const out: LinearConstraintSpec[] = [];
  const intVariables = new Set<string>();
  for (const c of constraintRecipes) {
    const terms: { name: string; weight: number }[] = [];
    let lhs = 0;
    let scale = 0;
    // Prefer the recipe's variable type and subset; fall back so that most recipes yield a
    // constraint (L2 needs two terms).
    const ofType = (isInt: boolean) => parameters.filter((p) => eligible(p) && (p.type === 'int') === isInt);
    const useInt = ofType(c.useInt).length >= 2 ? c.useInt : !c.useInt;
    const pool = ofType(useInt);
    const chosen = pool.filter((_, k) => (c.termMask >> k) & 1);
    const members = new Set(chosen.length >= 2 ? chosen : pool);
    parameters.forEach((p, i) => {
      if (!members.has(p)) return;
      // L8: at most 10 distinct integer variables across all constraints.
      if (useInt && !intVariables.has(p.name) && intVariables.size >= 10) return;
      const raw = c.weights[i] ?? 0.5;
      const weight = Math.round(Math.sign(raw || 1) * (0.1 + 2.9 * Math.abs(raw)) * 100) / 100;
      terms.push({ name: p.name, weight });
      const bounds = p.bounds ?? { min: 0, max: 1 };
      lhs += weight * (reference[i] ?? 0);
      scale += Math.abs(weight) * Math.max(bounds.max - bounds.min, useInt ? 1 : 0);
    });
    if (terms.length < 2) continue;
    if (useInt) for (const t of terms) intVariables.add(t.name);
    // Slack from 2 % to 30 % of the spread; at least 0.1 for ints so a corner point keeps volume.
    const slack = scale * (0.02 + 0.28 * c.slack) + (useInt ? 0.1 : 0);
    out.push({
      type: c.greater ? 'greater_than' : 'less_than',
      terms,
      threshold: c.greater ? lhs - slack : lhs + slack,
    });
  }
  return out;
}

/**
 * Everything wrong with `a` as a server-generated point of `spec` (empty = valid). Independent
 * of the code under test on purpose: conditionals present and valid, exactly the active
 * parameters assigned, types, bounds, grid membership, active categorical values, `precision`
 * rounding (away from clamped bounds; not for constrained parameters, where feasibility may
 * override it), and linear constraints within a relative 1e-9.
 */
export function assignmentProblems(spec: ExperimentSpec, a: Assignments): string[] {
  const problems: string[] = [];
  const allowed = new Set<string>();
  for (const c of spec.conditionals) {
    allowed.add(c.name);
    const v = a[c.name];
    if (typeof v !== 'string' || !c.values.includes(v)) problems.push(`conditional ${c.name}=${String(v)}`);
  }
  for (const p of spec.parameters) {
    const active = !p.deleted && Object.entries(p.conditions).every(([c, vs]) => typeof a[c] === 'string' && vs.includes(a[c]));
    const v = a[p.name];
    if (!active) continue;
    allowed.add(p.name);
    if (v === undefined) {
      problems.push(`missing ${p.name}`);
      continue;
    }
    if (p.type === 'categorical') {
      const ok = p.categoricalValues?.some((c) => !c.deleted && c.name === v) ?? false;
      if (!ok) problems.push(`categorical ${p.name}=${String(v)}`);
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(`non-number ${p.name}=${String(v)}`);
      continue;
    }
    if (p.type === 'int' && !Number.isInteger(v)) problems.push(`non-integer ${p.name}=${v}`);
    if (p.grid !== null && !p.grid.includes(v)) problems.push(`off-grid ${p.name}=${v}`);
    const b = p.bounds;
    if (b !== null && (v < b.min || v > b.max)) problems.push(`out of bounds ${p.name}=${v}`);
    if (p.transformation === 'log' && v <= 0) problems.push(`non-positive log ${p.name}=${v}`);
    const atBound = b !== null && (v === b.min || v === b.max);
    // Feasibility beats precision: a constrained value may stay unrounded when no rounding of it
    // satisfies the constraints (finalizeAssignments), so precision is only checked elsewhere.
    const constrained = spec.linearConstraints.some((c) => c.terms.some((t) => t.name === p.name));
    if (p.precision !== null && !atBound && !constrained && Number(v.toPrecision(p.precision)) !== v) {
      problems.push(`precision ${p.name}=${v}`);
    }
  }
  for (const name of Object.keys(a)) if (!allowed.has(name)) problems.push(`unexpected ${name}`);
  for (const c of spec.linearConstraints) {
    let lhs = 0;
    let magnitude = Math.abs(c.threshold);
    for (const t of c.terms) {
      const v = a[t.name];
      const x = typeof v === 'number' ? v : Number.NaN;
      lhs += t.weight * x;
      magnitude += Math.abs(t.weight * x);
    }
    const tol = 1e-9 * Math.max(1, magnitude);
    const ok = c.type === 'less_than' ? lhs <= c.threshold + tol : lhs >= c.threshold - tol;
    if (!ok) problems.push(`constraint ${JSON.stringify(c)} lhs=${lhs}`);
  }
  return problems;
}
