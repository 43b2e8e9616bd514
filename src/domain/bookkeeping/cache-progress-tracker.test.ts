import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeProgress, advanceProgress, EMPTY_PROGRESS } from '../experiments/progress.ts';
import { createInProcessLock } from '../ports/keyed-lock.ts';
import type { ExperimentRecord, ObservationRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import { sampleSpec, seedExperiment, seedTenant } from '../../../test/support/kits/seed.ts';
import type { NewObservation } from '../../store/store.ts';
import { type OpenedTestStore, testStores } from '../../../test/support/databases.ts';
import { createCacheProgressTracker } from './cache-progress-tracker.ts';
import type { Cache } from '../../cache/cache.ts';
import { MemoryCache } from '../../cache/memory/memory-cache.ts';

/** Maximize `y` subject to `c` ≥ 0.5, with two tasks: eligibility, score and budget all matter. */
const spec: ExperimentSpec = {
  ...sampleSpec,
  metrics: [
    { name: 'y', objective: 'maximize', strategy: 'optimize', threshold: null },
    { name: 'c', objective: 'maximize', strategy: 'constraint', threshold: 0.5 },
  ],
  tasks: [
    { name: 'cheap', cost: 0.25 },
    { name: 'full', cost: 1 },
  ],
};

function observation(experimentId: string, i: number, y: number, c: number, failed = false): NewObservation {
  return {
    experimentId,
    suggestionId: null,
    assignments: { x: (i % 97) / 97 },
    task: i % 3 === 0 ? 'cheap' : 'full',
    values: failed
      ? []
      : [
          { name: 'y', value: y, valueStddev: null },
          { name: 'c', value: c, valueStddev: null },
        ],
    failed,
    created: 2000 + i,
    metadata: null,
  };
}

describe('advanceProgress', () => {
  it('adding observations one batch at a time equals computing progress from all of them', () => {
    const experiment = { id: '1', spec } as ExperimentRecord;
    const obs = fc.record({
      y: fc.double({ min: -5, max: 5, noNaN: true }),
      c: fc.double({ min: 0, max: 1, noNaN: true }),
      failed: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(fc.array(obs, { maxLength: 4 }), { maxLength: 12 }), (batches) => {
        let progress = EMPTY_PROGRESS;
        const all: ObservationRecord[] = [];
        for (const batch of batches) {
          const records = batch.map((o) => {
            const record: ObservationRecord = {
              ...observation('1', all.length, o.y, o.c, o.failed),
              id: String(all.length + 1),
              deleted: false,
            };
            all.push(record);
            return record;
          });
          progress = advanceProgress(spec, progress, records);
        }
        expect(progress).toEqual(computeProgress(experiment, all));
      }),
      { numRuns: 200 },
    );
  });
});

describe.each(testStores())('cache progress tracker on $name', (backend) => {
  let opened: OpenedTestStore;
  let clientId: string;
  beforeAll(async () => {
    opened = await backend.open();
    clientId = (await seedTenant(opened.store)).clientId;
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  async function setup(cache: Cache = new MemoryCache()) {
    const store = opened.store;
    const experiment = await seedExperiment(store, clientId, { spec });
    const tracker = createCacheProgressTracker({ cache, store, lock: createInProcessLock() });
    const create = async (i: number, y: number, c = 1) =>
      (
        await tracker.record(
          experiment,
          () => store.observations.create(observation(experiment.id, i, y, c)),
          (o) => ({ created: [o] }),
        )
      ).result;
    const truth = async () => computeProgress(experiment, await store.observations.listLive(experiment.id));
    return { store, experiment, tracker, create, truth, cache };
  }

  it('stays exact through concurrent writes, and a lost cache is rebuilt from the store', async () => {
    const t = await setup();
    await Promise.all(Array.from({ length: 24 }, (_, i) => t.create(i, Math.sin(i), i % 4 === 0 ? 0.2 : 0.9)));
    const expected = await t.truth();
    expect(expected.observationCount).toBe(24);
    expect(await t.tracker.progress(t.experiment)).toEqual(expected);
    await t.cache.delete(`progress:${t.experiment.id}`);
    expect(await t.tracker.progress(t.experiment)).toEqual(expected);
  });

  it('a write returns the progress it advanced; a failed write changes nothing; deletes are rebuilt', async () => {
    const t = await setup();
    await t.create(1, 3);
    const second = await t.create(2, 5);
    await t.tracker.progress(t.experiment); // cached from here on: writes advance it
    const third = await t.tracker.record(
      t.experiment,
      () => t.store.observations.create(observation(t.experiment.id, 3, 4, 1)),
      (o) => ({ created: [o] }),
    );
    expect(third.progress).toEqual(await t.truth());
    await t.tracker.record(
      t.experiment,
      () => t.store.observations.delete(t.experiment.id, third.result.id),
      () => 'rebuild',
    );
    await expect(
      t.tracker.record(
        t.experiment,
        () => Promise.reject(new Error('rolled back')),
        () => ({ created: [] }),
      ),
    ).rejects.toThrow('rolled back');
    expect((await t.tracker.progress(t.experiment)).observationCount).toBe(2);
    await t.tracker.record(
      t.experiment,
      () => t.store.observations.delete(t.experiment.id, second.id),
      () => 'rebuild',
    );
    const after = await t.tracker.progress(t.experiment);
    expect(after).toEqual(await t.truth());
    expect(after.best?.id).not.toBe(second.id);
  });

  it('a read that misses the cache does not wait for a write in flight', async () => {
    const t = await setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writing = t.tracker.record(
      t.experiment,
      () => gate,
      () => 'rebuild',
    );
    // Queued behind the held lock this would never resolve (the write waits for `release`).
    expect((await t.tracker.progress(t.experiment)).observationCount).toBe(0);
    release();
    await writing;
  });

  it('progress computed for other thresholds is not reused', async () => {
    const t = await setup();
    await t.create(1, 9, 0.6);
    await t.create(2, 1, 0.95);
    expect((await t.tracker.progress(t.experiment)).best?.values[0]?.value).toBe(9);
    const stricter = {
      ...t.experiment,
      spec: { ...spec, metrics: spec.metrics.map((m) => (m.name === 'c' ? { ...m, threshold: 0.9 } : m)) },
    };
    expect((await t.tracker.progress(stricter)).best?.values[0]?.value).toBe(1);
  });

  it('without a reachable cache it answers from the store', async () => {
    const broken = new Proxy(new MemoryCache(), {
      get: (target, prop) => (prop === 'close' ? () => Promise.resolve() : () => Promise.reject(new Error('cache down'))),
    }) as Cache;
    const t = await setup(broken);
    await t.create(1, 2);
    await t.create(2, 4);
    expect(await t.tracker.progress(t.experiment)).toEqual(await t.truth());
  });
});
