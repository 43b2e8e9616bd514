import type { ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';
import { isParameterActive } from './active-parameters.ts';

/** Beyond this many conditional combinations the count is not enumerated (reported as Infinity). */
const MAX_CONDITIONAL_COMBINATIONS = 4096;

/**
 * An upper bound on how many distinct valid assignment sets the space has: Σ over conditional
 * value combinations of the product of the active parameters' value counts (ints: integers in
 * bounds, grids: grid size, categoricals: active values, doubles with `precision`: decimals of
 * that many digits in bounds, other doubles: Infinity). Exact unless linear constraints cut
 * integer points away or precision rounding collapses values onto a bound. Used to stop asking
 * for more distinct points than exist.
 */
export function discreteSpaceSize(spec: ExperimentSpec): number {
  let combinations = 1;
  for (const c of spec.conditionals) combinations *= c.values.length;
  if (combinations > MAX_CONDITIONAL_COMBINATIONS) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let k = 0; k < combinations; k++) {
    const assignment: Record<string, string> = {};
    let rest = k;
    for (const c of spec.conditionals) {
      assignment[c.name] = c.values[rest % c.values.length] ?? '';
      rest = Math.floor(rest / c.values.length);
    }
    let product = 1;
    for (const p of spec.parameters) if (isParameterActive(p, assignment)) product *= valueCount(p);
    total += product;
  }
  return total;
}

function valueCount(p: ParameterSpec): number {
  if (p.type === 'categorical') return (p.categoricalValues ?? []).filter((c) => !c.deleted).length;
  if (p.grid !== null) return p.grid.length;
  if (p.bounds === null) return Number.POSITIVE_INFINITY;
  if (p.type === 'int') return Math.floor(p.bounds.max) - Math.ceil(p.bounds.min) + 1;
  if (p.precision !== null) return precisionValueCount(p.bounds.min, p.bounds.max, p.precision);
  return Number.POSITIVE_INFINITY;
}

/**
 * Upper bound on the values a double with `precision` significant digits can take in bounds
 * (X2 rounds, then clamps): the p-digit decimals inside, plus both bounds. Infinite when the
 * range contains 0, where ever smaller magnitudes stay representable.
 */
function precisionValueCount(min: number, max: number, digits: number): number {
  if (min <= 0 && max >= 0) return Number.POSITIVE_INFINITY;
  const [a, b] = min > 0 ? [min, max] : [-max, -min];
  let count = 2;
  for (let e = Math.floor(Math.log10(a)); e <= Math.floor(Math.log10(b)); e++) {
    const unit = 10 ** (e - digits + 1);
    const lo = Math.max(10 ** (digits - 1), Math.ceil(a / unit));
    const hi = Math.min(10 ** digits - 1, Math.floor(b / unit));
    if (hi >= lo) count += hi - lo + 1;
    if (count > 1e15) return Number.POSITIVE_INFINITY;
  }
  return count;
}
