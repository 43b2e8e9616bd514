/**
 * Maps assignment sets to points of the unit box [0, 1]^D the GP works in, and back.
 *
 * - double / int / grid parameter → 1 dim, affine in the value (or in ln value with `log`); ints
 *   are relaxed to a continuum and rounded on the way back (with a neighbour search later).
 * - categorical parameter and conditional → one-hot block over its non-deleted values. One-hot with
 *   an ARD Matérn kernel gives every category its own length scale, needs no special kernel code
 *   (the same gradients and Cholesky paths serve every dimension), and is well studied for the small
 *   category counts SigOpt allows; the discrete search in the acquisition optimizer only ever
 *   proposes exact one-hot vectors, so the relaxation is never decoded from a fractional point.
 * - inactive (condition-failing) parameters are imputed with a fixed value (0.5, or an all-zero
 *   one-hot block). Two points whose active parts agree are then identical, and the conditional's own
 *   one-hot block lets the kernel separate the branches.
 * - task → 1 dim holding the task cost (already in (0, 1]).
 */

import type { Assignments, ExperimentSpec, ParameterSpec } from './experiment-spec.ts';
import { isParameterActive } from './space/active-parameters.ts';

/** What one encoded dimension represents. */
export type DimKind = 'continuous' | 'integer' | 'onehot' | 'task';

/** A numeric parameter's single dimension. */
export interface NumericBlock {
  readonly kind: 'numeric';
  readonly param: ParameterSpec;
  readonly dim: number;
  readonly log: boolean;
  readonly lo: number;
  readonly hi: number;
}

/** A one-hot block of a categorical parameter or conditional. */
export interface OneHotBlock {
  readonly kind: 'onehot';
  readonly name: string;
  /** null for a conditional (always active). */
  readonly param: ParameterSpec | null;
  readonly start: number;
  readonly values: readonly string[];
}

/** The encoding of one experiment's space. */
export interface Encoding {
  /** Total dimension D of the unit box. */
  readonly dim: number;
  readonly kinds: readonly DimKind[];
  readonly numeric: readonly NumericBlock[];
  readonly onehot: readonly OneHotBlock[];
  /** Index of the task dimension, or -1. */
  readonly taskDim: number;
  /** Encodes an assignment set (and task) into a fresh point. Unknown/missing values are imputed. */
  encode(assignments: Assignments, task: string | null): Float64Array;
  /**
   * Decodes a point into raw assignments (not yet rounded/snapped; pass them through
   * `finalizeAssignments`) and the nearest task. One-hot blocks decode to their arg-max.
   */
  decode(x: ArrayLike<number>): { assignments: Record<string, number | string>; task: string | null };
  /** Which dims of `x` are active numeric dims (free for gradient polish). */
  activeNumeric(x: ArrayLike<number>): boolean[];
  /** Linear constraints as rows `a·u ≥ b` in the unit box (exact: constrained params are never log). */
  readonly constraints: readonly { readonly a: Float64Array; readonly b: number }[];
}

const IMPUTED = 0.5;

