/**
 * A linear program in inequality form: maximize `objective · x` subject to `A x ≤ b` and
 * `lower ≤ x ≤ upper`. Bounds default to `[0, +∞)`; use ±Infinity for a free side.
 */
export interface LinearProgram {
  readonly objective: readonly number[];
  /** Rows of A; each has `objective.length` entries. */
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly lower?: readonly number[];
  readonly upper?: readonly number[];
}

/** Outcome of {@link solveLinearProgram}. */
export type LinearProgramResult =
  | { readonly status: 'optimal'; readonly x: Float64Array; readonly value: number }
  | { readonly status: 'infeasible' }
  | { readonly status: 'unbounded' };

/** Pivot and reduced-cost tolerance after row scaling (entries are then O(1)). */
const EPS = 1e-10;

/**
 * Solves a small dense LP by the two-phase tableau simplex method with Bland's rule.
 *
 * Bland's smallest-index rule cannot cycle, which matters here because the callers' problems
 * (Chebyshev centres of boxes cut by a few half-spaces) are highly degenerate: many box faces
 * are tight at once. It is slower than steepest-edge pricing, which does not matter at the sizes
 * used (tens of variables and rows). Rows are scaled to unit max-norm so one tolerance fits all.
 */
export function solveLinearProgram(lp: LinearProgram): LinearProgramResult {
  const n = lp.objective.length;
  if (lp.a.length !== lp.b.length) throw new Error('solveLinearProgram: a and b differ in length');
  for (const row of lp.a) {
    if (row.length !== n) throw new Error('solveLinearProgram: row length differs from objective');
  }

  // Substitute every x_j by non-negative variables: x = lo + y, x = hi − y, or x = y⁺ − y⁻.
  const map = buildVariableMap(n, lp.lower, lp.upper);
  if (map.vars.some((v) => v.range < 0)) return { status: 'infeasible' };
  const rows: { coef: Float64Array; rhs: number }[] = [];
  const cols = map.columns;
  for (let i = 0; i < lp.a.length; i++) {
    const coef = new Float64Array(cols);
    let rhs = lp.b[i] ?? 0;
    const row = lp.a[i] ?? [];
    for (let j = 0; j < n; j++) {
      const aij = row[j] ?? 0;
      if (aij === 0) continue;
      const v = map.vars[j];
      if (v === undefined) continue;
      rhs -= aij * v.offset;
      coef[v.col] = (coef[v.col] ?? 0) + aij * v.sign;
      if (v.negCol >= 0) coef[v.negCol] = (coef[v.negCol] ?? 0) - aij;
    }
    rows.push({ coef, rhs });
  }
  // Finite ranges become rows y ≤ hi − lo.
  for (const v of map.vars) {
    if (v.range < Number.POSITIVE_INFINITY) {
      const coef = new Float64Array(cols);
      coef[v.col] = 1;
      rows.push({ coef, rhs: v.range });
    }
  }
  const c = new Float64Array(cols);
  for (let j = 0; j < n; j++) {
    const cj = lp.objective[j] ?? 0;
    const v = map.vars[j];
    if (v === undefined) continue;
    c[v.col] = (c[v.col] ?? 0) + cj * v.sign;
    if (v.negCol >= 0) c[v.negCol] = (c[v.negCol] ?? 0) - cj;
  }

  const y = solveStandardForm(rows, c);
  if (y === 'infeasible' || y === 'unbounded') return { status: y };
  const x = new Float64Array(n);
  let value = 0;
  for (let j = 0; j < n; j++) {
    const v = map.vars[j];
    if (v === undefined) continue;
    let xj = v.offset + v.sign * (y[v.col] ?? 0);
    if (v.negCol >= 0) xj -= y[v.negCol] ?? 0;
    x[j] = xj;
    value += (lp.objective[j] ?? 0) * xj;
  }
  return { status: 'optimal', x, value };
}

interface VariableMap {
  readonly columns: number;
  readonly vars: readonly { col: number; negCol: number; sign: number; offset: number; range: number }[];
}

function buildVariableMap(
  n: number,
  lower: readonly number[] | undefined,
  upper: readonly number[] | undefined,
): VariableMap {
  let columns = 0;
  const vars = [];
  for (let j = 0; j < n; j++) {
    const lo = lower?.[j] ?? 0;
    const hi = upper?.[j] ?? Number.POSITIVE_INFINITY;
    if (Number.isNaN(lo) || Number.isNaN(hi)) throw new Error('solveLinearProgram: NaN bound');
    if (lo > Number.NEGATIVE_INFINITY) {
      vars.push({ col: columns++, negCol: -1, sign: 1, offset: lo, range: hi - lo });
    } else if (hi < Number.POSITIVE_INFINITY) {
      vars.push({ col: columns++, negCol: -1, sign: -1, offset: hi, range: Number.POSITIVE_INFINITY });
    } else {
      const col = columns++;
      vars.push({ col, negCol: columns++, sign: 1, offset: 0, range: Number.POSITIVE_INFINITY });
    }
  }
  return { columns, vars };
}

