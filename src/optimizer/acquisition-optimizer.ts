/**
 * Maximizes an acquisition over a mixed space in the encoded unit box:
 *  1. many uniform random points plus Gaussian perturbations of the best observed points
 *     (trust-region-style locality, which matters most once the model is good),
 *  2. box L-BFGS polish of the best few on their active numeric dims (ints relaxed),
 *  3. rounding through `finalizeAssignments`, then greedy neighbour search on int/grid/categorical/
 *     conditional values, evaluated at the exact (rounded) points.
 * Linear constraints: infeasible random points are rejected, perturbations and polished points
 * are pulled back toward a feasible anchor, and final points are checked after rounding.
 */

import { minimizeBox } from '../numerics/lbfgsb.ts';
import type { Rng } from '../numerics/rng.ts';
import type { Encoding } from './encoding.ts';
import type { Assignments, ExperimentSpec } from './experiment-spec.ts';
import { assignmentKey, createConstrainedSampler, finalizeAssignments, randomPoint } from './space/index.ts';
import { repairToward, sampleUnitPoint, satisfiesUnitConstraints } from './unit-sampler.ts';

/** Acquisition to maximize; fills `grad` (∂/∂x) when given. */
export type AcquisitionFn = (x: Float64Array, grad?: Float64Array) => number;

/** Inputs of {@link maximizeAcquisition}. */
export interface MaximizeOptions {
  readonly spec: ExperimentSpec;
  readonly enc: Encoding;
  readonly acq: AcquisitionFn;
  readonly rng: Rng;
  /** Encoded good observed points (best first) to perturb; should satisfy the linear constraints. */
  readonly anchors: readonly Float64Array[];
  /** Value of the task dimension (cost) held fixed during the search. */
  readonly taskValue: number;
  /** assignmentKeys that must not be returned (observations, pending, already chosen). */
  readonly excluded: ReadonlySet<string>;
  readonly randomCandidates?: number;
  readonly localCandidates?: number;
  readonly polishStarts?: number;
  readonly polishIterations?: number;
  /**
   * Optional trust region: numeric dims are searched only within [lower, upper] (unit encoding);
   * other dims are unaffected.
   */
  readonly box?: { readonly lower: Float64Array; readonly upper: Float64Array } | undefined;
}

/** A finished candidate. */
export interface AcquisitionResult {
  readonly x: Float64Array;
  readonly assignments: Assignments;
  readonly task: string | null;
  readonly key: string;
  readonly value: number;
}

/** Where random and local points are drawn (the search part of {@link MaximizeOptions}). */
export type SearchSpace = Pick<MaximizeOptions, 'spec' | 'enc' | 'rng' | 'taskValue' | 'box'>;

/**
 * `count` attempts at uniform points of the box (or trust region) that satisfy the linear
 * constraints. Tight constraints reject almost every uniform box point; the space toolkit's
 * constrained sampler (rejection, then hit-and-run) then keeps the set full.
 */
export function randomUnitPoints(
  o: SearchSpace,
  count: number,
  sampler = o.enc.constraints.length > 0 ? createConstrainedSampler(o.spec) : null,
): Float64Array[] {
  const { enc, rng, box } = o;
  const out: Float64Array[] = [];
  for (let i = 0; i < count; i++) {
    const x = sampleUnitPoint(enc, rng, o.taskValue);
    if (box !== undefined) for (const b of enc.numeric) x[b.dim] = box.lower[b.dim]! + x[b.dim]! * (box.upper[b.dim]! - box.lower[b.dim]!);
    if (satisfiesUnitConstraints(enc, x)) out.push(x);
    else if (sampler !== null) {
      const y = enc.encode(randomPoint(o.spec, rng, { sampler, usePriors: false }), null);
      if (enc.taskDim >= 0) y[enc.taskDim] = o.taskValue;
      if (satisfiesUnitConstraints(enc, y, 1e-7)) out.push(y);
    }
  }
  return out;
}

