import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../numerics/rng.ts';
import { CandidateSet } from './candidate-set.ts';
import { fitGp, type GpData, type GpHyperparameters } from './gp.ts';
import { IncrementalGp } from './incremental-gp.ts';

function sample(n: number, d: number, seed: number, noisy: boolean): GpData {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.next());
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(4 * x[i * d]!) + (d > 1 ? x[i * d + 1]! ** 2 : 0) + 0.1 * rng.normal());
  const knownNoise = Float64Array.from({ length: n }, () => (noisy ? 0.01 * rng.next() : 0));
  return { x, n, d, y, knownNoise };
}

function hyper(d: number, seed: number): GpHyperparameters {
  const rng = createRng(seed);
  return {
    lengthscales: Float64Array.from({ length: d }, () => 0.2 + rng.next()),
    signal: 0.5 + rng.next(),
    noise: 1e-4 + 0.01 * rng.next(),
  };
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('IncrementalGp', () => {
  test('after any sequence of appends the factor and posterior equal a fit from scratch (1e-8 relative)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer(),
        fc.boolean(),
        (d, n0, k, seed, noisy) => {
          const all = sample(n0 + k, d, seed, noisy);
          const h = hyper(d, seed + 1);
          const take = (n: number): GpData => ({
            x: all.x.slice(0, n * d),
            n,
            d,
            y: all.y.slice(0, n),
            knownNoise: all.knownNoise.slice(0, n),
          });
          const inc = IncrementalGp.fit(take(n0), h)!;
          for (let i = n0; i < n0 + k; i++) inc.append(all.x.subarray(i * d, (i + 1) * d), all.y[i]!, all.knownNoise[i]!);
          const scratch = IncrementalGp.fit(take(n0 + k), h)!;
          expect(inc.n).toBe(n0 + k);
          // Same jitter on both sides, or the matrices differ: compare only when no jitter was needed.
          if (inc.jitter !== 0 || scratch.jitter !== 0) return;
          const a = inc.cholesky.toDense();
          const b = scratch.cholesky.toDense();
          for (let i = 0; i < a.length; i++) expect(rel(a[i]!, b[i]!)).toBeLessThan(1e-8);
          const reference = fitGp(take(n0 + k), h)!;
          const rng = createRng(seed + 2);
          for (let t = 0; t < 5; t++) {
            const q = Float64Array.from({ length: d }, () => rng.next());
            const p = inc.model().predict(q);
            const r = reference.predict(q);
            expect(rel(p.mean, r.mean)).toBeLessThan(1e-8);
            expect(rel(p.variance, r.variance)).toBeLessThan(1e-8);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('fantasies are dropped without a trace', () => {
    const data = sample(10, 3, 7, false);
    const gp = IncrementalGp.fit(data, hyper(3, 8))!;
    const q = Float64Array.of(0.3, 0.6, 0.9);
    const before = gp.model().predict(q);
    gp.append(Float64Array.of(0.31, 0.6, 0.9), gp.mean(q), 0, true);
    expect(gp.model().predict(q).variance).toBeLessThan(before.variance);
    gp.dropFantasies();
    expect(gp.n).toBe(10);
    expect(gp.model().predict(q)).toEqual(before);
    expect(() => {
      gp.append(q, 0, 0, true);
      gp.append(q, 0, 0);
    }).toThrow(/drop fantasies/);
  });
});

describe('CandidateSet', () => {
  test('maintained means and variances equal direct predictions after appends and fantasies', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (d, n0, k, seed) => {
          const all = sample(n0 + k + 2, d, seed, true);
          const h = hyper(d, seed + 3);
          const gp = IncrementalGp.fit(
            { x: all.x.slice(0, n0 * d), n: n0, d, y: all.y.slice(0, n0), knownNoise: all.knownNoise.slice(0, n0) },
            h,
          )!;
          const set = new CandidateSet([gp]);
          const rng = createRng(seed + 4);
          for (let c = 0; c < 20; c++)
            set.add(
              Float64Array.from({ length: d }, () => rng.next()),
              c % 2 ? 'local' : 'global',
              0,
            );
          for (let i = n0; i < n0 + k; i++) {
            set.observe(0, gp.append(all.x.subarray(i * d, (i + 1) * d), all.y[i]!, all.knownNoise[i]!));
            if (i % 3 === 0) set.remove(i % set.size);
          }
          const reduction = new Float64Array(set.size);
          const f = all.x.subarray((n0 + k) * d, (n0 + k + 1) * d);
          set.observe(0, gp.append(f, gp.mean(f), 0, true), reduction);
          const model = gp.model();
          for (let c = 0; c < set.size; c++) {
            const p = model.predict(set.point(c));
            const m = set.moments(0, c, reduction[c]);
            expect(Math.abs(m.mean - p.mean)).toBeLessThan(1e-8 * Math.max(1, Math.abs(p.mean)));
            expect(Math.abs(m.variance - p.variance)).toBeLessThan(1e-8 * h.signal);
          }
          gp.dropFantasies();
        },
      ),
      { numRuns: 60 },
    );
  });
});
