/**
 * Plain definitions of the classic synthetic test functions (any dimension where the function is
 * defined for any), shared by the benchmark problems and their tests.
 */
export const classicFunctions = {
  rosenbrock(x: readonly number[]): number {
    let s = 0;
    for (let i = 0; i + 1 < x.length; i++) {
      const xi = x[i] ?? 0;
      const xn = x[i + 1] ?? 0;
      s += 100 * (xn - xi * xi) ** 2 + (xi - 1) ** 2;
    }
    return s;
  },
  ackley(x: readonly number[]): number {
    const d = x.length;
    let sq = 0;
    let cs = 0;
    for (const v of x) {
      sq += v * v;
      cs += Math.cos(2 * Math.PI * v);
    }
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / d)) - Math.exp(cs / d) + 20 + Math.E;
  },
  levy(x: readonly number[]): number {
    const w = x.map((v) => 1 + (v - 1) / 4);
    const d = w.length;
    const w0 = w[0] ?? 1;
    const wd = w[d - 1] ?? 1;
    let s = Math.sin(Math.PI * w0) ** 2;
    for (let i = 0; i < d - 1; i++) {
      const wi = w[i] ?? 1;
      s += (wi - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * wi + 1) ** 2);
    }
    return s + (wd - 1) ** 2 * (1 + Math.sin(2 * Math.PI * wd) ** 2);
  },
  styblinskiTang(x: readonly number[]): number {
    let s = 0;
    for (const v of x) s += v ** 4 - 16 * v * v + 5 * v;
    return s / 2;
  },
  goldsteinPrice(x: readonly number[]): number {
    const a = x[0] ?? 0;
    const b = x[1] ?? 0;
    const t1 = 1 + (a + b + 1) ** 2 * (19 - 14 * a + 3 * a * a - 14 * b + 6 * a * b + 3 * b * b);
    const t2 =
      30 + (2 * a - 3 * b) ** 2 * (18 - 32 * a + 12 * a * a + 48 * b - 36 * a * b + 27 * b * b);
    return t1 * t2;
  },
  rastrigin(x: readonly number[]): number {
    let s = 10 * x.length;
    for (const v of x) s += v * v - 10 * Math.cos(2 * Math.PI * v);
    return s;
  },
};

/** Styblinski-Tang's per-coordinate minimizer, the root of 4x³ − 32x + 5 = 0 near −2.9. */
export const STYBLINSKI_TANG_ARGMIN = -2.903534027771178;
