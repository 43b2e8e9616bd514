import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../../numerics/rng.ts';
import type { LinearConstraintSpec, ParameterSpec } from '../experiment-spec.ts';
import { assignmentKey } from './assignment-key.ts';
import { createConstrainedSampler } from './constrained-sampler.ts';
import {
  isFeasibleRegionNonEmpty,
  sampleConstrainedPoint,
  satisfiesLinearConstraints,
} from './linear-constraints.ts';
import { experimentSpecArbitrary, makeParameter, makeSpec } from '../../../test/support/kits/space-arbitraries.ts';

const lt = (terms: [string, number][], threshold: number): LinearConstraintSpec => ({
  type: 'less_than',
  terms: terms.map(([name, weight]) => ({ name, weight })),
  threshold,
});
const gt = (terms: [string, number][], threshold: number): LinearConstraintSpec => ({
  ...lt(terms, threshold),
  type: 'greater_than',
});
const doubles = (names: string[], min = 0, max = 1): ParameterSpec[] =>
  names.map((n) => makeParameter(n, { bounds: { min, max } }));
const ints = (names: string[], min: number, max: number): ParameterSpec[] =>
  names.map((n) => makeParameter(n, { type: 'int', bounds: { min, max } }));

describe('satisfiesLinearConstraints', () => {
  const spec = makeSpec({
    parameters: doubles(['x', 'y']),
    linearConstraints: [lt([['x', 1], ['y', 2]], 1), gt([['x', 1], ['y', -1]], -0.5)],
  });

  test('checks both directions', () => {
    expect(satisfiesLinearConstraints(spec, { x: 0.2, y: 0.3 })).toBe(true);
    expect(satisfiesLinearConstraints(spec, { x: 0.5, y: 0.3 })).toBe(false); // 1.1 > 1
    expect(satisfiesLinearConstraints(spec, { x: 0, y: 0.49 })).toBe(true);
    expect(satisfiesLinearConstraints(spec, { x: 0, y: 0.6 })).toBe(false); // −0.6 < −0.5
  });

  test('tolerates round-off on a face, not real violations; missing values fail', () => {
    expect(satisfiesLinearConstraints(spec, { x: 0.4 + 1e-12, y: 0.3 })).toBe(true);
    expect(satisfiesLinearConstraints(spec, { x: 0.4 + 1e-6, y: 0.3 })).toBe(false);
    expect(satisfiesLinearConstraints(spec, { x: 0.4 + 1e-6, y: 0.3 }, 1e-5)).toBe(true);
    expect(satisfiesLinearConstraints(spec, { x: 0.2 })).toBe(false);
    expect(satisfiesLinearConstraints(spec, { x: 0.2, y: 'a' })).toBe(false);
    expect(satisfiesLinearConstraints(makeSpec(), { x: 5 })).toBe(true);
  });
});

