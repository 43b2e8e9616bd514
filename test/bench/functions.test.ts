import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numerics/rng.ts';
import type { Assignments } from '../../src/optimizer/experiment-spec.ts';
import {
  BRANIN_CURRIN_REF,
  braninCurrin,
  braninCurrinProblem,
} from '../../bench/optimizer/functions/branin-currin.ts';
import { braninProblem } from '../../bench/optimizer/functions/branin.ts';
import type { BoxFunction } from '../../bench/optimizer/functions/box-problem.ts';
import { classicProblems } from '../../bench/optimizer/functions/classic-problems.ts';
import { constrainedBraninProblem } from '../../bench/optimizer/functions/constrained-branin.ts';
import { hartmann3Problem, hartmann6Problem } from '../../bench/optimizer/functions/hartmann.ts';
import { hypervolume2d } from '../../bench/optimizer/functions/hypervolume-2d.ts';
import { benchProblems, problemByName } from '../../bench/optimizer/functions/index.ts';
import { mixedProblem } from '../../bench/optimizer/functions/mixed.ts';
import { noisyHartmann6Problem } from '../../bench/optimizer/functions/noisy-hartmann6.ts';

const boxProblems = [braninProblem, hartmann3Problem, hartmann6Problem, ...classicProblems];

function at(x: readonly number[]): Assignments {
  return Object.fromEntries(x.map((v, i) => [`x${i + 1}`, v]));
}

describe('box test functions', () => {
  for (const p of boxProblems) {
    const src: BoxFunction = p.source;
    it(`${p.name} attains its published minimum at its argmin`, () => {
      const y = p.evaluate(at(src.argmin), createRng(1)).scores[0] ?? NaN;
      // Published argmins are rounded to ~6 digits, hence the tolerance.
      expect(y).toBeCloseTo(p.optimum, 4);
    });
    it(`${p.name} never goes below its minimum inside the box`, () => {
      const point = fc.tuple(...src.bounds.map(([lo, hi]) => fc.double({ min: lo, max: hi, noNaN: true })));
      fc.assert(
        fc.property(point, (x) => (p.evaluate(at(x), createRng(1)).scores[0] ?? NaN) >= p.optimum - 1e-9),
      );
    });
  }

  it('Branin has the same value at its three minima', () => {
    for (const x of [[-Math.PI, 12.275], [Math.PI, 2.275], [9.42478, 2.475]]) {
      expect(braninProblem.evaluate(at(x), createRng(1)).scores[0]).toBeCloseTo(0.397887, 5);
    }
  });

  it('budgets follow 10 × d with a floor of 20', () => {
    expect(problemByName('branin').budget).toBe(20);
    expect(problemByName('hartmann3').budget).toBe(30);
    expect(problemByName('styblinski-tang8').budget).toBe(80);
    expect(problemByName('mixed').budget).toBe(40);
    // Two objectives get twice the rule (see branin-currin.ts).
    expect(problemByName('branin-currin').budget).toBe(40);
  });

  it('the suite has 13 distinct problems with valid specs', () => {
    expect(benchProblems).toHaveLength(13);
    expect(new Set(benchProblems.map((p) => p.name)).size).toBe(13);
    for (const p of benchProblems) {
      expect(p.spec.metrics.every((m) => m.objective === 'minimize')).toBe(true);
      const names = p.spec.parameters.map((q) => q.name);
      expect([...names].sort()).toEqual(names);
    }
  });
});

