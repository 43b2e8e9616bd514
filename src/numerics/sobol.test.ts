import { describe, expect, test } from 'vitest';
import { createRng } from './rng.ts';
import { createSobolSequence, SOBOL_MAX_DIMENSION } from './sobol.ts';

// scipy.stats.qmc.Sobol(d=1024, scramble=False): first 16 points of selected dimensions.
const REFERENCE: Record<number, number[]> = {
  0: [0, 0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125, 0.1875, 0.6875, 0.9375, 0.4375, 0.3125, 0.8125, 0.5625, 0.0625],
  1: [0, 0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625, 0.3125, 0.8125, 0.0625, 0.5625, 0.1875, 0.6875, 0.4375, 0.9375],
  2: [0, 0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375, 0.9375, 0.4375, 0.6875, 0.1875, 0.3125, 0.8125, 0.0625, 0.5625],
  5: [0, 0.5, 0.75, 0.25, 0.125, 0.625, 0.875, 0.375, 0.3125, 0.8125, 0.5625, 0.0625, 0.4375, 0.9375, 0.6875, 0.1875],
  63: [0, 0.5, 0.75, 0.25, 0.125, 0.625, 0.875, 0.375, 0.6875, 0.1875, 0.4375, 0.9375, 0.5625, 0.0625, 0.3125, 0.8125],
  1023: [0, 0.5, 0.75, 0.25, 0.875, 0.375, 0.125, 0.625, 0.0625, 0.5625, 0.8125, 0.3125, 0.9375, 0.4375, 0.1875, 0.6875],
};
// Same source, points 12345 and 54321 scaled by 2^16, dimensions [0, 1, 2, 3, 10, 100, 500, 1023].
const DEEP_DIMS = [0, 1, 2, 3, 10, 100, 500, 1023];
const DEEP: Record<number, number[]> = {
  12345: [42004, 53308, 10508, 34524, 4868, 35356, 19828, 37820],
  54321: [38013, 38699, 48017, 12657, 5347, 35871, 40649, 43275],
};

/** Squared L2-star discrepancy by Warnock's formula. */
function l2StarDiscrepancy(points: Float64Array, n: number, d: number): number {
  let a = 0;
  for (let i = 0; i < n; i++) {
    let prod = 1;
    for (let k = 0; k < d; k++) prod *= 1 - (points[i * d + k] ?? 0) ** 2;
    a += prod;
  }
  let b = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let prod = 1;
      for (let k = 0; k < d; k++) prod *= 1 - Math.max(points[i * d + k] ?? 0, points[j * d + k] ?? 0);
      b += prod;
    }
  }
  return 3 ** -d - (2 ** (1 - d) / n) * a + b / (n * n);
}

describe('createSobolSequence', () => {
  test('unscrambled points match published values (Joe–Kuo numbers via SciPy)', () => {
    const seq = createSobolSequence(SOBOL_MAX_DIMENSION);
    const pts = seq.points(0, 16);
    for (const [dim, values] of Object.entries(REFERENCE)) {
      const d = Number(dim);
      expect(values.map((_, i) => pts[i * SOBOL_MAX_DIMENSION + d])).toEqual(values);
    }
    for (const [index, values] of Object.entries(DEEP)) {
      const p = seq.point(Number(index));
      expect(DEEP_DIMS.map((d) => Math.round((p[d] ?? 0) * 65536))).toEqual(values);
    }
  });

  test('points(start, count) equals point(i) one by one, scrambled too', () => {
    const seq = createSobolSequence(7, createRng(3));
    const block = seq.points(1000, 40);
    for (let i = 0; i < 40; i++) expect([...block.subarray(i * 7, i * 7 + 7)]).toEqual([...seq.point(1000 + i)]);
  });

  test('scrambled: in [0, 1), deterministic per seed, different across seeds', () => {
    const a = createSobolSequence(1100, createRng(1)).points(0, 64);
    const b = createSobolSequence(1100, createRng(1)).points(0, 64);
    const c = createSobolSequence(1100, createRng(2)).points(0, 64);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(a[0]).not.toBe(0); // no all-zeros first point
  });

  test('scrambling keeps the net property: 2^m points stratify every 1-D and the first 2-D projection', () => {
    const d = 64;
    const m = 8;
    const n = 2 ** m;
    const pts = createSobolSequence(d, createRng(4)).points(0, n);
    for (let k = 0; k < d; k++) {
      const cells = new Set<number>();
      for (let i = 0; i < n; i++) cells.add(Math.floor((pts[i * d + k] ?? 0) * n));
      expect(cells.size).toBe(n);
    }
    // Dimensions 1 and 2 form a (0, 2)-sequence: every elementary box of volume 2^−m holds one point.
    for (let a = 0; a <= m; a++) {
      const cells = new Set<number>();
      for (let i = 0; i < n; i++) {
        const x = Math.floor((pts[i * d] ?? 0) * 2 ** a);
        const y = Math.floor((pts[i * d + 1] ?? 0) * 2 ** (m - a));
        cells.add(x * 2 ** (m - a) + y);
      }
      expect(cells.size).toBe(n);
    }
  });

  test('discrepancy is far below that of random points', () => {
    const d = 5;
    const n = 256;
    const sobol: number[] = [];
    const random: number[] = [];
    for (let seed = 1; seed <= 5; seed++) {
      sobol.push(l2StarDiscrepancy(createSobolSequence(d, createRng(seed)).points(0, n), n, d));
      const rng = createRng(100 + seed);
      random.push(l2StarDiscrepancy(Float64Array.from({ length: n * d }, () => rng.next()), n, d));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(sobol)).toBeLessThan(0.2 * mean(random));
  });

  test('rejects invalid arguments', () => {
    expect(() => createSobolSequence(0)).toThrow(RangeError);
    expect(() => createSobolSequence(2).point(-1)).toThrow(RangeError);
    expect(() => createSobolSequence(2).point(2 ** 32)).toThrow(RangeError);
  });
});
