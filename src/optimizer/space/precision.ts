import type { Assignments, ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';
import { isParameterActive } from './active-parameters.ts';
import { repairConstrainedRounding } from './constraint-repair.ts';

/**
 * `x` rounded to `digits` significant digits (extension X2), e.g. (123.456, 2) → 120 and
 * (0.0012345, 3) → 0.00123. Non-finite inputs are returned unchanged.
 *
 * Decimal rounding goes through `toPrecision` so the result is the double nearest to the decimal
 * the user asked for (0.1, not 0.10000000000000000555…), which is what JSON then shows.
 */
export function roundToPrecision(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  if (!Number.isInteger(digits) || digits < 1 || digits > 100) {
    throw new RangeError(`precision must be an integer in [1, 100], got ${digits}`);
  }
  const rounded = Number(x.toPrecision(digits));
  return rounded === 0 ? 0 : rounded;
}

/**
 * Turns a raw engine or sampler point into a valid server-generated assignment set.
 *
 * Conditionals are kept (they must be present and valid), parameters whose conditions fail are
 * dropped, as are deleted and unknown names. Per active parameter: grid values snap to the nearest
 * grid value (in log space for log parameters, matching how the engine encodes them); ints are
 * rounded then clamped into bounds; doubles are rounded to `precision` significant digits and then
 * clamped into bounds (X2); categoricals must name a non-deleted value.
 *
 * With linear constraints, rounding that would leave the feasible region is redone in the
 * feasible direction (see repairConstrainedRounding); a feasible raw point stays feasible.
 *
 * Throws an `Error` when an active parameter or a conditional has no usable value: that is a bug
 * in the caller, not a user error, so it must not be silently papered over.
 */
export function finalizeAssignments(
  spec: ExperimentSpec,
  raw: Readonly<Record<string, number | string>>,
): Assignments {
  const out: Record<string, number | string> = {};
  for (const conditional of spec.conditionals) {
    const value = raw[conditional.name];
    if (typeof value !== 'string' || !conditional.values.includes(value)) {
      throw new Error(`finalizeAssignments: invalid value for conditional ${conditional.name}`);
    }
    out[conditional.name] = value;
  }
  for (const param of spec.parameters) {
    if (!isParameterActive(param, out)) continue;
    out[param.name] = finalizeValue(param, raw[param.name]);
  }
  if (spec.linearConstraints.length > 0) repairConstrainedRounding(spec, out, raw);
  return out;
}

function finalizeValue(param: ParameterSpec, value: number | string | undefined): number | string {
  if (param.type === 'categorical') {
    const valid = (param.categoricalValues ?? []).some((c) => !c.deleted && c.name === value);
    if (typeof value !== 'string' || !valid) {
      throw new Error(`finalizeAssignments: invalid categorical value for ${param.name}`);
    }
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`finalizeAssignments: no finite number for parameter ${param.name}`);
  }
  if (param.grid !== null && param.grid.length > 0) {
    return snapToGrid(param.grid, value, param.transformation === 'log');
  }
  const bounds = param.bounds;
  if (bounds === null) throw new Error(`finalizeAssignments: parameter ${param.name} has no bounds`);
  if (param.type === 'int') return clamp(Math.round(value), bounds.min, bounds.max);
  const rounded = param.precision === null ? value : roundToPrecision(value, param.precision);
  return clamp(rounded, bounds.min, bounds.max);
}

// Distances in log space for log parameters (grid values are then > 0 by rule G5).
function snapToGrid(grid: readonly number[], x: number, logScale: boolean): number {
  const t = (v: number): number => (logScale ? Math.log(Math.max(v, Number.MIN_VALUE)) : v);
  const target = t(x);
  let best = grid[0];
  if (best === undefined) throw new Error('snapToGrid: empty grid');
  let bestDistance = Math.abs(t(best) - target);
  for (const g of grid) {
    const distance = Math.abs(t(g) - target);
    if (distance < bestDistance) {
      best = g;
      bestDistance = distance;
    }
  }
  return best;
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