describe('special problems', () => {
  it('mixed is 0 at its documented optimum and positive elsewhere', () => {
    const best = { layers: 5, activation: 'tanh', learning_rate: 10 ** -2.1, dropout: 0.3 };
    expect(mixedProblem.evaluate(best, createRng(1)).scores[0]).toBeCloseTo(0, 12);
    expect(mixedProblem.evaluate({ ...best, activation: 'relu' }, createRng(1)).scores[0]).toBeGreaterThan(0.3);
    expect(mixedProblem.evaluate({ ...best, layers: 6 }, createRng(1)).scores[0]).toBeGreaterThan(0);
    const types = mixedProblem.spec.parameters.map((q) => `${q.type}${q.transformation ?? ''}`).sort();
    expect(types).toEqual(['categorical', 'double', 'doublelog', 'int']);
  });

  it('constrained Branin reports the constraint metric and scores infeasible points +∞', () => {
    const feasible = constrainedBraninProblem.evaluate(at([Math.PI, 2.275]), createRng(1));
    expect(feasible.scores[0]).toBeCloseTo(0.397887, 5);
    expect(feasible.values.map((v) => v.name)).toEqual(['f', 'c']);
    const infeasible = constrainedBraninProblem.evaluate(at([-Math.PI, 12.275]), createRng(1));
    expect(infeasible.scores[0]).toBe(Number.POSITIVE_INFINITY);
    expect(infeasible.values[0]?.value).toBeCloseTo(0.397887, 5);
    const c = constrainedBraninProblem.spec.metrics.find((m) => m.name === 'c');
    expect(c).toMatchObject({ strategy: 'constraint', threshold: 50 });
  });

  it('noisy Hartmann6 adds unreported noise but scores the noise-free value', () => {
    const x = at([0.2, 0.15, 0.48, 0.28, 0.31, 0.66]);
    const rng = createRng(7);
    const observed = Array.from({ length: 200 }, () => noisyHartmann6Problem.evaluate(x, rng));
    const truth = hartmann6Problem.evaluate(x, rng).scores[0] ?? NaN;
    expect(observed.every((e) => e.scores[0] === truth && e.values[0]?.valueStddev === null)).toBe(true);
    const vals = observed.map((e) => e.values[0]?.value ?? NaN);
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1));
    expect(sd).toBeGreaterThan(0.07);
    expect(sd).toBeLessThan(0.13);
    expect(Math.abs(mean - truth)).toBeLessThan(0.03);
  });
});

describe('hypervolume and Branin-Currin', () => {
  it('computes hand-checked hypervolumes', () => {
    expect(hypervolume2d([[1, 1]], [3, 3])).toBe(4);
    // Two 2×1 boxes... union of [1,3]×[2,3] and [2,3]×[1,3]: 2 + 2 − 1 = 3.
    expect(hypervolume2d([[1, 2], [2, 1]], [3, 3])).toBe(3);
    expect(hypervolume2d([[1, 2], [2, 1], [2.5, 2.5]], [3, 3])).toBe(3);
    expect(hypervolume2d([[4, 0]], [3, 3])).toBe(0);
    expect(hypervolume2d([], [3, 3])).toBe(0);
  });

  it('is invariant to order and duplicates (property)', () => {
    const pt = fc.tuple(fc.double({ min: 0, max: 4, noNaN: true }), fc.double({ min: 0, max: 4, noNaN: true }));
    fc.assert(
      fc.property(fc.array(pt, { maxLength: 30 }), (pts) => {
        const h = hypervolume2d(pts, [3, 3]);
        const h2 = hypervolume2d([...pts].reverse().concat(pts), [3, 3]);
        return Math.abs(h - h2) < 1e-9 && h >= 0 && h <= 9 + 1e-9;
      }),
    );
  });

  it('a dense grid front approaches the published maximum hypervolume from below', () => {
    const steps = 1000;
    const pts: number[][] = [];
    for (let i = 0; i <= steps; i++) {
      for (let j = 0; j <= steps; j++) pts.push(braninCurrin(i / steps, j / steps));
    }
    const hv = hypervolume2d(pts, BRANIN_CURRIN_REF);
    expect(hv).toBeGreaterThan(59.1);
    expect(hv).toBeLessThanOrEqual(-braninCurrinProblem.optimum);
    expect(BRANIN_CURRIN_REF).toEqual([18, 6]);
    const [b, c] = braninCurrin(0, 1);
    expect(b).toBeCloseTo(17.5083, 3);
    expect(c).toBeGreaterThan(1);
  });

  it('best-so-far is minus the running hypervolume and never increases', () => {
    const s = [[20, 20], [10, 3], [5, 5], [12, 2]];
    const curve = braninCurrinProblem.bestSoFar(s);
    expect(curve[0]).toBe(-0);
    expect(curve[1]).toBe(-24);
    expect(curve[2]).toBe(-(24 + 5 * 1));
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThanOrEqual(curve[i - 1] ?? 0);
  });
});
