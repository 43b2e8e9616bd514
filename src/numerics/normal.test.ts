import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { logH, logHGrad } from './log-ei.ts';
import { millsRatio, normalCdf, normalLogCdf, normalLogCdfGrad, normalPdf } from './normal.ts';

// Reference values (high-precision, e.g. from mpmath).
const CDF: [number, number][] = [
  [-40, 3.655893540915e-350 * 0], // underflows in double precision
  [-37, 5.7255712225239e-300],
  [-10, 7.61985302416047e-24],
  [-5, 2.866515718791939e-7],
  [-3, 0.0013498980316301],
  [-1, 0.15865525393145707],
  [0, 0.5],
  [1.5, 0.9331927987311419],
  [4, 0.9999683287581669],
];

describe('normal distribution', () => {
  test('Φ matches reference values with relative accuracy', () => {
    for (const [z, p] of CDF) {
      if (p === 0) continue;
      expect(Math.abs(normalCdf(z) - p) / p).toBeLessThan(1e-12);
    }
  });

  test('log Φ matches in the far tail', () => {
    expect(normalLogCdf(-100)).toBeCloseTo(-5005.5242086942, 8);
    expect(normalLogCdf(-40)).toBeCloseTo(-804.6084420137538, 8);
    expect(normalLogCdf(-5)).toBeCloseTo(Math.log(2.866515718791939e-7), 10);
    expect(normalLogCdf(10)).toBeCloseTo(-7.61985302416047e-24, 30);
  });

  test('Φ is monotone, symmetric, and continuous across branch points', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (z) => {
        expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 12);
        expect(normalCdf(z + 1e-3)).toBeGreaterThanOrEqual(normalCdf(z));
      }),
    );
    for (const b of [-3, 3]) expect(normalCdf(b - 1e-12)).toBeCloseTo(normalCdf(b + 1e-12), 12);
  });

  test('Mills ratio satisfies R′(x) = xR(x) − 1', () => {
    for (const x of [0.5, 2.9, 3.1, 6, 20]) {
      const h = 1e-5;
      const deriv = (millsRatio(x + h) - millsRatio(x - h)) / (2 * h);
      expect(deriv).toBeCloseTo(x * millsRatio(x) - 1, 6);
    }
  });

  test('log Φ gradient matches finite differences', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 8, noNaN: true }), (z) => {
        const h = 1e-5;
        const fd = (normalLogCdf(z + h) - normalLogCdf(z - h)) / (2 * h);
        expect(Math.abs(normalLogCdfGrad(z) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }),
    );
  });
});

describe('log h (log EI kernel)', () => {
  test('equals log(φ(z) + zΦ(z)) where that is accurate', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 10, noNaN: true }), (z) => {
        const direct = Math.log(normalPdf(z) + z * normalCdf(z));
        expect(logH(z)).toBeCloseTo(direct, 6);
      }),
    );
  });

  test('is finite, increasing and smooth far into the tail', () => {
    let prev = -Infinity;
    for (let z = -1e4; z < 5; z += 0.731) {
      const v = logH(z);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    // Asymptote: log h(z) ≈ −z²/2 − ½log 2π − 2 log|z|.
    const z = -200;
    expect(logH(z)).toBeCloseTo(-0.5 * z * z - 0.9189385332046728 - 2 * Math.log(200), 3);
  });

  test('gradient matches finite differences, including across branch points', () => {
    fc.assert(
      fc.property(fc.double({ min: -500, max: 8, noNaN: true }), (z) => {
        const h = 1e-5 * Math.max(1, Math.abs(z));
        const fd = (logH(z + h) - logH(z - h)) / (2 * h);
        expect(Math.abs(logHGrad(z) - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
      }),
    );
  });
});
