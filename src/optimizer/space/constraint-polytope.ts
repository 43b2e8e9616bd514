import { solveLinearProgram } from '../../numerics/linear-program.ts';
import type { ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';

/** One half-space Σ coef_j·v_j ≤ bound over a polytope's variables. */
export interface HalfSpace {
  readonly coef: Float64Array;
  readonly bound: number;
}

/**
 * The feasible region of the linear constraints on one kind of variable (constraints never mix
 * ints and doubles, rule L7, so the int and double variables form independent polytopes).
 *
 * Kept twice: in parameter units (`rows`, for exact membership tests) and in the unit cube
 * z ∈ [0, 1]^k with x = lower + width·z (`unitRows`, for the Chebyshev centre and hit-and-run).
 * The unit cube makes the 1e-8 radius test and random directions independent of parameter
 * scales: a [0, 1e6] parameter next to a [0, 1e-3] one would otherwise make both degenerate.
 */
export interface ConstraintPolytope {
  readonly integer: boolean;
  readonly params: readonly ParameterSpec[];
  readonly lower: Float64Array;
  readonly width: Float64Array;
  readonly rows: readonly HalfSpace[];
  readonly unitRows: readonly HalfSpace[];
}

/** Chebyshev centre of a polytope in unit-cube coordinates (null when the region is empty). */
export interface ChebyshevCentre {
  readonly centre: Float64Array;
  readonly radius: number;
}

/**
 * The constraint polytopes of `spec`: at most one over double variables and one over int
 * variables, each over the parameters its constraints mention (in name order). `greater_than`
 * constraints are negated into ≤ form. Throws if a term names a missing, deleted or non-numeric
 * parameter, which validation (L3, L4) rules out.
 */
export function constraintPolytopes(spec: ExperimentSpec): ConstraintPolytope[] {
  const byName = new Map(spec.parameters.map((p) => [p.name, p]));
  const groups = new Map<boolean, { params: ParameterSpec[]; constraints: typeof spec.linearConstraints[number][] }>();
  for (const c of spec.linearConstraints) {
    const first = c.terms[0];
    if (first === undefined) continue;
    const integer = byName.get(first.name)?.type === 'int';
    const group = groups.get(integer) ?? { params: [], constraints: [] };
    groups.set(integer, group);
    group.constraints.push(c);
    for (const t of c.terms) {
      const p = byName.get(t.name);
      if (p === undefined || p.deleted || p.type === 'categorical' || p.bounds === null) {
        throw new Error(`linear constraint on unusable parameter ${t.name}`);
      }
      if (!group.params.includes(p)) group.params.push(p);
    }
  }
  const out: ConstraintPolytope[] = [];
  for (const [integer, group] of [...groups.entries()].sort(([a], [b]) => Number(a) - Number(b))) {
    const params = group.params.sort((a, b) => (a.name < b.name ? -1 : 1));
    const k = params.length;
    const index = new Map(params.map((p, j) => [p.name, j]));
    const lower = new Float64Array(k);
    const width = new Float64Array(k);
    params.forEach((p, j) => {
      lower[j] = p.bounds?.min ?? 0;
      width[j] = (p.bounds?.max ?? 0) - (p.bounds?.min ?? 0);
    });
    const rows: HalfSpace[] = [];
    const unitRows: HalfSpace[] = [];
    for (const c of group.constraints) {
      const sign = c.type === 'less_than' ? 1 : -1;
      const coef = new Float64Array(k);
      for (const t of c.terms) {
        const j = index.get(t.name) ?? 0;
        coef[j] = (coef[j] ?? 0) + sign * t.weight;
      }
      const bound = sign * c.threshold;
      rows.push({ coef, bound });
      const unit = new Float64Array(k);
      let unitBound = bound;
      for (let j = 0; j < k; j++) {
        unit[j] = (coef[j] ?? 0) * (width[j] ?? 0);
        unitBound -= (coef[j] ?? 0) * (lower[j] ?? 0);
      }
      unitRows.push({ coef: unit, bound: unitBound });
    }
    out.push({ integer, params, lower, width, rows, unitRows });
  }
  return out;
}

/**
 * The largest ball inside the polytope and the unit cube (maximize r s.t. a_i·z + r‖a_i‖ ≤ b_i,
 * r ≤ z_j ≤ 1 − r), by LP. Null when the constraints and the cube do not intersect.
 */
export function chebyshevCentre(polytope: ConstraintPolytope): ChebyshevCentre | null {
  const k = polytope.params.length;
  const a: number[][] = [];
  const b: number[] = [];
  for (const row of polytope.unitRows) {
    let norm = 0;
    for (const v of row.coef) norm += v * v;
    a.push([...row.coef, Math.sqrt(norm)]);
    b.push(row.bound);
  }
  for (let j = 0; j < k; j++) {
    const up = new Array<number>(k + 1).fill(0);
    up[j] = 1;
    up[k] = 1;
    a.push(up);
    b.push(1);
    const down = new Array<number>(k + 1).fill(0);
    down[j] = -1;
    down[k] = 1;
    a.push(down);
    b.push(0);
  }
  const objective = new Array<number>(k + 1).fill(0);
  objective[k] = 1;
  const result = solveLinearProgram({
    objective,
    a,
    b,
    lower: new Array<number>(k + 1).fill(0),
    upper: [...new Array<number>(k).fill(1), 0.5],
  });
  if (result.status !== 'optimal') return null;
  return { centre: result.x.slice(0, k), radius: result.x[k] ?? 0 };
}

/**
 * Whether x (in parameter units, one entry per polytope variable) satisfies every row up to a
 * relative tolerance: Σ a·x ≤ b + tol·max(1, |b|, Σ|a_j x_j|).
 */
export function polytopeContains(polytope: ConstraintPolytope, x: ArrayLike<number>, tol: number): boolean {
  for (const row of polytope.rows) {
    let lhs = 0;
    let magnitude = Math.abs(row.bound);
    for (let j = 0; j < row.coef.length; j++) {
      const term = (row.coef[j] ?? 0) * (x[j] ?? 0);
      lhs += term;
      magnitude += Math.abs(term);
    }
    if (!(lhs <= row.bound + tol * Math.max(1, magnitude))) return false;
  }
  return true;
}
