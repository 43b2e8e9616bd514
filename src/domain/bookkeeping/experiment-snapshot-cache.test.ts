import { describe, expect, it } from 'vitest';
import type { ExperimentRecord } from '../../store/ports/records.ts';
import type { Store } from '../../store/store.ts';
import { createExperimentSnapshotCache } from './experiment-snapshot-cache.ts';
import { MemoryCache } from '../../cache/memory/memory-cache.ts';
import { manualClock } from '../../../test/support/manual-clock.ts';

/** A store whose experiments.get counts reads and can be held mid-read. */
function fakeStore() {
  let version = 1;
  let reads = 0;
  let gate: Promise<void> | null = null;
  const store = {
    experiments: {
      async get(id: string) {
        reads++;
        const v = version;
        if (gate) await gate;
        return { id, name: `v${v}` } as unknown as ExperimentRecord;
      },
    },
  } as unknown as Store;
  return {
    store,
    reads: () => reads,
    bump: () => version++,
    hold() {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('experiment snapshot cache', () => {
  it('reuses a snapshot within its lifetime, then reads again', async () => {
    const clock = manualClock(0);
    const f = fakeStore();
    const cache = createExperimentSnapshotCache({ store: f.store, bus: new MemoryCache(), maxAgeMs: () => 1000, clock });
    expect((await cache.get('1'))?.name).toBe('v1');
    f.bump();
    clock.set(999);
    expect((await cache.get('1'))?.name).toBe('v1');
    expect(f.reads()).toBe(1);
    clock.set(1000);
    expect((await cache.get('1'))?.name).toBe('v2');
    expect(f.reads()).toBe(2);
    await cache.close();
  });

  it('a change made through one process reaches the others over the bus', async () => {
    const bus = new MemoryCache();
    const f = fakeStore();
    const a = createExperimentSnapshotCache({ store: f.store, bus, maxAgeMs: () => 60_000 });
    const b = createExperimentSnapshotCache({ store: f.store, bus, maxAgeMs: () => 60_000 });
    await a.get('7');
    await b.get('7');
    await tick(); // subscriptions are live
    f.bump();
    await a.changed('7');
    expect((await a.get('7'))?.name).toBe('v2');
    await tick();
    expect((await b.get('7'))?.name).toBe('v2');
    await a.close();
    await b.close();
  });

  it('a read that overlaps a change is returned but not kept', async () => {
    const f = fakeStore();
    const cache = createExperimentSnapshotCache({ store: f.store, bus: new MemoryCache(), maxAgeMs: () => 60_000 });
    const release = f.hold();
    const slow = cache.get('3');
    f.bump();
    await cache.changed('3');
    release();
    expect((await slow)?.name).toBe('v1');
    expect((await cache.get('3'))?.name).toBe('v2');
    await cache.close();
  });

  it('lifetime 0 always reads the store', async () => {
    const f = fakeStore();
    const cache = createExperimentSnapshotCache({ store: f.store, bus: new MemoryCache(), maxAgeMs: () => 0 });
    await cache.get('1');
    await cache.get('1');
    expect(f.reads()).toBe(2);
    await cache.close();
  });
});
