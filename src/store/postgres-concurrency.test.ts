import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { openStore } from './open-store.ts';
import { seedExperiment, seedTenant } from '../../test/support/kits/seed.ts';
import type { Store } from './store.ts';

const postgres = testStores().find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skip)('PostgreSQL concurrency', () => {
  let opened: OpenedTestStore;
  let stores: Store[];
  beforeAll(async () => {
    opened = await postgres.open();
    // Three independent pools stand in for three API processes.
    stores = [opened.store, await openStore({ databaseUrl: opened.databaseUrl, poolSize: 6 }), await openStore({ databaseUrl: opened.databaseUrl, poolSize: 6 })];
  });
  afterAll(async () => {
    for (const s of stores?.slice(1) ?? []) await s.close();
    await opened?.close();
  });

  it('popOldest under concurrent callers: every entry popped exactly once, FIFO per caller', async () => {
    const store = opened.store;
    const t = await seedTenant(store, 'conc');
    const e = await seedExperiment(store, t.clientId);
    const n = 120;
    const queued: string[] = [];
    for (let i = 0; i < n; i++) queued.push((await store.queuedSuggestions.create({ experimentId: e.id, assignments: { x: i }, task: null, created: i })).id);

    // Five concurrent callers per pool; each records what it popped, in order.
    const popped: string[][] = Array.from({ length: stores.length * 5 }, () => []);
    const workers = stores.flatMap((s, si) =>
      Array.from({ length: 5 }, (_, wi) => (async () => {
        const mine = popped[si * 5 + wi]!;
        // SKIP LOCKED may return null while rows remain locked by others; stop only when empty.
        for (;;) {
          const q = await s.queuedSuggestions.popOldest(e.id);
          if (q) {
            mine.push(q.id);
            continue;
          }
          if ((await s.queuedSuggestions.list(e.id, { limit: 0, ascending: false })).count === 0) return;
        }
      })()),
    );
    await Promise.all(workers);
    const all = popped.flat();
    expect(all).toHaveLength(n);
    expect(new Set(all).size).toBe(n);
    expect([...all].sort()).toEqual([...queued].sort());
    // Each caller sees increasing ids: the queue is served oldest-first.
    for (const mine of popped) expect(mine.map(BigInt)).toEqual([...mine.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('concurrent transactions on one pool stay isolated; a rolled-back one leaves nothing', async () => {
    const store = opened.store;
    const t = await seedTenant(store, 'iso');
    const e = await seedExperiment(store, t.clientId);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.observations.createMany([{ experimentId: e.id, suggestionId: null, assignments: { x: i }, task: null, values: [], failed: true, created: i, metadata: null }]);
          await tx.experiments.touch(e.id, 2000 + i);
          if (i % 2 === 1) throw new Error(`abort ${i}`);
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    const live = await store.observations.listLive(e.id);
    expect(live.map((o) => o.assignments.x).sort()).toEqual([0, 2, 4, 6]);
    expect((await store.experiments.get(e.id))?.updated).toBe(2006);
  });
});
