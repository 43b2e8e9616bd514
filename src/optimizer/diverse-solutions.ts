/**
 * Support for `num_solutions` > 1: the experiment wants k good *and different* solutions, not k
 * copies of the best basin.
 *
 * The engine keeps k "solution slots": greedily, the best observed points by posterior mean that
 * lie in different basins of the posterior mean (see {@link diverseSolutionIndices}). Each call serves one slot in rotation. Slot 0 is
 * plain EI (the global best must keep improving); slot j > 0 maximizes EI against the j-th
 * solution's own value, restricted (softly) to the Voronoi cell of the j-th solution, so the
 * search improves the j-th basin instead of drifting back to the best one; while fewer than k
 * basins are known, the extra slots maximize EI with a repulsion factor around every known
 * solution, looking for a new basin.
 */

/** Minimum distance between two solutions in the unit box, for a box of dimension D. */
export function solutionRadius(d: number): number {
  // ~15 % of the range in every coordinate; scales with √D like box diagonals do.
  return 0.15 * Math.sqrt(Math.max(1, d));
}

/** Points checked along a segment for a ridge between two basins. */
const RIDGE_STEPS = 8;
/** How far (standardized units) the posterior mean must rise between two points to call them two basins. */
const RIDGE_HEIGHT = 0.1;
/** Ranked points examined: solutions come from the top of the ranking, and each test costs O(n·D). */
const MAX_EXAMINED = 60;

/**
 * Indices (into a best-first ranking) of up to k points in different basins: the greedy diverse
 * top set. A point joins when, for every point already chosen, it is at least r/2 away and the
 * posterior mean rises by ≥ RIDGE_HEIGHT somewhere on the segment between them. Why the ridge test:
 * a distance rule alone picks a point on the slope of the best basin as the "second solution", and
 * refining it only walks back into the first basin.
 */
export function diverseSolutionIndices(
  count: number,
  point: (i: number) => ArrayLike<number>,
  mean: (x: ArrayLike<number>) => number,
  k: number,
  r: number,
): number[] {
  const chosen: number[] = [];
  const means: number[] = [];
  const r2 = (r * r) / 4;
  const n = Math.min(count, MAX_EXAMINED);
  for (let i = 0; i < n && chosen.length < k; i++) {
    const p = point(i);
    const mp = mean(p);
    const separate = chosen.every((j, c) => {
      const q = point(j);
      if (dist2(q, p) < r2) return false;
      const level = Math.max(mp, means[c]!) + RIDGE_HEIGHT;
      const t = new Float64Array(p.length);
      for (let s = 1; s < RIDGE_STEPS; s++) {
        const w = s / RIDGE_STEPS;
        for (let d = 0; d < p.length; d++) t[d] = q[d]! + w * (p[d]! - q[d]!);
        if (mean(t) >= level) return true;
      }
      return false;
    });
    if (separate) {
      chosen.push(i);
      means.push(mp);
    }
  }
  return chosen;
}

/**
 * ln(1 − exp(−‖x − s‖² / (2ρ²))) summed over the centres: 0 far from every centre, −∞ on one.
 * Fills ∂/∂x into `grad` (added to its contents) when given.
 */
export function logRepulsion(x: ArrayLike<number>, centres: readonly ArrayLike<number>[], rho: number, grad?: Float64Array): number {
  let value = 0;
  const inv = 1 / (2 * rho * rho);
  for (const s of centres) {
    const q = Math.max(dist2(x, s) * inv, 1e-12);
    // ln(−expm1(−q)) is accurate for small q, where 1 − e^{−q} cancels.
    value += Math.log(-Math.expm1(-q));
    if (grad !== undefined) {
      // d/dq ln(1 − e^{−q}) = 1 / (e^{q} − 1); dq/dx = (x − s)/ρ².
      const dq = 1 / Math.expm1(q);
      for (let k = 0; k < x.length; k++) grad[k] = grad[k]! + dq * 2 * inv * (x[k]! - s[k]!);
    }
  }
  return value;
}

/**
 * Σ over the other solutions of ln σ((‖x − o‖² − ‖x − own‖²)/τ): ≈ 0 inside the Voronoi cell of
 * `own`, falling off linearly (in log space) beyond it. Keeps a slot's search in its own basin: a
 * repulsion ball alone is not enough when the best basin is broad, since any point of it beats the
 * slot's incumbent. Adds ∂/∂x into `grad` when given.
 */
export function logVoronoi(x: ArrayLike<number>, own: ArrayLike<number>, others: readonly ArrayLike<number>[], tau: number, grad?: Float64Array): number {
  let value = 0;
  const dOwn = dist2(x, own);
  for (const o of others) {
    const u = (dist2(x, o) - dOwn) / tau;
    // ln σ(u) = −softplus(−u), computed without overflow.
    value += u >= 0 ? -Math.log1p(Math.exp(-u)) : u - Math.log1p(Math.exp(u));
    if (grad !== undefined) {
      const w = 1 / (1 + Math.exp(u)); // 1 − σ(u)
      for (let k = 0; k < x.length; k++) grad[k] = grad[k]! + (w * 2 * (own[k]! - o[k]!)) / tau;
    }
  }
  return value;
}

function dist2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s;
}
