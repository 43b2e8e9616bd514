import type { ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';
import { satisfiesLinearConstraints } from './linear-constraints.ts';

/** At most 2^12 rounding combinations are tried. */
const MAX_ENUMERATED = 12;

/**
 * Re-rounds the linearly constrained parameters of a finalized point when rounding (ints to
 * integers, doubles to `precision` digits) pushed it out of the feasible region: every
 * combination of rounding each such value down or up is tried and the feasible one closest to
 * the raw point (in range-scaled distance) wins. If none is feasible, doubles fall back to their
 * unrounded (clamped) values — feasibility beats `precision` — and the point is otherwise left
 * as is, so callers must still check feasibility when the raw point was infeasible.
 *
 * `out` is modified in place.
 */
export function repairConstrainedRounding(
  spec: ExperimentSpec,
  out: Record<string, number | string>,
  raw: Readonly<Record<string, number | string>>,
): void {
  if (satisfiesLinearConstraints(spec, out)) return;
  const byName = new Map(spec.parameters.map((p) => [p.name, p]));
  const names = [...new Set(spec.linearConstraints.flatMap((c) => c.terms.map((t) => t.name)))];
  const axes: { name: string; options: number[]; target: number; scale: number }[] = [];
  for (const name of names) {
    const param = byName.get(name);
    const value = raw[name];
    if (param === undefined || param.bounds === null || typeof value !== 'number' || !(name in out)) continue;
    const target = clamp(value, param);
    const options = roundingOptions(param, target).filter((v, i, all) => all.indexOf(v) === i);
    axes.push({ name, options, target, scale: Math.max(param.bounds.max - param.bounds.min, 1e-300) });
  }
  const varying = axes.filter((a) => a.options.length > 1).slice(0, MAX_ENUMERATED);
  let best: Record<string, number> | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  const trial: Record<string, number | string> = { ...out };
  for (const axis of axes) trial[axis.name] = axis.options[0] ?? axis.target;
  for (let mask = 0; mask < 1 << varying.length; mask++) {
    varying.forEach((axis, k) => {
      trial[axis.name] = axis.options[(mask >> k) & 1] ?? axis.target;
    });
    if (!satisfiesLinearConstraints(spec, trial)) continue;
    let distance = 0;
    for (const axis of axes) distance += (((trial[axis.name] as number) - axis.target) / axis.scale) ** 2;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = Object.fromEntries(axes.map((a) => [a.name, trial[a.name] as number]));
    }
  }
  if (best !== null) {
    Object.assign(out, best);
    return;
  }
  const unrounded = { ...out };
  for (const axis of axes) if (byName.get(axis.name)?.type === 'double') unrounded[axis.name] = axis.target;
  if (satisfiesLinearConstraints(spec, unrounded)) Object.assign(out, unrounded);
}

/** The rounded values next to `x` (already in bounds): nearest first, then the other side. */
function roundingOptions(param: ParameterSpec, x: number): number[] {
  if (param.type === 'int') {
    const nearest = clamp(Math.round(x), param);
    return [nearest, clamp(nearest + (x >= nearest ? 1 : -1), param)];
  }
  if (param.precision === null || x === 0) return [x];
  const nearest = roundToPrecision(x, param.precision);
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(x))) - param.precision + 1);
  const other = roundToPrecision(nearest + (x >= nearest ? unit : -unit), param.precision);
  return [clamp(nearest, param), clamp(other, param)];
}

// Same rounding as roundToPrecision, kept local to avoid an import cycle with precision.ts.
function roundToPrecision(x: number, digits: number): number {
  const r = Number(x.toPrecision(digits));
  return r === 0 ? 0 : r;
}

function clamp(x: number, param: ParameterSpec): number {
  const b = param.bounds;
  if (b === null) return x;
  return x < b.min ? b.min : x > b.max ? b.max : x;
}
