import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../numerics/rng.ts';
import type { EngineInput, EngineObservation } from './engine-types.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { assignmentKey, initialDesignPoints, initialDesignSize } from './space/index.ts';
import { assignmentProblems, experimentSpecArbitrary, makeCategorical, makeParameter, makeSpec } from '../../test/support/kits/space-arbitraries.ts';
import { suggest } from './suggest.ts';

/** Observations from a synthetic function of whatever numeric/categorical values a point has. */
function observe(spec: ExperimentSpec, input: EngineInput, outcome: (i: number) => 'ok' | 'fail'): EngineObservation[] {
  const out = suggest(input);
  return out.candidates.map((c, i) => {
    let v = 0;
    for (const [k, val] of Object.entries(c.assignments)) v += typeof val === 'number' ? Math.sin(val + k.length) : val.length;
    const fail = outcome(i) === 'fail';
    return {
      assignments: c.assignments,
      task: c.task,
      failed: fail,
      values: fail ? [] : spec.metrics.map((m, j) => ({ name: m.name, value: v + j * Math.cos(v), valueStddev: null })),
    };
  });
}

function checkOutput(spec: ExperimentSpec, input: EngineInput): void {
  const out = suggest(input);
  // Finite (all-discrete) spaces may run out of new points; continuous ones never do.
  const continuous = spec.parameters.some((p) => !p.deleted && p.type === 'double' && p.grid === null && p.precision === null && Object.keys(p.conditions).length === 0);
  if (continuous) expect(out.candidates.length).toBe(input.count);
  else expect(out.candidates.length).toBeLessThanOrEqual(input.count);
  const keys = new Set([...input.observations, ...input.pending].map((o) => assignmentKey(o.assignments, o.task)));
  for (const c of out.candidates) {
    expect(assignmentProblems(spec, c.assignments)).toEqual([]);
    const key = assignmentKey(c.assignments, c.task);
    expect(keys.has(key)).toBe(false);
    keys.add(key);
    if (spec.tasks) expect(spec.tasks.map((t) => t.name)).toContain(c.task);
  }
  expect(JSON.parse(JSON.stringify(out.state))).toEqual(out.state);
}

