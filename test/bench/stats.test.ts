import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mannWhitneyU,
  normalizedAuc,
  quantile,
  summarize,
  verdict,
} from '../../bench/optimizer/stats.ts';

// Reference values from SciPy 1.10.1 `mannwhitneyu(a, b, method='asymptotic')`, two-sided, with and
// without the continuity correction (R's wilcox.test(exact = FALSE) agrees).
const ten = {
  a: [0.4, 0.41, 0.45, 0.39, 0.52, 0.4, 0.43, 0.47, 0.398, 0.44],
  b: [0.9, 0.5, 0.61, 0.42, 1.3, 0.7, 0.55, 0.48, 0.8, 0.66],
};

describe('mannWhitneyU', () => {
  it('matches SciPy on separated samples', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    expect(r.u).toBe(0);
    expect(r.p).toBeCloseTo(0.08085559837005224, 10);
    expect(mannWhitneyU([1, 2, 3], [4, 5, 6], { continuity: false }).p).toBeCloseTo(
      0.049534613435626706,
      10,
    );
  });

  it('matches SciPy with ties (tie-corrected variance)', () => {
    const a = [1, 2, 2, 3, 5, 5];
    const b = [2, 3, 4, 5, 6, 7, 7];
    const r = mannWhitneyU(a, b);
    expect(r.u).toBe(9.5);
    expect(r.p).toBeCloseTo(0.11105494577590766, 10);
    expect(mannWhitneyU(a, b, { continuity: false }).p).toBeCloseTo(0.09573338486463373, 10);
  });

  it('matches SciPy on a 10-vs-10 benchmark-shaped sample', () => {
    const r = mannWhitneyU(ten.a, ten.b);
    expect(r.u).toBe(7);
    expect(r.z).toBeLessThan(0);
    expect(r.p).toBeCloseTo(0.0013094231237714329, 10);
    expect(mannWhitneyU(ten.a, ten.b, { continuity: false }).p).toBeCloseTo(0.0011471011454782126, 10);
  });

  it('returns p = 1 when every value is tied or a sample is empty', () => {
    expect(mannWhitneyU([1, 1, 1], [1, 1]).p).toBe(1);
    expect(mannWhitneyU([], [1, 2]).p).toBe(1);
  });

  it('ranks +∞ (nothing feasible found) as the worst value', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5, 6], [Infinity, Infinity, Infinity, Infinity, Infinity, 7]);
    expect(r.u).toBe(0);
    expect(r.p).toBeLessThan(0.01);
  });

  it('is antisymmetric: U(a,b) + U(b,a) = n1·n2 with the same p (property)', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = mannWhitneyU(a, b);
        const ba = mannWhitneyU(b, a);
        return ab.u + ba.u === a.length * b.length && Math.abs(ab.p - ba.p) < 1e-12 && ab.p <= 1;
      }),
    );
  });
});

describe('verdict', () => {
  it('calls significantly lower results a win and higher a loss', () => {
    expect(verdict(ten.a, ten.b)).toBe('win');
    expect(verdict(ten.b, ten.a)).toBe('loss');
    expect(verdict([1, 2, 3], [4, 5, 6])).toBe('tie');
  });
});

describe('descriptive statistics', () => {
  it('computes type-7 quantiles', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(summarize([5, 1, 4, 2, 3])).toEqual({ median: 3, q1: 2, q3: 4 });
    expect(quantile([1, Infinity, Infinity], 0.75)).toBe(Infinity);
    expect(Number.isNaN(quantile([], 0.5))).toBe(true);
  });

  it('normalizes the area under the best-so-far curve', () => {
    expect(normalizedAuc([10, 5, 0], 0, 10)).toBeCloseTo(0.5, 12);
    // Values beyond the reference or +∞ count as 1, values at the optimum as 0.
    expect(normalizedAuc([Infinity, 20, 0, -1], 0, 10)).toBeCloseTo(0.5, 12);
  });
});
