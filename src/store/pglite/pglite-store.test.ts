import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDataDir } from '../../../test/support/databases.ts';
import { openStore } from '../open-store.ts';
import { seedExperiment, seedTenant } from '../../../test/support/kits/seed.ts';

describe('PGlite store on a data directory', () => {
  let dataDir: string;
  let remove: () => void;
  beforeAll(async () => {
    ({ dataDir, remove } = await createTestDataDir());
  });
  afterAll(() => remove?.());

  it('persists across close and reopen (migrations are a no-op the second time)', async () => {
    const first = await openStore({ dataDir });
    expect(first.backend).toBe('pglite');
    const t = await seedTenant(first, 'persist');
    const e = await seedExperiment(first, t.clientId, { name: 'kept' });
    await first.transaction(async (tx) => {
      await tx.observations.create({ experimentId: e.id, suggestionId: null, assignments: { x: 0.1 }, task: null, values: [{ name: null, value: 1, valueStddev: null }], failed: false, created: 5, metadata: null });
    });
    await first.close();

    const second = await openStore({ dataDir });
    expect(await second.experiments.get(e.id)).toEqual(e);
    expect(await second.observations.countLive(e.id)).toBe(1);
    // Identity sequences continue: a new id never reuses an old one.
    const next = await seedExperiment(second, t.clientId);
    expect(BigInt(next.id)).toBeGreaterThan(BigInt(e.id));
    await second.close();
  });

  it('a transaction holds the single connection: outer queries wait and never see uncommitted rows', async () => {
    const store = await openStore({ dataDir });
    try {
      const t = await seedTenant(store, 'excl');
      let outerSaw: number | undefined;
      let outer: Promise<number> | undefined;
      await store.transaction(async (inner) => {
        await seedExperiment(inner, t.clientId, { name: 'pending' });
        // An outer read started while the transaction is open must queue behind it (awaiting it
        // here would deadlock, which is exactly the documented rule).
        outer = store.experiments
          .list({ clientIds: [t.clientId], state: 'all' }, 'id', { limit: 10, ascending: true })
          .then((p) => (outerSaw = p.count));
        await new Promise((r) => setImmediate(r));
        await inner.ping();
        expect(outerSaw).toBeUndefined();
      });
      // It ran only after COMMIT, so it counts the committed row.
      expect(await outer).toBe(1);
    } finally {
      await store.close();
    }
  });
});