describe('suggest', () => {
  test('valid, distinct, non-duplicate candidates for random specs through every phase', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary({ maxParameters: 4 }), fc.integer({ min: 1, max: 1e6 }), (spec, seed) => {
        let observations: EngineObservation[] = [];
        let state = null;
        const rng = createRng(seed);
        for (let round = 0; round < 4; round++) {
          const input: EngineInput = { experiment: spec, observations, pending: [], state, count: 4, seed: seed + round };
          checkOutput(spec, input);
          observations = observations.concat(observe(spec, input, () => (rng.next() < 0.15 ? 'fail' : 'ok')));
          state = suggest(input).state;
        }
        const pending = observations.slice(-2).map((o) => ({ assignments: o.assignments, task: o.task }));
        checkOutput(spec, { experiment: spec, observations: observations.slice(0, -2), pending, state, count: 3, seed });
      }),
      { numRuns: 25 },
    );
  });

  test('deterministic for a seed', () => {
    const spec = makeSpec({ parameters: [makeParameter('a'), makeParameter('b', { type: 'int', bounds: { min: 1, max: 9 } }), makeCategorical('c', ['p', 'q', 'r'])] });
    const observations: EngineObservation[] = Array.from({ length: 12 }, (_, i) => ({
      assignments: { a: (i * 0.37) % 1, b: 1 + (i % 9), c: ['p', 'q', 'r'][i % 3]! },
      task: null,
      failed: i === 5,
      values: i === 5 ? [] : [{ name: null, value: Math.sin(i), valueStddev: null }],
    }));
    const input: EngineInput = { experiment: spec, observations, pending: [], state: null, count: 3, seed: 42 };
    const a = suggest(input);
    const b = suggest(input);
    expect(a.candidates).toEqual(b.candidates);
    expect(a.diagnostics.strategy).toMatch(/^gp/);
  });

  test('beats random search on a 2-d quadratic with a small budget', () => {
    const spec = makeSpec({
      parameters: [makeParameter('x', { bounds: { min: -5, max: 5 } }), makeParameter('y', { bounds: { min: -5, max: 5 } })],
      metrics: [{ name: 'f', objective: 'minimize', strategy: 'optimize', threshold: null }],
    });
    const f = (a: Record<string, number | string>): number => ((a.x as number) - 1.3) ** 2 + ((a.y as number) + 2.1) ** 2;
    const run = (s: ExperimentSpec): number => {
      const obs: EngineObservation[] = [];
      let state = null;
      for (let it = 0; it < 18; it++) {
        const out = suggest({ experiment: s, observations: obs, pending: [], state, count: 1, seed: 7 + it });
        state = out.state;
        const a = out.candidates[0]!.assignments;
        obs.push({ assignments: a, task: null, failed: false, values: [{ name: 'f', value: f(a), valueStddev: null }] });
      }
      return Math.min(...obs.map((o) => o.values[0]!.value));
    };
    const gp = run(spec);
    expect(gp).toBeLessThan(0.01);
    expect(gp).toBeLessThan(run({ ...spec, type: 'random' }));
  });

  test('the design phase is the space toolkit Sobol sequence, continued across calls through the state', () => {
    const spec = makeSpec({ parameters: [makeParameter('a'), makeParameter('b', { type: 'int', bounds: { min: 1, max: 90 } }), makeCategorical('c', ['p', 'q', 'r'])] });
    const size = initialDesignSize(spec);
    const observations: EngineObservation[] = [];
    let state = null;
    let seed: number | null = null;
    for (let i = 0; i < size; i++) {
      const out = suggest({ experiment: spec, observations, pending: [], state, count: 1, seed: 1000 + i });
      expect(out.diagnostics.strategy).toBe('initial-design');
      state = out.state;
      seed ??= state['designSeed'] as number;
      expect(state['designSeed']).toBe(seed);
      observations.push({ assignments: out.candidates[0]!.assignments, task: null, failed: false, values: [{ name: null, value: i, valueStddev: null }] });
    }
    expect(observations.map((o) => o.assignments)).toEqual(initialDesignPoints(spec, { existing: [], count: size, seed: seed!, index: 0 }));
    const next = suggest({ experiment: spec, observations, pending: [], state, count: 1, seed: 5 });
    expect(next.diagnostics.strategy).toMatch(/^gp/);
  });

  test('failure regions are avoided: most model suggestions land where evaluations succeed', () => {
    const spec = makeSpec({
      parameters: [makeParameter('x', { bounds: { min: 0, max: 1 } }), makeParameter('y', { bounds: { min: 0, max: 1 } })],
      metrics: [{ name: 'f', objective: 'minimize', strategy: 'optimize', threshold: null }],
    });
    // The unconstrained optimum (0.2, 0.5) lies inside the failing half x < 0.4.
    const fails = (x: number) => x < 0.4;
    const obs: EngineObservation[] = [];
    let state = null;
    let failedModelPoints = 0;
    for (let it = 0; it < 30; it++) {
      const out = suggest({ experiment: spec, observations: obs, pending: [], state, count: 1, seed: 3 + it });
      state = out.state;
      const a = out.candidates[0]!.assignments;
      const x = a.x as number;
      const y = a.y as number;
      if (out.diagnostics.strategy.startsWith('gp') && fails(x)) failedModelPoints++;
      obs.push(fails(x) ? { assignments: a, task: null, failed: true, values: [] } : { assignments: a, task: null, failed: false, values: [{ name: 'f', value: (x - 0.2) ** 2 + (y - 0.5) ** 2, valueStddev: null }] });
    }
    // Uniform sampling would fail ~40 % of the 26 model-phase points (~10).
    expect(failedModelPoints).toBeLessThanOrEqual(6);
  });
});