/**
 * `count` Gaussian perturbations of the anchors (good observed points, best first; half of them
 * around the very best), at scales from 1 % to 30 % of the box, on up to 20 numeric dims at once,
 * with an occasional category switch; pulled back into the constraints toward their anchor.
 */
export function localUnitPoints(o: SearchSpace, anchorPoints: readonly Float64Array[], count: number): Float64Array[] {
  const { enc, rng, box } = o;
  const anchors = anchorPoints.slice(0, 5);
  if (anchors.length === 0) return [];
  const out: Float64Array[] = [];
  const pDim = Math.min(1, 20 / Math.max(1, enc.numeric.length));
  const scales = [0.01, 0.04, 0.12, 0.3];
  for (let i = 0; i < count; i++) {
    const a = anchors[i % 2 === 0 ? 0 : rng.int(anchors.length)]!;
    const x = Float64Array.from(a);
    const scale = scales[rng.int(scales.length)]!;
    let moved = false;
    for (const b of enc.numeric) {
      if (rng.next() < pDim) {
        x[b.dim] = Math.min(1, Math.max(0, x[b.dim]! + scale * rng.normal()));
        moved = true;
      }
    }
    if (enc.onehot.length > 0 && (!moved || rng.next() < 0.2)) {
      const blk = enc.onehot[rng.int(enc.onehot.length)]!;
      if (blk.values.length > 0) {
        for (let j = 0; j < blk.values.length; j++) x[blk.start + j] = 0;
        x[blk.start + rng.int(blk.values.length)] = 1;
      }
    }
    if (box !== undefined) for (const b of enc.numeric) x[b.dim] = Math.min(box.upper[b.dim]!, Math.max(box.lower[b.dim]!, x[b.dim]!));
    const y = repairToward(enc, x, a);
    if (enc.taskDim >= 0) y[enc.taskDim] = o.taskValue;
    out.push(y);
  }
  return out;
}

/** Best non-excluded candidate, or null if every attempt duplicated an excluded point. */
export function maximizeAcquisition(o: MaximizeOptions): AcquisitionResult | null {
  const d = o.enc.dim;
  const nRandom = o.randomCandidates ?? Math.min(1000, 300 + 30 * d);
  const nLocal = o.localCandidates ?? Math.min(1000, 300 + 30 * d);
  const points = [...randomUnitPoints(o, nRandom), ...localUnitPoints(o, o.anchors, nLocal)];
  const pool = points.map((x) => ({ x, v: o.acq(x) }));
  if (pool.length === 0) return null;
  pool.sort((p, q) => q.v - p.v);
  return polishBest(o, pool, o.polishStarts ?? 10);
}

/**
 * Polishes the best `starts` distinct points of a scored pool (sorted best first) by box L-BFGS on
 * their active numeric dims, rounds them to valid assignments, runs the discrete neighbour search,
 * and returns the best non-excluded result; falls back on the raw pool when polishing only produced
 * excluded points.
 */
