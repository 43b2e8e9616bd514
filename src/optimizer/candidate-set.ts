/**
 * A maintained set C of candidate points with every model's posterior on it (optimizer-notes §17).
 *
 * Per candidate c and model g it keeps v = L⁻¹k(X, c), μ_c = vᵀz and s_c = ‖v‖², so σ²_c = s² − s_c.
 * When an observation x* is appended to g, the old entries of v do not change; the new one is
 * (k(x*, c) − vᵀl) / pivot with l = L⁻¹k(X, x*), and μ_c, s_c move by v·z_new and v²: O(n) per
 * candidate instead of an O(n²) solve. A fantasy (pending point) only adds to a caller-held
 * variance reduction, so the real moments stay untouched and the fantasy rows are simply dropped.
 */

import { logFeasibilityTerm, logImprovementTerm, type Moments } from './acquisition.ts';
import type { GpAppendStep, IncrementalGp } from './incremental-gp.ts';

/** Where a candidate came from: the global space-filling part or a perturbation of a good point. */
export type CandidateKind = 'global' | 'local';

/** See the module comment. */
export class CandidateSet {
  private readonly pts: Float64Array[] = [];
  private readonly kindOf: CandidateKind[] = [];
  private readonly bornAt: number[] = [];
  /** cols[g][c]: L_g⁻¹ k_g(X, c) with spare capacity for appends. */
  private readonly cols: Float64Array[][];
  private readonly mu: number[][];
  private readonly ss: number[][];

  constructor(private readonly gps: readonly IncrementalGp[]) {
    this.cols = gps.map(() => []);
    this.mu = gps.map(() => []);
    this.ss = gps.map(() => []);
  }

  get size(): number {
    return this.pts.length;
  }

  point(c: number): Float64Array {
    return this.pts[c]!;
  }

  kind(c: number): CandidateKind {
    return this.kindOf[c]!;
  }

  /** The step (observation count) at which the candidate was added. */
  born(c: number): number {
    return this.bornAt[c]!;
  }

  /** Adds a point: one O(n²) triangular solve per model. */
  add(x: Float64Array, kind: CandidateKind, step: number): void {
    this.pts.push(x);
    this.kindOf.push(kind);
    this.bornAt.push(step);
    this.gps.forEach((gp, g) => {
      const n = gp.n;
      const col = new Float64Array(n + 32);
      gp.cholesky.solveLower(gp.kernelColumn(x, new Float64Array(n)), col);
      const z = gp.z;
      let m = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        m += col[i]! * z[i]!;
        s += col[i]! * col[i]!;
      }
      this.cols[g]!.push(col);
      this.mu[g]!.push(m);
      this.ss[g]!.push(s);
    });
  }

  /** Removes candidate c (the last one takes its index). */
  remove(c: number): void {
    const last = this.pts.length - 1;
    const swap = <T>(a: T[]) => {
      a[c] = a[last]!;
      a.pop();
    };
    swap(this.pts);
    swap(this.kindOf);
    swap(this.bornAt);
    for (let g = 0; g < this.gps.length; g++) {
      swap(this.cols[g]!);
      swap(this.mu[g]!);
      swap(this.ss[g]!);
    }
  }

  /**
   * Model g just appended `step` (its new row has index gp.n − 1). A real observation updates the
   * moments; a fantasy adds its variance reduction to `fantasyReduction[c]` instead.
   */
  observe(g: number, step: GpAppendStep, fantasyReduction?: Float64Array): void {
    const gp = this.gps[g]!;
    const n = gp.n - 1;
    const cols = this.cols[g]!;
    const mu = this.mu[g]!;
    const ss = this.ss[g]!;
    const { l, pivot, zNew, x } = step;
    for (let c = 0; c < this.pts.length; c++) {
      let col = cols[c]!;
      if (col.length <= n) {
        const grown = new Float64Array(2 * col.length + 1);
        grown.set(col);
        cols[c] = col = grown;
      }
      let dot = 0;
      for (let i = 0; i < n; i++) dot += col[i]! * l[i]!;
      const v = (gp.covariance(x, 0, this.pts[c]!, 0) - dot) / pivot;
      col[n] = v;
      if (fantasyReduction !== undefined) fantasyReduction[c] = fantasyReduction[c]! + v * v;
      else {
        mu[c] = mu[c]! + v * zNew;
        ss[c] = ss[c]! + v * v;
      }
    }
  }

  /** Posterior moments of model g at candidate c, less a fantasy variance reduction. */
  moments(g: number, c: number, fantasyReduction = 0): Moments {
    const s2 = this.gps[g]!.hyper.signal;
    return { mean: this.mu[g]![c]!, variance: Math.max(s2 - this.ss[g]![c]! - fantasyReduction, 1e-12 * s2) };
  }

  /**
   * The log acquisition of every candidate from its moments (acquisition.ts: log EI of model 0
   * below `incumbent` unless null, plus log P(model g ≤ thresholds[g − 1]) for the others, plus
   * `logSuccess`), less the fantasies' variance `reductions`; written into `out`. No allocation:
   * this is the per-suggestion O(m) scan.
   */
  scoreAll(incumbent: number | null, thresholds: readonly number[], reductions: readonly Float64Array[], logSuccess: Float64Array | null, out: Float64Array): void {
    const m = this.pts.length;
    for (let c = 0; c < m; c++) out[c] = logSuccess === null ? 0 : logSuccess[c]!;
    for (let g = 0; g < this.gps.length; g++) {
      if (g === 0 && incumbent === null) continue;
      const s2 = this.gps[g]!.hyper.signal;
      const floor = 1e-12 * s2;
      const mu = this.mu[g]!;
      const ss = this.ss[g]!;
      const red = reductions[g]!;
      for (let c = 0; c < m; c++) {
        const variance = Math.max(s2 - ss[c]! - red[c]!, floor);
        out[c] = out[c]! + (g === 0 ? logImprovementTerm(incumbent!, mu[c]!, variance) : logFeasibilityTerm(thresholds[g - 1]!, mu[c]!, variance));
      }
    }
    for (let c = 0; c < m; c++) if (!Number.isFinite(out[c]!)) out[c] = -1e300;
  }

  /** Approximate bytes held (warm-model memory accounting). */
  get bytes(): number {
    let b = 0;
    for (const cols of this.cols) for (const c of cols) b += c.byteLength;
    return b + this.pts.length * (this.pts[0]?.byteLength ?? 0);
  }
}
