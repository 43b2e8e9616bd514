import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessLock } from '../ports/keyed-lock.ts';
import type { ExperimentFilter } from '../../store/store.ts';
import { seedExperiment, seedTenant } from '../../../test/support/kits/seed.ts';
import { type OpenedTestStore, testStores } from '../../../test/support/databases.ts';
import { createCacheExperimentCounts } from './cache-experiment-counts.ts';
import { MemoryCache } from '../../cache/memory/memory-cache.ts';

describe.each(testStores())('cache experiment counts on $name', (backend) => {
  let opened: OpenedTestStore;
  beforeAll(async () => {
    opened = await backend.open();
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });

  it('plain list filters are counted exactly through creates, deletes, restores and a lost cache', async () => {
    const store = opened.store;
    const { clientId } = await seedTenant(store, 'counts');
    const cache = new MemoryCache();
    const counts = createCacheExperimentCounts({ cache, lock: createInProcessLock() });
    const filters: ExperimentFilter[] = (['active', 'deleted', 'all'] as const).flatMap((state) => [
      { clientIds: [clientId], state },
      { clientIds: [clientId], state, development: true },
      { clientIds: [clientId], state, development: false },
    ]);
    const check = async () => {
      for (const f of filters)
        expect(await counts.count(f, () => store.experiments.count(f)), JSON.stringify(f)).toBe(await store.experiments.count(f));
    };
    const create = (development: boolean, runsOnly = false) =>
      counts.record(
        clientId,
        () => seedExperiment(store, clientId, { development, runsOnly }),
        (created) => ({ created }),
      );
    await check(); // caches zeros
    const made = await Promise.all([create(false), create(false), create(true), create(false, true), create(true)]);
    await check();
    const victim = made[2]!;
    await counts.record(
      clientId,
      () => store.experiments.update(victim.id, { state: 'deleted' }),
      () => ({ deleted: victim }),
    );
    await check();
    await counts.record(
      clientId,
      () => store.experiments.update(victim.id, { state: 'active' }),
      () => 'rebuild',
    );
    await check();
    for (const f of filters)
      await cache.delete(`expcount:${clientId}:${f.state}:${f.development === undefined ? 'any' : f.development ? 'dev' : 'prod'}`);
    await create(true);
    await check();
  });

  it('filters with a search, period, project, user or runs-only experiments are left to the store', async () => {
    const counts = createCacheExperimentCounts({ cache: new MemoryCache(), lock: createInProcessLock() });
    const base: ExperimentFilter = { clientIds: ['1'], state: 'active' };
    for (const extra of [
      { search: 'x' },
      { periodStart: 1 },
      { projectId: 'p' },
      { userId: '2' },
      { includeRunsOnly: true },
      { clientIds: ['1', '2'] },
    ]) {
      expect(await counts.count({ ...base, ...extra }, () => Promise.resolve(7))).toBeNull();
    }
  });
});
