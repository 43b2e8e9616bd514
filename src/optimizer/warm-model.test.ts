import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createRng } from '../numerics/rng.ts';
import { createEngine } from './engine.ts';
import type { EngineInput, EngineObservation } from './engine-types.ts';
import type { ExperimentSpec } from './experiment-spec.ts';
import { makeParameter, makeSpec } from '../../test/support/kits/space-arbitraries.ts';
import { readSavedFit, REFIT_GROWTH, WarmModel } from './warm-model.ts';

function spec(d: number, constrained: boolean): ExperimentSpec {
  const base = makeSpec({ parameters: Array.from({ length: d }, (_, i) => makeParameter(`x${i}`)) });
  if (!constrained) return base;
  return { ...base, metrics: [...base.metrics, { name: 'c', objective: 'minimize', strategy: 'constraint', threshold: 0.5 }] };
}

function observations(s: ExperimentSpec, n: number, seed: number, failEvery = 0): EngineObservation[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const assignments = Object.fromEntries(s.parameters.map((p) => [p.name, rng.next()]));
    const xs = Object.values(assignments) as number[];
    const f = xs.reduce((a, v, k) => a + Math.sin(3 * v + k), 0);
    const failed = failEvery > 0 && i % failEvery === failEvery - 1;
    const values = failed ? [] : s.metrics.map((m) => ({ name: m.name, value: m.name === 'c' ? xs[0]! : f, valueStddev: null }));
    return { assignments, values, failed, task: null };
  });
}

describe('WarmModel', () => {
  test('a cold owner rebuilds the same GPs from the saved fit as the warm owner holds after appends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 4, max: 25 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer(),
        fc.boolean(),
        (d, n0, k, seed, constrained) => {
          const s = spec(d, constrained);
          const obs = observations(s, n0 + k, seed, constrained ? 0 : 5);
          const warm = WarmModel.build(s, obs.slice(0, n0), null, {}, createRng(seed))!;
          warm.append(obs.slice(n0));
          const saved = readSavedFit(JSON.parse(JSON.stringify(warm.savedFit())));
          expect(saved).not.toBeNull();
          const cold = WarmModel.build(s, obs, saved, {}, createRng(seed + 1))!;
          expect(cold.origin).toBe('rebuilt');
          expect(cold.count).toBe(warm.count);
          expect(cold.fitCount).toBe(warm.fitCount);
          expect(cold.refitDue()).toBe(warm.refitDue());
          cold.metrics.forEach((m, g) => {
            const w = warm.metrics[g]!.gp;
            expect(m.gp.n).toBe(w.n);
            const a = m.gp.cholesky.toDense();
            const b = w.cholesky.toDense();
            for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(b[i]!)));
            const za = m.gp.z;
            const zb = w.z;
            for (let i = 0; i < za.length; i++) expect(Math.abs(za[i]! - zb[i]!)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(zb[i]!)));
            // μ at the rows equals the predictions of the model there.
            const means = m.gp.meansAtRows();
            const model = m.gp.model();
            for (let r = 0; r < m.gp.n; r += 3)
              expect(Math.abs(means[r]! - model.mean(m.gp.x.subarray(r * d, (r + 1) * d)))).toBeLessThan(1e-6);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  test('refits follow the schedule: optional with any new data, required after the growth', () => {
    const s = spec(2, false);
    const obs = observations(s, 60, 3);
    const model = WarmModel.build(s, obs.slice(0, 40), null, {}, createRng(1))!;
    expect(model.refitDue()).toBeNull();
    const due = Math.ceil(REFIT_GROWTH * 40);
    model.append(obs.slice(40, 40 + due - 1));
    expect(model.refitDue()).toBe('optional');
    model.append(obs.slice(40 + due - 1, 40 + due));
    expect(model.refitDue()).toBe('required');
  });
});

describe('warm engine', () => {
  const s = spec(3, false);
  const obs = observations(s, 40, 11);
  const base = (n: number): EngineInput => ({
    experiment: s,
    observations: obs.slice(0, n),
    pending: [],
    state: null,
    count: 2,
    seed: 5,
    modelKey: 'e',
  });

  test('a delta input appends to the warm model; without one it answers needsHistory', () => {
    const engine = createEngine();
    const first = engine.suggest(base(30));
    expect(first.diagnostics.model).toBe('fitted');
    const next = engine.suggest({ ...base(30), observations: obs.slice(30, 31), base: 30, state: first.state });
    expect(next.diagnostics.model).toBe('warm');
    expect(next.candidates).toHaveLength(2);
    expect(engine.suggest({ ...base(30), observations: obs.slice(31, 32), base: 40, state: next.state }).needsHistory).toBe(true);
    expect(createEngine().suggest({ ...base(30), observations: obs.slice(30, 31), base: 30 }).needsHistory).toBe(true);
  });

  test('a refit replaces the model at once: the next delta continues from the refitted count', () => {
    const engine = createEngine();
    const first = engine.suggest(base(30));
    const refit = engine.refit({ ...base(35), state: first.state, count: 0 });
    expect(refit.candidates).toEqual([]);
    expect(readSavedFit(refit.state['fit'])?.count).toBe(35);
    // The model now holds 35 observations: a delta from 30 no longer matches, one from 35 does.
    expect(engine.suggest({ ...base(30), observations: obs.slice(30, 31), base: 30 }).needsHistory).toBe(true);
    const after = engine.suggest({ ...base(30), observations: obs.slice(35, 36), base: 35, state: refit.state });
    expect(after.diagnostics.model).toBe('warm');
    expect(readSavedFit(after.state['fit'])?.count).toBe(35);
  });

  test('the LRU bounds the warm models kept', () => {
    const engine = createEngine({ maxModels: 2 });
    for (const key of ['a', 'b', 'c']) engine.suggest({ ...base(20), modelKey: key });
    expect(engine.stats().models).toBe(2);
    expect(engine.suggest({ ...base(20), observations: obs.slice(20, 21), base: 20, modelKey: 'a' }).needsHistory).toBe(true);
    expect(engine.suggest({ ...base(20), observations: obs.slice(20, 21), base: 20, modelKey: 'c' }).needsHistory).toBeUndefined();
  });
});
