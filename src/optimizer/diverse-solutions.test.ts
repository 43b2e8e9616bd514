import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { EngineObservation } from './engine-types.ts';
import { diverseSolutionIndices, logRepulsion, logVoronoi } from './diverse-solutions.ts';
import { makeParameter, makeSpec } from '../../test/support/kits/space-arbitraries.ts';
import { suggest } from './suggest.ts';

describe('diverse solutions', () => {
  test('greedy selection keeps the best point and spaces the rest by the radius', () => {
    // A mean with basins at 0.1 and 0.6 (deeper at 0.1), and a slope point at 0.3 of the first.
    const mean = (x: ArrayLike<number>) => Math.min((x[0]! - 0.1) ** 2, 0.01 + 4 * (x[0]! - 0.6) ** 2) * 10;
    const pts = [[0.1], [0.12], [0.6], [0.3], [0.62], [0.95]].sort((a, b) => mean(a) - mean(b));
    const chosen = diverseSolutionIndices(pts.length, (i) => pts[i]!, mean, 3, 0.2).map((i) => pts[i]![0]);
    expect(chosen).toEqual([0.1, 0.6]);
  });

  test('repulsion is ≤ 0, vanishes far away, and its gradient matches finite differences', () => {
    const centres = [Float64Array.from([0.3, 0.3]), Float64Array.from([0.7, 0.6])];
    expect(logRepulsion([0.3, 0.95], centres, 0.05)).toBeGreaterThan(-1e-6);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const g = new Float64Array(2);
        const v = logRepulsion([a, b], centres, 0.1, g);
        expect(v).toBeLessThanOrEqual(0);
        const h = 1e-6;
        if (Math.min(Math.hypot(a - 0.3, b - 0.3), Math.hypot(a - 0.7, b - 0.6)) < 1e-3) return;
        const fd0 = (logRepulsion([a + h, b], centres, 0.1) - logRepulsion([a - h, b], centres, 0.1)) / (2 * h);
        expect(g[0]).toBeCloseTo(fd0, 3);
        const gv = new Float64Array(2);
        const vv = logVoronoi([a, b], centres[0]!, [centres[1]!], 0.02, gv);
        expect(vv).toBeLessThanOrEqual(0);
        const fv = (logVoronoi([a, b + h], centres[0]!, [centres[1]!], 0.02) - logVoronoi([a, b - h], centres[0]!, [centres[1]!], 0.02)) / (2 * h);
        expect(gv[1]).toBeCloseTo(fv, 3);
      }),
    );
  });

  test('num_solutions = 2 refines both basins of a bimodal function', () => {
    const spec = makeSpec({
      parameters: [makeParameter('x', { bounds: { min: 0, max: 1 } }), makeParameter('y', { bounds: { min: 0, max: 1 } })],
      metrics: [{ name: 'f', objective: 'minimize', strategy: 'optimize', threshold: null }],
      numSolutions: 2,
    });
    // Two basins, at (0.2, 0.3) (value 0) and (0.8, 0.7) (value 0.05).
    const f = (x: number, y: number): number => Math.min((x - 0.2) ** 2 + (y - 0.3) ** 2, 0.05 + (x - 0.8) ** 2 + (y - 0.7) ** 2);
    const obs: EngineObservation[] = [];
    let state = null;
    for (let it = 0; it < 26; it++) {
      const out = suggest({ experiment: spec, observations: obs, pending: [], state, count: 1, seed: 11 + it });
      state = out.state;
      const a = out.candidates[0]!.assignments;
      obs.push({ assignments: a, task: null, failed: false, values: [{ name: 'f', value: f(a.x as number, a.y as number), valueStddev: null }] });
    }
    const near = (cx: number, cy: number) => obs.filter((o) => Math.hypot((o.assignments.x as number) - cx, (o.assignments.y as number) - cy) < 0.2);
    const bestIn = (cx: number, cy: number) => Math.min(...near(cx, cy).map((o) => o.values[0]!.value));
    expect(bestIn(0.2, 0.3)).toBeLessThan(0.005);
    expect(bestIn(0.8, 0.7)).toBeLessThan(0.0505);
  });
});
