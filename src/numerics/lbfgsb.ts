/**
 * Box-constrained limited-memory BFGS (projected-gradient variant in the spirit of L-BFGS-B).
 *
 * Variables at a bound whose gradient pushes outward are frozen for the step; the quasi-Newton
 * direction is computed on the free variables and the step is projected back into the box with a
 * backtracking (Armijo) line search along the projected path. Simpler than the full generalized
 * Cauchy point of L-BFGS-B, and adequate for the smooth, low-dimensional objectives here
 * (GP hyperparameters and acquisition polish).
 */

/** Objective: writes ∇f(x) into `grad` and returns f(x). May return a non-finite value to reject x. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Options for {@link minimizeBox}. */
export interface MinimizeBoxOptions {
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  readonly maxIterations?: number;
  /** Memory size of the limited-memory approximation. */
  readonly memory?: number;
  /** Stop when the projected-gradient max-norm falls below this. */
  readonly pgtol?: number;
  /** Stop when the relative decrease of f in an iteration falls below this. */
  readonly ftol?: number;
  /** Maximum number of objective evaluations. */
  readonly maxEvaluations?: number;
}

/** Result of {@link minimizeBox}. */
export interface MinimizeBoxResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly evaluations: number;
}

/** Minimizes `fn` over the box [lower, upper] starting from `x0` (projected into the box). */
export function minimizeBox(fn: ObjectiveWithGradient, x0: ArrayLike<number>, options: MinimizeBoxOptions): MinimizeBoxResult {
  const n = x0.length;
  const { lower, upper } = options;
  const maxIter = options.maxIterations ?? 100;
  const m = options.memory ?? 8;
  const pgtol = options.pgtol ?? 1e-6;
  const ftol = options.ftol ?? 1e-10;
  const maxEval = options.maxEvaluations ?? maxIter * 4 + 10;

  const project = (v: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      const lo = lower[i]!;
      const hi = upper[i]!;
      const vi = v[i]!;
      v[i] = vi < lo ? lo : vi > hi ? hi : Number.isNaN(vi) ? lo : vi;
    }
  };

  let x = Float64Array.from(x0);
  project(x);
  let g = new Float64Array(n);
  let f = fn(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, f, iterations: 0, evaluations };

  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const d = new Float64Array(n);
  const free = new Uint8Array(n);
  const alpha = new Float64Array(m);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iterations = 0;

  for (; iterations < maxIter && evaluations < maxEval; iterations++) {
    // Active set and projected-gradient convergence check.
    let pgNorm = 0;
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      const atLo = x[i]! <= lower[i]! && gi > 0;
      const atHi = x[i]! >= upper[i]! && gi < 0;
      free[i] = atLo || atHi ? 0 : 1;
      if (free[i]) pgNorm = Math.max(pgNorm, Math.abs(gi));
    }
    if (pgNorm < pgtol) break;

    // Two-loop recursion on the free variables.
    for (let i = 0; i < n; i++) d[i] = free[i] ? -g[i]! : 0;
    const k = sList.length;
    for (let j = k - 1; j >= 0; j--) {
      const s = sList[j]!;
      let a = 0;
      for (let i = 0; i < n; i++) if (free[i]) a += s[i]! * d[i]!;
      a *= rhoList[j]!;
      alpha[j] = a;
      const y = yList[j]!;
      for (let i = 0; i < n; i++) if (free[i]) d[i] = d[i]! - a * y[i]!;
    }
    if (k > 0) {
      const s = sList[k - 1]!;
      const y = yList[k - 1]!;
      let sy = 0;
      let yy = 0;
      for (let i = 0; i < n; i++) {
        sy += s[i]! * y[i]!;
        yy += y[i]! * y[i]!;
      }
      const gamma = yy > 0 ? sy / yy : 1;
      for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    }
    for (let j = 0; j < k; j++) {
      const y = yList[j]!;
      let b = 0;
      for (let i = 0; i < n; i++) if (free[i]) b += y[i]! * d[i]!;
      b *= rhoList[j]!;
      const s = sList[j]!;
      const c = alpha[j]! - b;
      for (let i = 0; i < n; i++) if (free[i]) d[i] = d[i]! + c * s[i]!;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += d[i]! * g[i]!;
    if (!(slope < 0)) {
      // Not a descent direction (stale curvature near the bounds): restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rhoList.length = 0;
      slope = 0;
      for (let i = 0; i < n; i++) {
        d[i] = free[i] ? -g[i]! : 0;
        slope -= d[i]! * d[i]!;
      }
      if (!(slope < 0)) break;
    }
    let step = 1;
    if (sList.length === 0) {
      let dn = 0;
      for (let i = 0; i < n; i++) dn = Math.max(dn, Math.abs(d[i]!));
      // First step (or after a reset): a unit step along −g can be wildly mis-scaled.
      let range = Infinity;
      for (let i = 0; i < n; i++) {
        const w = upper[i]! - lower[i]!;
        if (w > 0) range = Math.min(range, w);
      }
      const scale = Number.isFinite(range) && range > 0 ? 0.25 * range : 1;
      step = dn > 0 ? Math.min(1, scale / dn) : 1;
    }

    let accepted = false;
    let fNew = f;
    for (let ls = 0; ls < 30 && evaluations < maxEval; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      project(xNew);
      let dec = 0;
      for (let i = 0; i < n; i++) dec += g[i]! * (xNew[i]! - x[i]!);
      fNew = fn(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * Math.min(dec, 0)) {
        accepted = true;
        break;
      }
      step *= 0.3;
    }
    if (!accepted) break;

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    let ss = 0;
    for (let i = 0; i < n; i++) ss += s[i]! * s[i]!;
    if (sy > 1e-12 * ss && sy > 0) {
      if (sList.length === m) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if (fOld - f <= ftol * Math.max(Math.abs(fOld), Math.abs(f), 1)) {
      iterations++;
      break;
    }
  }
  return { x, f, iterations, evaluations };
}
