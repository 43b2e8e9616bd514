import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../numerics/rng.ts';
import { logAcquisition } from './acquisition.ts';
import { fitGp, type GpData } from './gp.ts';
import { defaultHyperPrior, fitHyperparameters, negLogPosterior, thetaToHyper } from './gp-hyperparameters.ts';

function data(n: number, d: number, seed: number): GpData {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * d }, () => rng.next());
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(5 * x[i * d]!) + (d > 1 ? x[i * d + 1]! ** 2 : 0));
  return { x, n, d, y, knownNoise: new Float64Array(n) };
}

describe('GP', () => {
  test('negative log posterior gradient matches finite differences', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 3, max: 15 }), fc.integer(), (d, n, seed) => {
        const dat = data(n, d, seed);
        const prior = defaultHyperPrior(d);
        const rng = createRng(seed + 1);
        const theta = Float64Array.from({ length: d + 2 }, (_, i) => (i < d ? -1 + rng.next() : i === d ? 0.2 : -3));
        const g = new Float64Array(d + 2);
        negLogPosterior(dat, prior, theta, g);
        const tmp = new Float64Array(d + 2);
        for (let i = 0; i < d + 2; i++) {
          const h = 1e-5;
          const tp = Float64Array.from(theta);
          const tm = Float64Array.from(theta);
          tp[i] = tp[i]! + h;
          tm[i] = tm[i]! - h;
          const fd = (negLogPosterior(dat, prior, tp, tmp) - negLogPosterior(dat, prior, tm, tmp)) / (2 * h);
          expect(Math.abs(g[i]! - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
        }
      }),
      { numRuns: 30 },
    );
  });

  test('posterior interpolates near-noiseless data and its input gradients match finite differences', () => {
    const dat = data(12, 2, 3);
    const model = fitGp(dat, thetaToHyper([Math.log(0.3), Math.log(0.4), 0, Math.log(1e-8)], 2))!;
    for (let i = 0; i < dat.n; i++) {
      const p = model.predict(dat.x.subarray(i * 2, i * 2 + 2));
      expect(p.mean).toBeCloseTo(dat.y[i]!, 3);
      expect(p.variance).toBeLessThan(1e-4);
    }
    const q = Float64Array.from([0.37, 0.61]);
    const gm = new Float64Array(2);
    const gv = new Float64Array(2);
    model.predict(q, gm, gv);
    const ga = new Float64Array(2);
    const ctx = { objective: model, incumbent: Math.min(...dat.y), constraints: [{ model, threshold: 0.3 }], logCost: 0 };
    logAcquisition(ctx, q, ga);
    for (let k = 0; k < 2; k++) {
      const h = 1e-6;
      const qp = Float64Array.from(q);
      const qm = Float64Array.from(q);
      qp[k] = qp[k]! + h;
      qm[k] = qm[k]! - h;
      expect(gm[k]).toBeCloseTo((model.predict(qp).mean - model.predict(qm).mean) / (2 * h), 4);
      expect(gv[k]).toBeCloseTo((model.predict(qp).variance - model.predict(qm).variance) / (2 * h), 4);
      expect(ga[k]).toBeCloseTo((logAcquisition(ctx, qp) - logAcquisition(ctx, qm)) / (2 * h), 3);
      expect(model.mean(q)).toBeCloseTo(model.predict(q).mean, 10);
    }
  });

  test('append equals refitting with the extra point', () => {
    const dat = data(10, 3, 5);
    const hyper = thetaToHyper([-1, -0.5, 0, 0.1, Math.log(1e-3)], 3);
    const model = fitGp(dat, hyper)!;
    const q = [0.2, 0.9, 0.4];
    const grown = model.append(q, 0.7, 0);
    const full = fitGp({ x: Float64Array.from([...dat.x, ...q]), n: 11, d: 3, y: Float64Array.from([...dat.y, 0.7]), knownNoise: new Float64Array(11) }, hyper)!;
    const t = [0.5, 0.5, 0.5];
    expect(grown.predict(t).mean).toBeCloseTo(full.predict(t).mean, 8);
    expect(grown.predict(t).variance).toBeCloseTo(full.predict(t).variance, 8);
  });

  test('MAP fit learns a short length scale on the wiggly dim and a long one on an irrelevant dim', () => {
    const rng = createRng(11);
    const n = 40;
    const x = Float64Array.from({ length: n * 2 }, () => rng.next());
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(8 * x[i * 2]!));
    const dat = { x, n, d: 2, y, knownNoise: new Float64Array(n) };
    const { theta } = fitHyperparameters(dat, { prior: defaultHyperPrior(2), rng });
    expect(Math.exp(theta[0]!)).toBeLessThan(Math.exp(theta[1]!) / 3);
    expect(Math.exp(theta[3]!)).toBeLessThan(1e-2);
  });
});
