/**
 * Hypervolume dominated by a set of 2-objective points (both minimized) and bounded by `ref`.
 * Points not strictly better than `ref` in both objectives contribute nothing. O(n log n).
 */
export function hypervolume2d(
  points: readonly (readonly number[])[],
  ref: readonly [number, number],
): number {
  const inside = points
    .map((p) => [p[0] ?? Number.POSITIVE_INFINITY, p[1] ?? Number.POSITIVE_INFINITY] as const)
    .filter(([a, b]) => a < ref[0] && b < ref[1])
    .sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let volume = 0;
  let ceiling = ref[1];
  // Sweep by the first objective: a point below the current ceiling adds the strip from its
  // second objective up to the ceiling, spanning to ref in the first; dominated points add nothing.
  for (const [a, b] of inside) {
    if (b >= ceiling) continue;
    volume += (ref[0] - a) * (ceiling - b);
    ceiling = b;
  }
  return volume;
}
