import { describe, expect, test } from 'vitest';
import type { ExperimentRecord } from '../domain/records.ts';
import type { Candidate, EngineInput, EngineOutput } from '../optimizer/engine-types.ts';
import type { Store } from '../store/store.ts';
import { EmbeddedCandidateProvider } from './embedded-candidate-provider.ts';

const experiment = {
  id: '1',
  state: 'active',
  spec: {
    type: 'offline',
    parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 }, categoricalValues: null, grid: null, prior: null, transformation: null, defaultValue: null, conditions: {}, precision: null, deleted: false }],
    metrics: [{ name: null, objective: 'maximize', strategy: 'optimize', threshold: null }],
    conditionals: [],
    linearConstraints: [],
    tasks: null,
    observationBudget: null,
    parallelBandwidth: 2,
    numSolutions: null,
  },
} as unknown as ExperimentRecord;

/** Enough observations to be past the initial design (4 points for one parameter). */
const live = Array.from({ length: 6 }, (_, i) => ({ assignments: { x: i / 10 }, values: [{ name: null, value: i, valueStddev: null }], failed: false, task: null }));

function fakeStore(): Store {
  return {
    experiments: { get: async () => experiment },
    observations: { listLive: async () => live },
    suggestions: { listOpen: async () => [] },
    optimizerState: { get: async () => null, put: async () => {}, delete: async () => true },
  } as unknown as Store;
}

/** An engine whose calls finish only when the test says so; call k returns points k.1, k.2. */
function gatedEngine() {
  const gates: (() => void)[] = [];
  let calls = 0;
  return {
    calls: () => calls,
    release: () => gates.shift()?.(),
    suggest: async (input: EngineInput): Promise<EngineOutput> => {
      const k = ++calls;
      await new Promise<void>((resolve) => gates.push(resolve));
      const candidates: Candidate[] = Array.from({ length: input.count }, (_, i) => ({ assignments: { x: k + (i + 1) / 10 }, task: null }));
      return { candidates, state: { k }, diagnostics: { strategy: 'test', fitMs: 0, acquisitionMs: 0 } };
    },
  };
}

const clock = { now: () => 0, nowMs: () => Date.now() };
const never = () => false;
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('EmbeddedCandidateProvider', () => {
  test('serves the fresh pool, then a leftover while the refresh for new observations runs late, then nothing after a reset', async () => {
    const engine = gatedEngine();
    const provider = new EmbeddedCandidateProvider({ store: fakeStore(), engine, clock, waitMs: 20 });
    const first = provider.take(experiment, never);
    await tick();
    engine.release();
    expect((await first)?.assignments).toEqual({ x: 1.1 });

    // New observation: the pool is stale; the refresh does not finish within the wait budget.
    provider.observationsChanged('1');
    expect((await provider.take(experiment, never))?.assignments).toEqual({ x: 1.2 });
    expect(await provider.take(experiment, never)).toBeNull();

    // The late refresh lands: fresh candidates of generation 2 are served again.
    engine.release();
    await tick();
    expect((await provider.take(experiment, never))?.assignments).toEqual({ x: 2.1 });

    await provider.reset('1');
    const afterReset = provider.take(experiment, never);
    expect(await afterReset).toBeNull();
    engine.release();
    await provider.close();
  });

  test('skips candidates that are taken and coalesces refreshes per experiment', async () => {
    const engine = gatedEngine();
    const provider = new EmbeddedCandidateProvider({ store: fakeStore(), engine, clock, waitMs: 1000 });
    // A request starts a refresh; an observation arrives while it runs: the result is stale and
    // dropped, and exactly one rerun computes the pool for the new generation.
    const a = provider.take(experiment, (c) => c.assignments.x === 2.1);
    provider.observationsChanged('1');
    await tick();
    expect(engine.calls()).toBe(1);
    engine.release();
    await tick();
    expect(engine.calls()).toBe(2);
    engine.release();
    expect((await a)?.assignments).toEqual({ x: 2.2 });
    expect(engine.calls()).toBe(2);
    await provider.close();
  });
});
