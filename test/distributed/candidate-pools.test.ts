import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedTestStore } from '../support/databases.ts';
import { MemoryCache } from '../../src/cache/memory/memory-cache.ts';
import { systemClock } from '../../src/domain/ports/clock.ts';
import type { ExperimentRecord } from '../../src/store/ports/records.ts';
import type { EngineInput, EngineOutput } from '../../src/optimizer/engine-types.ts';
import { InProcessJobQueue } from '../../src/queue/in-process/in-process-job-queue.ts';
import { initialDesignSize } from '../../src/optimizer/space/initial-design.ts';
import { seedExperiment, seedTenant } from '../support/kits/seed.ts';
import { PooledCandidateProvider } from '../../src/worker/pooled-candidate-provider.ts';
import { poolKeys } from '../../src/worker/pool-keys.ts';
import { createRefreshHandler } from '../../src/worker/refresh-job-handler.ts';
import { testStores } from '../support/databases.ts';

/**
 * The distributed pool semantics (generations, coalesced refresh, bounded wait) with the
 * in-memory cache and in-process queue standing in for Redis and BullMQ, and a scripted engine.
 */
describe('PooledCandidateProvider + refresh handler', () => {
  const closers: Array<() => Promise<void>> = [];
  let opened: OpenedTestStore;
  let tenants = 0;
  beforeAll(async () => {
    opened = await testStores()[0]!.open();
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function setup(engineDelayMs = 0) {
    const store = opened.store;
    const cache = new MemoryCache();
    const calls: EngineInput[] = [];
    const ops: string[] = [];
    let gate: Promise<void> = Promise.resolve();
    /** What the scripted engine answers to a delta input (`base`): candidates, or that it needs the history. */
    let deltaAnswer: 'candidates' | 'needsHistory' = 'candidates';
    let refitDue = false;
    let refitGate: Promise<void> = Promise.resolve();
    const engine = {
      async refit(input: EngineInput): Promise<EngineOutput> {
        ops.push('refit');
        await refitGate;
        return this.run(input);
      },
      suggest(input: EngineInput): Promise<EngineOutput> {
        ops.push(input.base === undefined ? 'full' : 'delta');
        if (input.base !== undefined && deltaAnswer === 'needsHistory') {
          return Promise.resolve({
            candidates: [],
            state: {},
            diagnostics: { strategy: 'needs-history', fitMs: 0, acquisitionMs: 0 },
            needsHistory: true,
          });
        }
        return this.run(input);
      },
      async run(input: EngineInput): Promise<EngineOutput> {
        calls.push(input);
        await gate;
        if (engineDelayMs > 0) await new Promise((r) => setTimeout(r, engineDelayMs));
        const n = calls.length;
        return {
          candidates: Array.from({ length: input.count }, (_, i) => ({ assignments: { x: (n * 10 + i) / 1000 }, task: null })),
          state: { round: n },
          diagnostics: { strategy: 'scripted', fitMs: 0, acquisitionMs: 0, model: input.base === undefined ? 'fitted' : 'warm' },
          ...(refitDue && input.count > 0 ? { refitDue: 'required' as const } : {}),
        } as EngineOutput;
      },
    };
    const handler = createRefreshHandler({ store, cache, engine, clock: systemClock });
    const queue = new InProcessJobQueue({ handler, concurrency: 2, retry: { baseMs: 1, capMs: 2 } });
    const provider = new PooledCandidateProvider({ store, cache, queue, waitMs: () => 2000 });
    closers.push(
      () => queue.close(),
      () => provider.close(),
    );
    const { clientId, userId } = await seedTenant(store, `tenant${++tenants}`);
    const experiment: ExperimentRecord = await seedExperiment(store, clientId, {
      userId,
      spec: { ...(await seedExperiment(store, clientId, { userId })).spec, parallelBandwidth: 3 },
    });
    // Past the initial design: workers compute nothing before it (the server serves design points).
    await store.observations.createMany(
      Array.from({ length: initialDesignSize(experiment.spec) }, (_, i) => ({
        experimentId: experiment.id,
        suggestionId: null,
        assignments: Object.fromEntries(
          experiment.spec.parameters.map((p) => [
            p.name,
            p.type === 'categorical' ? (p.categoricalValues?.[0]?.name ?? 'a') : (p.bounds?.min ?? 0) + i,
          ]),
        ),
        task: null,
        values: [{ name: null, value: i, valueStddev: null }],
        failed: false,
        created: 1,
        metadata: null,
      })),
    );
    return {
      store,
      cache,
      queue,
      provider,
      experiment,
      calls,
      ops,
      answerDelta(a: 'candidates' | 'needsHistory') {
        deltaAnswer = a;
      },
      dueForRefit(due: boolean) {
        refitDue = due;
      },
      holdRefit() {
        let release!: () => void;
        refitGate = new Promise((r) => (release = r));
        return () => release();
      },
      hold() {
        let release!: () => void;
        gate = new Promise((r) => (release = r));
        return () => release();
      },
    };
  }

  it('an empty pool enqueues a refresh and the request gets a model candidate when it lands', async () => {
    const t = await setup();
    const c = await t.provider.take(t.experiment, () => false);
    expect(c).toEqual({ candidate: { assignments: { x: 0.01 }, task: null }, fresh: true });
    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]?.count).toBe(3);
    // The rest of the pool serves the next requests without another engine call.
    expect(await t.provider.take(t.experiment, () => false)).toEqual({ candidate: { assignments: { x: 0.011 }, task: null }, fresh: true });
    expect(t.calls).toHaveLength(1);
    // The model state is saved in the database.
    expect((await t.store.optimizerState.get(t.experiment.id))?.state).toEqual({ round: 1 });
  });

  it('skips candidates the caller rejects (duplicates of open suggestions / observations)', async () => {
    const t = await setup();
    const c = await t.provider.take(t.experiment, (cand) => (cand.assignments.x as number) < 0.012);
    expect(c?.candidate.assignments).toEqual({ x: 0.012 });
  });

  it('an observation write makes the old pool unreachable and schedules a refresh', async () => {
    const t = await setup();
    await t.provider.take(t.experiment, () => false);
    await t.provider.observationsAdded(t.experiment.id);
    // Awaited: the generation moved before the write is acknowledged.
    expect(await t.cache.get(poolKeys.generation(t.experiment.id))).toBe('1');
    await new Promise((r) => setTimeout(r, 20));
    await t.queue.drained();
    // One refresh for the new generation (a rerun coalesced into the running job may repeat it).
    expect(t.ops.slice(0, 2)).toEqual(['full', 'delta']);
    expect(t.ops.slice(2).every((op) => op === 'delta')).toBe(true);
    const c = await t.provider.take(t.experiment, () => false);
    expect(c?.fresh).toBe(true);
    expect(c?.candidate.assignments.x).toBeGreaterThanOrEqual(0.02);
  });

  it('waits a bounded time and returns null when the fleet is too slow', async () => {
    const t = await setup();
    const release = t.hold();
    const slow = new PooledCandidateProvider({ store: t.store, cache: t.cache, queue: t.queue, waitMs: () => 30 });
    closers.push(() => slow.close());
    expect(await slow.take(t.experiment, () => false)).toBeNull();
    release();
    await t.queue.drained();
    // The refresh finished after the deadline: the next request is served from the pool.
    expect((await slow.take(t.experiment, () => false))?.candidate.assignments).toEqual({ x: 0.01 });
  });

  it('when the refresh after a write is late, a spare of the newest filled pool is served', async () => {
    const t = await setup();
    const slow = new PooledCandidateProvider({ store: t.store, cache: t.cache, queue: t.queue, waitMs: () => 30 });
    closers.push(() => slow.close());
    expect((await slow.take(t.experiment, () => false))?.candidate.assignments).toEqual({ x: 0.01 });
    const release = t.hold();
    await slow.observationsAdded(t.experiment.id);
    // Generation 1's refresh is held: the leftovers of generation 0 (x = 0.011, 0.012) serve, stale, then null.
    expect(await slow.take(t.experiment, () => false)).toEqual({ candidate: { assignments: { x: 0.011 }, task: null }, fresh: false });
    expect(await slow.take(t.experiment, (c) => c.assignments.x === 0.012)).toBeNull();
    release();
    await t.queue.drained();
    // A candidate computed for generation 1 (the engine's second or later call), fresh again.
    const next = await slow.take(t.experiment, () => false);
    expect(next?.candidate.assignments.x).toBeGreaterThanOrEqual(0.02);
    expect(next?.fresh).toBe(true);
  });

  it('a write during a running refresh reruns it; the stale result is never served', async () => {
    const t = await setup();
    const release = t.hold();
    const pending = t.queue.enqueueRefresh(t.experiment.id);
    await pending;
    await new Promise((r) => setTimeout(r, 10));
    await t.provider.observationsAdded(t.experiment.id);
    await new Promise((r) => setTimeout(r, 10));
    release();
    await t.queue.drained();
    expect(t.calls.length).toBeGreaterThanOrEqual(2);
    const c = await t.provider.take(t.experiment, () => false);
    // Generation 0's computation (x = 0.01…) was discarded; generation 1's candidates are served.
    expect(c?.candidate.assignments.x).toBeGreaterThanOrEqual(0.02);
  });

  it('degrades to null (fallback) when the cache fails', async () => {
    const t = await setup();
    const broken = new MemoryCache();
    broken.get = async () => {
      throw new Error('redis down');
    };
    const errors: unknown[] = [];
    const p = new PooledCandidateProvider({
      store: t.store,
      cache: broken,
      queue: t.queue,
      waitMs: () => 100,
      onError: (e) => errors.push(e),
    });
    expect(await p.take(t.experiment, () => false)).toBeNull();
    expect(errors).toHaveLength(1);
  });

  /** One more observation of the experiment, as a client's write would store it. */
  async function addObservation(t: Awaited<ReturnType<typeof setup>>, value: number) {
    const p = t.experiment.spec.parameters;
    await t.store.observations.createMany([
      {
        experimentId: t.experiment.id,
        suggestionId: null,
        assignments: Object.fromEntries(
          p.map((q) => [q.name, q.type === 'categorical' ? (q.categoricalValues?.[0]?.name ?? 'a') : (q.bounds?.min ?? 0) + value]),
        ),
        task: null,
        values: [{ name: null, value, valueStddev: null }],
        failed: false,
        created: 2,
        metadata: null,
      },
    ]);
  }

  it('after the first full load, refreshes send the engine only the new observations', async () => {
    const t = await setup();
    await t.provider.take(t.experiment, () => false);
    const n = t.calls[0]!.observations.length;
    await addObservation(t, 0.5);
    await t.provider.observationsAdded(t.experiment.id);
    await new Promise((r) => setTimeout(r, 20));
    await t.queue.drained();
    expect(t.ops.slice(0, 2)).toEqual(['full', 'delta']);
    expect(t.calls[1]?.base).toBe(n);
    expect(t.calls[1]?.observations).toHaveLength(1);
    expect(t.calls[1]?.observations[0]?.values[0]?.value).toBe(0.5);
    // A warm refresh has no new state to save: the first refresh's state stays.
    expect((await t.store.optimizerState.get(t.experiment.id))?.state).toEqual({ round: 1 });
  });

  it('a thread that lost the warm model gets the whole history; a rewrite of observations refits', async () => {
    const t = await setup();
    await t.provider.take(t.experiment, () => false);
    t.answerDelta('needsHistory');
    await addObservation(t, 0.5);
    await t.provider.observationsAdded(t.experiment.id);
    await new Promise((r) => setTimeout(r, 20));
    await t.queue.drained();
    expect(t.ops.slice(0, 3)).toEqual(['full', 'delta', 'full']);
    expect(t.calls.at(-1)?.base).toBeUndefined();
    t.answerDelta('candidates');
    await t.provider.observationsRewritten(t.experiment.id);
    await new Promise((r) => setTimeout(r, 20));
    await t.queue.drained();
    expect(t.ops.at(-1)).toBe('refit');
    expect(t.calls.at(-1)?.observations.length).toBe(t.calls[0]!.observations.length + 1);
  });

  it('a refit that is due runs after the pool went out and saves the refitted state', async () => {
    const t = await setup();
    t.dueForRefit(true);
    const c = await t.provider.take(t.experiment, () => false);
    expect(c?.fresh).toBe(true);
    await t.queue.drained();
    expect(t.ops).toEqual(['full', 'refit']);
    expect(t.calls[1]?.count).toBe(0);
    expect((await t.store.optimizerState.get(t.experiment.id))?.state).toEqual({ round: 2 });
  });

  it('an observation arriving while a refit runs is neither lost nor applied twice', async () => {
    const t = await setup();
    t.dueForRefit(true);
    const release = t.holdRefit();
    expect((await t.provider.take(t.experiment, () => false))?.fresh).toBe(true);
    // The refit after that refresh is running (held): a new observation arrives meanwhile.
    await new Promise((r) => setTimeout(r, 10));
    expect(t.ops).toEqual(['full', 'refit']);
    t.dueForRefit(false);
    await addObservation(t, 0.75);
    await t.provider.observationsAdded(t.experiment.id);
    release();
    await new Promise((r) => setTimeout(r, 20));
    await t.queue.drained();
    // After the refit, the deltas the engine was told continue exactly where its model is: the new
    // observation arrives once, and the counts add up to the stored observations.
    const stored = (await t.store.observations.listLive(t.experiment.id)).length;
    let held = t.calls[1]!.observations.length;
    const told: number[] = [];
    for (const call of t.calls.slice(2)) {
      expect(call.base).toBe(held);
      held += call.observations.length;
      told.push(...call.observations.map((o) => o.values[0]!.value));
    }
    expect(told).toEqual([0.75]);
    expect(held).toBe(stored);
  });
});