/** maximize c·y s.t. rows (coef·y ≤ rhs), y ≥ 0. Returns y or the failure status. */
function solveStandardForm(
  rows: readonly { coef: Float64Array; rhs: number }[],
  c: Float64Array,
): Float64Array | 'infeasible' | 'unbounded' {
  const m = rows.length;
  const ny = c.length;
  // Columns: y (ny) | slacks (m) | artificials (one per row with negative rhs) | rhs.
  const needsArtificial = rows.map((r) => r.rhs < 0);
  const nArt = needsArtificial.filter(Boolean).length;
  const width = ny + m + nArt + 1;
  const rhsCol = width - 1;
  const t = new Float64Array((m + 1) * width);
  const basis = new Int32Array(m);
  let art = ny + m;
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    if (r === undefined) continue;
    let scale = 0;
    for (let j = 0; j < ny; j++) scale = Math.max(scale, Math.abs(r.coef[j] ?? 0));
    // A power of two keeps the scaling exact; an all-zero row (0 ≤ rhs) is left unscaled.
    scale = scale > 0 ? 2 ** -Math.round(Math.log2(scale)) : 1;
    const flip = needsArtificial[i] ? -scale : scale;
    const base = i * width;
    for (let j = 0; j < ny; j++) t[base + j] = (r.coef[j] ?? 0) * flip;
    t[base + ny + i] = flip; // slack
    t[base + rhsCol] = r.rhs * flip;
    if (needsArtificial[i]) {
      t[base + art] = 1;
      basis[i] = art++;
    } else {
      basis[i] = ny + i;
    }
  }
  const obj = m * width;

  if (nArt > 0) {
    // Phase 1: maximize −Σ artificials; the objective row holds −c, made canonical for the basis.
    for (let j = ny + m; j < ny + m + nArt; j++) t[obj + j] = 1;
    for (let i = 0; i < m; i++) {
      if ((basis[i] ?? 0) >= ny + m) for (let j = 0; j < width; j++) t[obj + j] = (t[obj + j] ?? 0) - (t[i * width + j] ?? 0);
    }
    const phase1 = runSimplex(t, m, width, basis, width - 1);
    if (phase1 === 'unbounded') throw new Error('solveLinearProgram: phase 1 cannot be unbounded');
    if ((t[obj + rhsCol] ?? 0) < -1e-9) return 'infeasible';
    // Pivot remaining (zero-level) artificials out where possible; rows where that fails are
    // redundant and keep their artificial at zero, which phase 2 can never let enter.
    for (let i = 0; i < m; i++) {
      if ((basis[i] ?? 0) < ny + m) continue;
      for (let j = 0; j < ny + m; j++) {
        if (Math.abs(t[i * width + j] ?? 0) > EPS) {
          pivot(t, m, width, basis, i, j);
          break;
        }
      }
    }
  }

  // Phase 2: objective row = −c, made canonical; artificial columns may not enter.
  for (let j = 0; j < width; j++) t[obj + j] = 0;
  for (let j = 0; j < ny; j++) t[obj + j] = -(c[j] ?? 0);
  for (let i = 0; i < m; i++) {
    const bj = basis[i] ?? 0;
    const cb = t[obj + bj] ?? 0;
    if (cb !== 0) for (let j = 0; j < width; j++) t[obj + j] = (t[obj + j] ?? 0) - cb * (t[i * width + j] ?? 0);
  }
  const phase2 = runSimplex(t, m, width, basis, ny + m);
  if (phase2 === 'unbounded') return 'unbounded';
  const y = new Float64Array(ny);
  for (let i = 0; i < m; i++) {
    const bj = basis[i] ?? 0;
    if (bj < ny) y[bj] = Math.max(0, t[i * width + rhsCol] ?? 0);
  }
  return y;
}

/** Bland's rule simplex on columns [0, enterLimit); the objective row is the last row. */
function runSimplex(
  t: Float64Array,
  m: number,
  width: number,
  basis: Int32Array,
  enterLimit: number,
): 'optimal' | 'unbounded' {
  const obj = m * width;
  const rhsCol = width - 1;
  // Bland's rule terminates; the cap only guards against a tolerance-induced loop.
  const maxIterations = 50 * (m + width) + 1000;
  for (let iter = 0; iter < maxIterations; iter++) {
    let enter = -1;
    for (let j = 0; j < enterLimit; j++) {
      if ((t[obj + j] ?? 0) < -EPS) {
        enter = j;
        break;
      }
    }
    if (enter < 0) return 'optimal';
    let leave = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < m; i++) {
      const aij = t[i * width + enter] ?? 0;
      if (aij <= EPS) continue;
      const ratio = (t[i * width + rhsCol] ?? 0) / aij;
      // Bland: among (near-)tied minimum ratios the row whose basic variable has the smallest index.
      const tied = leave >= 0 && ratio <= best + EPS;
      if (ratio < best - EPS || (tied && (basis[i] ?? 0) < (basis[leave] ?? 0))) {
        best = Math.min(best, ratio);
        leave = i;
      }
    }
    if (leave < 0) return 'unbounded';
    pivot(t, m, width, basis, leave, enter);
  }
  throw new Error('solveLinearProgram: iteration limit reached');
}

function pivot(t: Float64Array, m: number, width: number, basis: Int32Array, row: number, col: number): void {
  const base = row * width;
  const p = t[base + col] ?? 1;
  for (let j = 0; j < width; j++) t[base + j] = (t[base + j] ?? 0) / p;
  for (let i = 0; i <= m; i++) {
    if (i === row) continue;
    const f = t[i * width + col] ?? 0;
    if (f === 0) continue;
    const bi = i * width;
    for (let j = 0; j < width; j++) t[bi + j] = (t[bi + j] ?? 0) - f * (t[base + j] ?? 0);
  }
  basis[row] = col;
}
