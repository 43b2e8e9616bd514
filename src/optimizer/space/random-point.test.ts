import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../../numerics/rng.ts';
import { createConstrainedSampler } from './constrained-sampler.ts';
import { randomPoint, randomTask, cheapestTask } from './random-point.ts';
import { assignmentProblems, experimentSpecArbitrary, makeCategorical, makeParameter, makeSpec } from '../../../test/support/kits/space-arbitraries.ts';

function histogram<T>(draw: () => T, n: number): Map<T, number> {
  const counts = new Map<T, number>();
  for (let i = 0; i < n; i++) {
    const v = draw();
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

describe('randomPoint', () => {
  test('discrete parameters are uniform over their allowed values', () => {
    const spec = makeSpec({
      parameters: [
        makeCategorical('k', ['a', 'b', 'c'], ['b']),
        makeParameter('i', { type: 'int', bounds: { min: 1, max: 4 } }),
        makeParameter('g', { grid: [0.1, 1, 10], bounds: { min: 0.1, max: 10 }, transformation: 'log' }),
      ],
    });
    const rng = createRng(11);
    const n = 6000;
    const points = Array.from({ length: n }, () => randomPoint(spec, rng));
    const k = new Map<unknown, number>();
    for (const p of points) k.set(p.k, (k.get(p.k) ?? 0) + 1);
    expect([...k.keys()].sort()).toEqual(['a', 'c']);
    for (const c of k.values()) expect(Math.abs(c / n - 1 / 2)).toBeLessThan(0.03);
    const ints = new Map<unknown, number>();
    const grid = new Map<unknown, number>();
    for (const p of points) {
      ints.set(p.i, (ints.get(p.i) ?? 0) + 1);
      grid.set(p.g, (grid.get(p.g) ?? 0) + 1);
    }
    expect([...ints.keys()].sort()).toEqual([1, 2, 3, 4]);
    for (const c of ints.values()) expect(Math.abs(c / n - 1 / 4)).toBeLessThan(0.03);
    for (const c of grid.values()) expect(Math.abs(c / n - 1 / 3)).toBeLessThan(0.03);
  });

  test('log doubles are uniform in log space; priors shape doubles unless disabled', () => {
    const spec = makeSpec({
      parameters: [
        makeParameter('l', { bounds: { min: 1e-6, max: 1 }, transformation: 'log' }),
        makeParameter('p', { bounds: { min: 0, max: 10 }, prior: { name: 'normal', mean: 8, scale: 0.5 } }),
      ],
    });
    const rng = createRng(12);
    const n = 4000;
    let below = 0;
    let mean = 0;
    let meanNoPrior = 0;
    for (let i = 0; i < n; i++) {
      const a = randomPoint(spec, rng);
      if ((a.l as number) < 1e-3) below++;
      mean += (a.p as number) / n;
      meanNoPrior += (randomPoint(spec, rng, { usePriors: false }).p as number) / n;
    }
    expect(Math.abs(below / n - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(mean - 8)).toBeLessThan(0.05);
    expect(Math.abs(meanNoPrior - 5)).toBeLessThan(0.2);
  });

  test('conditionals are uniform and only satisfied parameters are assigned', () => {
    const spec = makeSpec({
      parameters: [makeParameter('a'), makeParameter('b', { conditions: { m: ['on'] } })],
      conditionals: [{ name: 'm', values: ['on', 'off'] }],
    });
    const rng = createRng(13);
    let on = 0;
    for (let i = 0; i < 2000; i++) {
      const p = randomPoint(spec, rng);
      expect('b' in p).toBe(p.m === 'on');
      if (p.m === 'on') on++;
    }
    expect(Math.abs(on / 2000 - 0.5)).toBeLessThan(0.04);
  });

  test('precision and linear constraints together stay feasible', () => {
    const spec = makeSpec({
      parameters: [makeParameter('x', { precision: 1 }), makeParameter('y', { precision: 1 })],
      linearConstraints: [
        {
          type: 'less_than',
          terms: [
            { name: 'x', weight: 1 },
            { name: 'y', weight: 1 },
          ],
          threshold: 0.55,
        },
      ],
    });
    const rng = createRng(14);
    for (let i = 0; i < 500; i++) {
      const p = randomPoint(spec, rng);
      expect(assignmentProblems(spec, p)).toEqual([]);
      // Here a rounded feasible neighbour always exists, so precision must hold too.
      for (const v of [p.x, p.y] as number[]) expect(Number(v.toPrecision(1))).toBe(v);
    }
  });

  test('every point of a generated spec is valid; a seed fixes the point (property)', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary(), fc.integer(), fc.boolean(), (spec, seed, usePriors) => {
        const rng = createRng(seed);
        const sampler = createConstrainedSampler(spec);
        for (let i = 0; i < 5; i++) {
          expect(assignmentProblems(spec, randomPoint(spec, rng, { usePriors, sampler }))).toEqual([]);
        }
        expect(randomPoint(spec, createRng(seed), { usePriors })).toEqual(randomPoint(spec, createRng(seed), { usePriors }));
      }),
      { numRuns: 300 },
    );
  });
});

describe('randomTask', () => {
  test('softmax over −cost (SigOpt), the server and the engine alike; null without tasks', () => {
    const spec = makeSpec({
      tasks: [
        { name: 'cheap', cost: 0.1 },
        { name: 'full', cost: 1 },
      ],
    });
    const rng = createRng(15);
    const counts = histogram(() => randomTask(spec, rng), 2000);
    const expected = Math.exp(-0.1) / (Math.exp(-0.1) + Math.exp(-1));
    expect(Math.abs((counts.get('cheap') ?? 0) / 2000 - expected)).toBeLessThan(0.04);
    expect(randomTask(makeSpec(), rng)).toBeNull();
  });

  test('cheapestTask: the design runs on the cheapest task', () => {
    expect(
      cheapestTask(
        makeSpec({
          tasks: [
            { name: 'full', cost: 1 },
            { name: 'cheap', cost: 0.1 },
          ],
        }),
      ),
    ).toBe('cheap');
    expect(cheapestTask(makeSpec())).toBeNull();
  });
});
