import { normalCdf } from '../../src/numerics/normal.ts';

/** Result of a two-sided Mann-Whitney U test of sample `a` against sample `b`. */
export interface MannWhitneyResult {
  /** U statistic of `a`: the number of pairs (x ∈ a, y ∈ b) with x > y, ties counting ½. */
  readonly u: number;
  /** Standardized statistic (negative when `a` tends to be smaller). 0 when undefined. */
  readonly z: number;
  /** Two-sided p-value from the normal approximation. 1 when the test is undefined. */
  readonly p: number;
}

/**
 * Two-sided Mann-Whitney U test with the normal approximation, the tie correction of the variance,
 * and a continuity correction of ½ (the defaults of R's `wilcox.test(exact = FALSE)` and SciPy's
 * asymptotic method). The normal approximation is coarse below ~8 per group, which is why the
 * benchmark runs 10 seeds.
 */
export function mannWhitneyU(
  a: readonly number[],
  b: readonly number[],
  options: { readonly continuity?: boolean } = {},
): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, p: 1 };
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort(
    (x, y) => cmp(x.v, y.v),
  );
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && cmp(all[j + 1]?.v ?? NaN, all[i]?.v ?? NaN) === 0) j++;
    const t = j - i + 1;
    // Tied values share the mean of the ranks they span (1-based ranks i+1 … j+1).
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (all[k]?.g === 0) rankSumA += rank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, p: 1 };
  const diff = u - mean;
  const cc = options.continuity === false ? 0 : 0.5;
  const z = Math.sign(diff) * Math.max(0, Math.abs(diff) - cc) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

/**
 * Total order used for ranking: +∞ (no feasible point found) ranks worst, NaN after it, so a run
 * that never found a feasible point loses to any run that did.
 */
function cmp(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Outcome of comparing our optimizer's results with another's (lower values are better). */
export type Verdict = 'win' | 'tie' | 'loss';

/**
 * Win when our results are significantly lower (p < alpha), loss when significantly higher,
 * tie otherwise.
 */
export function verdict(ours: readonly number[], theirs: readonly number[], alpha = 0.05): Verdict {
  const r = mannWhitneyU(ours, theirs);
  if (r.p >= alpha) return 'tie';
  return r.z < 0 ? 'win' : 'loss';
}

/** Linear-interpolation quantile (R type 7), q ∈ [0, 1]. NaN for an empty sample. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort(cmp);
  if (s.length === 0) return Number.NaN;
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const a = s[lo] ?? Number.NaN;
  const b = s[Math.min(lo + 1, s.length - 1)] ?? Number.NaN;
  // Avoid ∞ − ∞ = NaN when both neighbours are +∞.
  return a === b ? a : a + (h - lo) * (b - a);
}

/** Median and interquartile range of a sample. */
export function summarize(values: readonly number[]): { median: number; q1: number; q3: number } {
  return { median: quantile(values, 0.5), q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}

/**
 * Normalized area under a best-so-far curve: the mean over evaluations of the remaining gap
 * (best − optimum) / (reference − optimum), each term clipped to [0, 1]. 0 means the optimum was
 * hit at the first evaluation; 1 means never better than `reference` (a typical random point).
 * Lower is better; it rewards getting good early, not only ending good.
 */
export function normalizedAuc(curve: readonly number[], optimum: number, reference: number): number {
  if (curve.length === 0) return Number.NaN;
  const span = reference - optimum;
  let sum = 0;
  for (const v of curve) {
    const g = span > 0 ? (v - optimum) / span : v <= optimum ? 0 : 1;
    sum += Number.isNaN(g) ? 1 : Math.min(1, Math.max(0, g));
  }
  return sum / curve.length;
}