export function polishBest(
  o: MaximizeOptions,
  pool: readonly { readonly x: Float64Array; readonly v: number }[],
  nStarts: number,
): AcquisitionResult | null {
  const { enc, acq, box } = o;
  const d = enc.dim;
  const starts: Float64Array[] = [];
  for (const p of pool) {
    if (starts.length >= Math.min(nStarts, pool.length)) break;
    if (starts.every((s) => dist2(s, p.x) > 1e-6)) starts.push(p.x);
  }
  const results: AcquisitionResult[] = [];
  const seen = new Set<string>();
  const consider = (x: Float64Array): AcquisitionResult | null => {
    const r = finish(o, x);
    if (r === null || seen.has(r.key)) return null;
    seen.add(r.key);
    results.push(r);
    return r;
  };
  const grad = new Float64Array(d);
  for (const s of starts) {
    const mask = enc.activeNumeric(s);
    const lower = new Float64Array(d);
    const upper = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      lower[k] = mask[k] ? (box?.lower[k] ?? 0) : s[k]!;
      upper[k] = mask[k] ? (box?.upper[k] ?? 1) : s[k]!;
    }
    let x = s;
    if (mask.some(Boolean)) {
      const res = minimizeBox(
        (t, g) => {
          const v = acq(t, grad);
          for (let k = 0; k < d; k++) g[k] = -grad[k]!;
          return -v;
        },
        s,
        { lower, upper, maxIterations: o.polishIterations ?? 30, ftol: 1e-9, pgtol: 1e-7 },
      );
      x = repairToward(enc, res.x, s);
    }
    const r = consider(x);
    if (r !== null) neighbourSearch(o, r, consider);
  }
  results.sort((p, q) => q.value - p.value);
  const firstFree = results.find((r) => !o.excluded.has(r.key));
  if (firstFree !== undefined) return firstFree;
  for (const p of pool) {
    const r = consider(p.x);
    if (r !== null && !o.excluded.has(r.key)) return r;
  }
  return null;
}

function dist2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}

/** Rounds x to a valid assignment set, re-encodes it and scores the exact point. */
function finish(o: MaximizeOptions, x: Float64Array): AcquisitionResult | null {
  const { assignments: raw, task } = o.enc.decode(x);
  return finishRaw(o, raw, task);
}

function finishRaw(o: MaximizeOptions, raw: Record<string, number | string>, task: string | null): AcquisitionResult | null {
  let assignments: Assignments;
  try {
    assignments = finalizeAssignments(o.spec, raw);
  } catch {
    return null;
  }
  const xe = o.enc.encode(assignments, task);
  if (o.enc.taskDim >= 0) xe[o.enc.taskDim] = o.taskValue;
  if (!satisfiesUnitConstraints(o.enc, xe, 1e-7)) return null;
  return { x: xe, assignments, task, key: assignmentKey(assignments, task), value: o.acq(xe) };
}

/** Greedy hill-climb over discrete neighbours (ints ±1, adjacent grid values, other categories). */
function neighbourSearch(o: MaximizeOptions, start: AcquisitionResult, consider: (x: Float64Array) => AcquisitionResult | null): void {
  const { enc } = o;
  const hasDiscrete = enc.onehot.length > 0 || enc.numeric.some((b) => b.param.type === 'int' || b.param.grid !== null);
  if (!hasDiscrete) return;
  let current = start;
  for (let pass = 0; pass < 4; pass++) {
    const base = enc.decode(current.x);
    let best: AcquisitionResult | null = null;
    const tryRaw = (raw: Record<string, number | string>): void => {
      const r = finishRaw(o, raw, base.task);
      if (r === null) return;
      if (best === null || r.value > best.value) best = r;
    };
    for (const b of enc.numeric) {
      const p = b.param;
      const v = current.assignments[p.name];
      if (typeof v !== 'number') continue;
      const steps: number[] = [];
      if (p.grid !== null && p.grid.length > 0) {
        const i = p.grid.indexOf(v);
        if (i > 0) steps.push(p.grid[i - 1]!);
        if (i >= 0 && i < p.grid.length - 1) steps.push(p.grid[i + 1]!);
      } else if (p.type === 'int') {
        steps.push(v - 1, v + 1);
      }
      for (const s of steps) tryRaw({ ...base.assignments, [p.name]: s });
    }
    for (const blk of enc.onehot) {
      if (blk.param !== null && current.assignments[blk.name] === undefined) continue;
      for (const val of blk.values) {
        if (val === current.assignments[blk.name]) continue;
        tryRaw({ ...base.assignments, [blk.name]: val });
      }
    }
    const found = best as AcquisitionResult | null;
    if (found === null || !(found.value > current.value + 1e-12)) return;
    const added = consider(found.x);
    current = added ?? found;
  }
}