/** Builds the encoding for `spec` (deleted parameters and deleted categorical values excluded). */
export function createEncoding(spec: ExperimentSpec): Encoding {
  const numeric: NumericBlock[] = [];
  const onehot: OneHotBlock[] = [];
  const kinds: DimKind[] = [];
  for (const c of spec.conditionals) {
    onehot.push({ kind: 'onehot', name: c.name, param: null, start: kinds.length, values: [...c.values] });
    for (let i = 0; i < c.values.length; i++) kinds.push('onehot');
  }
  for (const p of spec.parameters) {
    if (p.deleted) continue;
    if (p.type === 'categorical') {
      const values = (p.categoricalValues ?? []).filter((v) => !v.deleted).map((v) => v.name);
      onehot.push({ kind: 'onehot', name: p.name, param: p, start: kinds.length, values });
      for (let i = 0; i < values.length; i++) kinds.push('onehot');
      continue;
    }
    const min = p.bounds?.min ?? p.grid?.[0] ?? 0;
    const max = p.bounds?.max ?? p.grid?.[p.grid.length - 1] ?? 1;
    const log = p.transformation === 'log' && min > 0;
    numeric.push({ kind: 'numeric', param: p, dim: kinds.length, log, lo: log ? Math.log(min) : min, hi: log ? Math.log(max) : max });
    kinds.push(p.type === 'int' ? 'integer' : 'continuous');
  }
  const tasks = spec.tasks;
  const taskDim = tasks !== null && tasks.length > 0 ? kinds.length : -1;
  if (taskDim >= 0) kinds.push('task');
  const dim = kinds.length;

  const toUnit = (b: NumericBlock, v: number): number => {
    const t = b.log ? Math.log(Math.max(v, Number.MIN_VALUE)) : v;
    if (!(b.hi > b.lo)) return IMPUTED;
    const u = (t - b.lo) / (b.hi - b.lo);
    return Number.isFinite(u) ? Math.min(1, Math.max(0, u)) : IMPUTED;
  };
  const fromUnit = (b: NumericBlock, u: number): number => {
    const t = b.lo + Math.min(1, Math.max(0, u)) * (b.hi - b.lo);
    return b.log ? Math.exp(t) : t;
  };

  const encode = (assignments: Assignments, task: string | null): Float64Array => {
    const x = new Float64Array(dim);
    for (const blk of onehot) {
      if (blk.param !== null && !isParameterActive(blk.param, assignments)) continue;
      const idx = blk.values.indexOf(String(assignments[blk.name]));
      if (idx >= 0) x[blk.start + idx] = 1;
    }
    for (const b of numeric) {
      const v = assignments[b.param.name];
      x[b.dim] = typeof v === 'number' && isParameterActive(b.param, assignments) ? toUnit(b, v) : IMPUTED;
    }
    if (taskDim >= 0) x[taskDim] = tasks?.find((t) => t.name === task)?.cost ?? 1;
    return x;
  };

  const decode = (x: ArrayLike<number>): { assignments: Record<string, number | string>; task: string | null } => {
    const out: Record<string, number | string> = {};
    for (const blk of onehot) {
      let best = 0;
      for (let i = 1; i < blk.values.length; i++) if (x[blk.start + i]! > x[blk.start + best]!) best = i;
      const v = blk.values[best];
      if (v !== undefined) out[blk.name] = v;
    }
    for (const b of numeric) out[b.param.name] = fromUnit(b, x[b.dim]!);
    let task: string | null = null;
    if (taskDim >= 0 && tasks !== null) {
      let bestDist = Infinity;
      for (const t of tasks) {
        const dist = Math.abs(t.cost - x[taskDim]!);
        if (dist < bestDist) {
          bestDist = dist;
          task = t.name;
        }
      }
    }
    return { assignments: out, task };
  };

  const activeNumeric = (x: ArrayLike<number>): boolean[] => {
    const mask = new Array<boolean>(dim).fill(false);
    const { assignments } = decode(x);
    for (const b of numeric) mask[b.dim] = isParameterActive(b.param, assignments);
    return mask;
  };

  const constraints: { a: Float64Array; b: number }[] = [];
  for (const lc of spec.linearConstraints) {
    const sign = lc.type === 'greater_than' ? 1 : -1;
    const a = new Float64Array(dim);
    let b = sign * lc.threshold;
    for (const term of lc.terms) {
      const blk = numeric.find((n) => n.param.name === term.name);
      if (blk === undefined || blk.log) continue;
      // w·(lo + u·(hi − lo)) ≥ t  ⇔  w(hi − lo)·u ≥ t − w·lo
      a[blk.dim] = a[blk.dim]! + sign * term.weight * (blk.hi - blk.lo);
      b -= sign * term.weight * blk.lo;
    }
    constraints.push({ a, b });
  }

  return { dim, kinds, numeric, onehot, taskDim, encode, decode, activeNumeric, constraints };
}
