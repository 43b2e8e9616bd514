import type { Assignments, ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';

/**
 * The values one parameter takes in a grid experiment: its sorted grid, or for a categorical its
 * non-deleted values in `enum_index` order (docs/api-compatibility.md#grid-enumeration). An int without a grid (which rule G9
 * forbids in grid experiments) enumerates its integers so the function stays total.
 */
function gridValues(param: ParameterSpec): readonly (number | string)[] {
  if (param.type === 'categorical') {
    return (param.categoricalValues ?? [])
      .filter((c) => !c.deleted)
      .sort((a, b) => a.enumIndex - b.enumIndex)
      .map((c) => c.name);
  }
  if (param.grid !== null) return [...param.grid].sort((a, b) => a - b);
  if (param.type === 'int' && param.bounds !== null) {
    const lo = Math.ceil(param.bounds.min);
    return Array.from({ length: Math.floor(param.bounds.max) - lo + 1 }, (_, i) => lo + i);
  }
  throw new Error(`grid: parameter ${param.name} has no grid`);
}

/** Non-deleted parameters by name in code-unit order, with their grid values. */
function gridAxes(spec: ExperimentSpec): { name: string; values: readonly (number | string)[] }[] {
  return spec.parameters
    .filter((p) => !p.deleted)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((p) => ({ name: p.name, values: gridValues(p) }));
}

/**
 * Number of points in a grid experiment: the product of the grid sizes of the non-deleted
 * parameters (categoricals count their active values). This is the experiment's budget (G9).
 * May exceed 2^53 (then it is not exact) or be Infinity for absurd grids.
 */
export function gridSize(spec: ExperimentSpec): number {
  return gridAxes(spec).reduce((n, axis) => n * axis.values.length, 1);
}

/**
 * The k-th point of the grid enumeration, exactly as docs/api-compatibility.md#grid-enumeration prescribes: parameters
 * ordered by name, each over its sorted grid (categoricals: active values in `enum_index` order),
 * k read as a mixed-radix number whose FIRST parameter by name is the fastest-varying digit,
 * wrapping modulo the grid size. k must be a non-negative safe integer.
 */
export function gridPoint(spec: ExperimentSpec, k: number): Assignments {
  if (!Number.isSafeInteger(k) || k < 0) throw new RangeError(`gridPoint: invalid index ${k}`);
  const axes = gridAxes(spec);
  const size = axes.reduce((n, axis) => n * axis.values.length, 1);
  if (size === 0) throw new Error('gridPoint: a parameter has no grid values');
  // When the size is beyond 2^53 every safe k is already below it, so no wrap is needed.
  let rest = Number.isSafeInteger(size) ? k % size : k;
  const out: Record<string, number | string> = {};
  for (const axis of axes) {
    const radix = axis.values.length;
    const digit = rest % radix;
    rest = (rest - digit) / radix;
    const value = axis.values[digit];
    if (value !== undefined) out[axis.name] = value;
  }
  return out;
}
