import type { Objective } from '../types.ts';

/** Whether `a` is at least as good as `b` in every objective and better in one. */
export function dominates(a: readonly number[], b: readonly number[], objectives: readonly Objective[]): boolean {
  let better = false;
  for (let k = 0; k < objectives.length; k += 1) {
    const sign = objectives[k] === 'minimize' ? -1 : 1;
    const d = sign * ((a[k] ?? 0) - (b[k] ?? 0));
    if (d < 0) return false;
    if (d > 0) better = true;
  }
  return better;
}

/**
 * Indices of the non-dominated points (the Pareto frontier), each objective taken in its own
 * direction. Points are visited best-first (lexicographically), so a point can only be
 * dominated by one already on the frontier: O(n · |frontier|) instead of O(n²). Equal points are
 * all kept (none dominates the other), as SigOpt's best_assignments does.
 */
export function paretoFrontier(points: readonly (readonly number[])[], objectives: readonly Objective[]): number[] {
  // Lexicographic best-first order: a dominating point always comes before the points it dominates.
  const lexicographic = (i: number, j: number): number => {
    for (let k = 0; k < objectives.length; k += 1) {
      const d = (objectives[k] === 'minimize' ? 1 : -1) * (points[i]![k]! - points[j]![k]!);
      if (d !== 0) return d;
    }
    return i - j;
  };
  const order = points
    .map((_, i) => i)
    .filter((i) => points[i]!.every((v) => Number.isFinite(v)))
    .sort(lexicographic);
  const front: number[] = [];
  for (const i of order) {
    if (!front.some((f) => dominates(points[f]!, points[i]!, objectives))) front.push(i);
  }
  return front.sort((a, b) => a - b);
}

/** Whether every thresholded metric meets its threshold (maximize: ≥, minimize: ≤), docs/api-compatibility.md#best-assignments. */
export function withinThresholds(
  values: readonly (number | null)[],
  thresholds: readonly (number | null)[],
  objectives: readonly Objective[],
): boolean {
  return thresholds.every((t, k) => {
    if (t === null) return true;
    const v = values[k];
    if (v === null || v === undefined) return false;
    return objectives[k] === 'minimize' ? v <= t : v >= t;
  });
}
