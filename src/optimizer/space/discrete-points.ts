import type { Assignments, ExperimentSpec, ParameterSpec } from '../experiment-spec.ts';
import { isParameterActive } from './active-parameters.ts';
import { satisfiesLinearConstraints } from './linear-constraints.ts';
import { discreteSpaceSize } from './space-size.ts';

/**
 * Every valid point of a fully discrete space (ints, grids, categoricals, conditionals; no free
 * doubles), or null when the space is continuous or larger than `limit`. Random sampling cannot
 * find the last unused points of a small space in a bounded number of draws; enumerating them can
 * (SigOpt enumerated unused combinations of spaces under 100 000 points, optimizer-notes §7.5).
 */
export function enumerateDiscretePoints(spec: ExperimentSpec, limit: number): Assignments[] | null {
  const size = discreteSpaceSize(spec);
  if (!Number.isFinite(size) || size > limit) return null;
  const params = spec.parameters.filter((p) => !p.deleted);
  const valueLists = new Map<string, readonly (number | string)[]>();
  for (const p of params) {
    const values = discreteValues(p);
    if (values === null) return null;
    valueLists.set(p.name, values);
  }
  const out: Assignments[] = [];
  const conditionalCombos = spec.conditionals.reduce((n, c) => n * c.values.length, 1);
  for (let k = 0; k < conditionalCombos; k++) {
    const base: Record<string, number | string> = {};
    let rest = k;
    for (const c of spec.conditionals) {
      base[c.name] = c.values[rest % c.values.length] ?? '';
      rest = Math.floor(rest / c.values.length);
    }
    const active = params.filter((p) => isParameterActive(p, base as Record<string, string>));
    const radix = active.map((p) => valueLists.get(p.name) ?? []);
    const count = radix.reduce((n, v) => n * v.length, 1);
    for (let i = 0; i < count; i++) {
      const point: Record<string, number | string> = { ...base };
      let r = i;
      active.forEach((p, j) => {
        const values = radix[j] ?? [];
        point[p.name] = values[r % values.length] as number | string;
        r = Math.floor(r / values.length);
      });
      if (spec.linearConstraints.length === 0 || satisfiesLinearConstraints(spec, point)) out.push(point);
    }
  }
  return out;
}

function discreteValues(p: ParameterSpec): readonly (number | string)[] | null {
  if (p.type === 'categorical') return (p.categoricalValues ?? []).filter((v) => !v.deleted).map((v) => v.name);
  if (p.grid !== null) return p.grid;
  if (p.type === 'int' && p.bounds) {
    const lo = Math.ceil(p.bounds.min);
    const hi = Math.floor(p.bounds.max);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  return null;
}