describe('isFeasibleRegionNonEmpty', () => {
  const feasible = (parameters: ParameterSpec[], linearConstraints: LinearConstraintSpec[]) =>
    isFeasibleRegionNonEmpty(makeSpec({ parameters, linearConstraints }));

  test('doubles: feasible, infeasible, equality-like and thin regions', () => {
    expect(feasible(doubles(['x', 'y']), [lt([['x', 1], ['y', 1]], 1)])).toBe(true);
    expect(feasible(doubles(['x', 'y']), [gt([['x', 1], ['y', 1]], 3)])).toBe(false);
    expect(feasible(doubles(['x', 'y']), [gt([['x', 1], ['y', 1]], 1), lt([['x', 1], ['y', 1]], 1)])).toBe(false);
    expect(feasible(doubles(['x', 'y']), [gt([['x', 1], ['y', 1]], 2 - 1e-4)])).toBe(true);
    expect(feasible(doubles(['x', 'y']), [gt([['x', 1], ['y', 1]], 2)])).toBe(false); // a single corner
    expect(feasible(makeSpec().parameters.slice(), [])).toBe(true);
  });

  test('is independent of parameter scales', () => {
    const params = [
      makeParameter('big', { bounds: { min: 0, max: 1e6 } }),
      makeParameter('tiny', { bounds: { min: 0, max: 1e-6 } }),
    ];
    expect(feasible(params, [lt([['big', 1e-6], ['tiny', 1e6]], 0.5)])).toBe(true);
  });

  test('ints: a continuous sliver without integer points is infeasible', () => {
    expect(feasible(ints(['i', 'j'], 0, 5), [gt([['i', 1], ['j', 1]], 1.5), lt([['i', 1], ['j', 1]], 1.7)])).toBe(false);
    expect(feasible(ints(['i', 'j'], 0, 5), [gt([['i', 1], ['j', 1]], 1.5), lt([['i', 1], ['j', 1]], 2.2)])).toBe(true);
    // Large box (no exhaustive search): 2i − 2j ∈ [0.5, 1.5] has no integer point.
    const big = ints(['i', 'j', 'k'], -1000, 1000);
    expect(feasible(big, [gt([['i', 2], ['j', -2]], 0.5), lt([['i', 2], ['j', -2]], 1.5)])).toBe(false);
    expect(feasible(big, [gt([['i', 2], ['j', -2], ['k', 1]], 0.5), lt([['i', 2], ['j', -2], ['k', 1]], 1.5)])).toBe(
      true,
    );
  });

  test('every generated valid spec is feasible (property)', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary({ maxParameters: 8 }).filter((s) => s.linearConstraints.length > 0), (spec) => {
        expect(isFeasibleRegionNonEmpty(spec)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('sampleConstrainedPoint', () => {
  test('rejection path: uniform on a triangle (mean 1/3) and deterministic', () => {
    const spec = makeSpec({ parameters: doubles(['x', 'y']), linearConstraints: [lt([['x', 1], ['y', 1]], 1)] });
    const rng = createRng(1);
    let sum = 0;
    const n = 4000;
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const p = sampleConstrainedPoint(spec, rng);
      if (!satisfiesLinearConstraints(spec, p, 0)) bad++;
      sum += p.x ?? 0;
    }
    expect(bad).toBe(0);
    expect(sum / n).toBeCloseTo(1 / 3, 1.5);
    expect(sampleConstrainedPoint(spec, createRng(5))).toEqual(sampleConstrainedPoint(spec, createRng(5)));
  });

  test('hit-and-run path: a thin corner of the 5-cube is sampled near-uniformly', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const spec = makeSpec({
      parameters: doubles(names),
      linearConstraints: [gt(names.map((n) => [n, 1] as [string, number]), 4.9)],
    });
    const sampler = createConstrainedSampler(spec);
    const rng = createRng(2);
    const n = 3000;
    const mean = new Array<number>(5).fill(0);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const p = sampler.sample(rng);
      if (!satisfiesLinearConstraints(spec, p)) bad++;
      names.forEach((name, j) => {
        const v = p[name] ?? 0;
        if (v < 0.9 - 1e-12 || v > 1) bad++;
        mean[j] = (mean[j] ?? 0) + v / n;
      });
    }
    expect(bad).toBe(0);
    // Uniform on the corner simplex with legs 0.1: each coordinate has mean 1 − 0.1/6.
    for (const m of mean) expect(Math.abs(m - (1 - 0.1 / 6))).toBeLessThan(0.003);
  });

  test('ints: integral, feasible, several distinct points even when rejection cannot hit', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const spec = makeSpec({
      parameters: ints(names, 0, 10),
      linearConstraints: [gt(names.map((n) => [n, 1] as [string, number]), 59)],
    });
    const sampler = createConstrainedSampler(spec);
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const p = sampler.sample(rng);
      expect(satisfiesLinearConstraints(spec, p)).toBe(true);
      for (const n of names) expect(Number.isInteger(p[n])).toBe(true);
      seen.add(assignmentKey(p, null));
    }
    expect(seen.size).toBeGreaterThanOrEqual(4); // 7 feasible points exist
  });

  test('priors shape rejection samples; infeasible specs throw', () => {
    const spec = makeSpec({
      parameters: [
        makeParameter('x', { prior: { name: 'normal', mean: 0.1, scale: 0.05 } }),
        makeParameter('y'),
      ],
      linearConstraints: [lt([['x', 1], ['y', 1]], 1.5)],
    });
    const rng = createRng(4);
    let sum = 0;
    for (let i = 0; i < 2000; i++) sum += sampleConstrainedPoint(spec, rng).x ?? 0;
    expect(Math.abs(sum / 2000 - 0.1)).toBeLessThan(0.01);
    const bad = makeSpec({ parameters: doubles(['x', 'y']), linearConstraints: [gt([['x', 1], ['y', 1]], 3)] });
    expect(() => sampleConstrainedPoint(bad, createRng(1))).toThrow(/infeasible/);
  });

  test('generated specs: every sample is feasible and within bounds (property)', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary({ maxParameters: 8 }).filter((s) => s.linearConstraints.length > 0), fc.integer(), (spec, seed) => {
        const rng = createRng(seed);
        const sampler = createConstrainedSampler(spec);
        for (let i = 0; i < 5; i++) {
          const p = sampler.sample(rng);
          expect(satisfiesLinearConstraints(spec, p)).toBe(true);
          for (const [name, v] of Object.entries(p)) {
            const param = spec.parameters.find((q) => q.name === name);
            expect(v).toBeGreaterThanOrEqual(param?.bounds?.min ?? Number.NaN);
            expect(v).toBeLessThanOrEqual(param?.bounds?.max ?? Number.NaN);
            if (param?.type === 'int') expect(Number.isInteger(v)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
