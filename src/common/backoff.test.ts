import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/manual-clock.ts';
import { createRng } from '../numerics/rng.ts';
import { backoffCeiling, backoffDelay, retryWithBackoff } from './backoff.ts';

const policy = { baseMs: 100, capMs: 10_000 };

describe('backoffCeiling', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 6, 7, 8, 50, 5000].map((a) => backoffCeiling(a, policy))).toEqual([
      100, 200, 400, 800, 6400, 10_000, 10_000, 10_000, 10_000,
    ]);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('is uniform over [0, ceiling) for each attempt', () => {
    const rng = createRng(42);
    const n = 20_000;
    for (const attempt of [0, 3, 10]) {
      const ceiling = backoffCeiling(attempt, policy);
      const bins = new Array<number>(10).fill(0);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const d = backoffDelay(attempt, policy, () => rng.next());
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(ceiling);
        expect(Number.isInteger(d)).toBe(true);
        sum += d;
        const bin = Math.min(9, Math.floor((d / ceiling) * 10));
        bins[bin] = (bins[bin] ?? 0) + 1;
      }
      // Mean of U[0, c) is c/2; its standard error here is c/sqrt(12n) ≈ 0.002c.
      expect(Math.abs(sum / n / ceiling - 0.5)).toBeLessThan(0.01);
      // Chi-square with 9 degrees of freedom: 27.9 is the 0.999 quantile.
      const expected = n / 10;
      const chi2 = bins.reduce((acc, b) => acc + (b - expected) ** 2 / expected, 0);
      expect(chi2).toBeLessThan(27.9);
    }
  });

  it('spreads a fleet restarting together: delays of many clients differ', () => {
    const rng = createRng(7);
    const delays = Array.from({ length: 100 }, () => backoffDelay(5, policy, () => rng.next()));
    expect(new Set(delays).size).toBeGreaterThan(90);
  });

  it('uses the extremes of the random source correctly', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(0);
    expect(backoffDelay(2, policy, () => 0.999999)).toBe(399);
  });
});

describe('retryWithBackoff', () => {
  it('retries until success, sleeping the drawn delays', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 4) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { policy, random: () => 0.5, sleep: async (ms) => void slept.push(ms) },
    );
    expect(result).toBe('ok');
    expect(slept).toEqual([50, 100, 200]);
  });

  it('throws the last error when attempts run out', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Error(`fail ${calls}`);
        },
        { maxAttempts: 3, sleep: async () => {} },
      ),
    ).rejects.toThrow('fail 3');
    expect(calls).toBe(3);
  });

  it('stops at the deadline using the injected clock', async () => {
    const clock = manualClock(0);
    const retries: number[] = [];
    await expect(
      retryWithBackoff(
        async () => {
          throw new Error('down');
        },
        {
          policy,
          deadlineMs: 1000,
          random: () => 0.99,
          clock,
          sleep: async (ms) => clock.advance(ms),
          onRetry: (_e, attempt) => retries.push(attempt),
        },
      ),
    ).rejects.toThrow('down');
    // Waits 99, 198, 396 (total 693); the next 792 would pass 1000 ms.
    expect(retries).toEqual([0, 1, 2]);
  });
});
