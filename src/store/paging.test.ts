import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { pageInMemory, type Page, type PageRequest, type SortKey } from './keyset.ts';
import { seedExperiment, seedTenant } from '../../test/support/kits/seed.ts';
import type { Store } from './store.ts';
import type { ExperimentRecord } from './ports/records.ts';

/** The reference model: the same list sorted in memory, numerically on every key element. */
function modelCompare(ascending: boolean) {
  return (a: SortKey, b: SortKey): number => {
    for (let i = 0; i < a.length; i++) {
      const x = BigInt(String(a[i]));
      const y = BigInt(String(b[i]));
      if (x !== y) return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    }
    return 0;
  };
}

const summary = (p: Page<{ id: string }>) => ({ ids: p.items.map((e) => e.id), count: p.count, before: p.before, after: p.after });

for (const backend of testStores()) {
  describe.skipIf(backend.skip)(`keyset paging against a model (${backend.name})`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    beforeAll(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterAll(() => opened?.close());

    it('random data, limits and markers: every page equals the model; before-iteration visits each item once', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 14 }),
          fc.array(
            fc.record({
              limit: fc.integer({ min: 0, max: 6 }),
              ascending: fc.boolean(),
              sort: fc.constantFrom('id' as const, 'recent' as const),
              marker: fc.constantFrom('none', 'before', 'after', 'both'),
              pick: fc.nat(),
              pick2: fc.nat(),
              synthetic: fc.integer({ min: -1, max: 5 }),
            }),
            { minLength: 1, maxLength: 4 },
          ),
          async (updates, requests) => {
            const t = await seedTenant(store, 'pg');
            const rows: ExperimentRecord[] = [];
            for (const u of updates) rows.push(await seedExperiment(store, t.clientId, { updated: u }));
            const filter = { clientIds: [t.clientId], state: 'all' as const };
            for (const r of requests) {
              const keyOf = (e: { id: string; updated: number }): SortKey => (r.sort === 'recent' ? [e.updated, e.id] : [e.id]);
              // Markers: an existing item's key, or a key between/outside existing ones.
              const keyAt = (n: number): SortKey => {
                const row = rows[n % Math.max(rows.length, 1)];
                if (row === undefined || n % 3 === 2) {
                  const id = String(BigInt(rows[0]?.id ?? '1') + BigInt(r.synthetic * 3));
                  return r.sort === 'recent' ? [r.synthetic, id] : [id];
                }
                return keyOf(row);
              };
              const req: PageRequest = {
                limit: r.limit,
                ascending: r.ascending,
                ...(r.marker === 'before' || r.marker === 'both' ? { before: keyAt(r.pick) } : {}),
                ...(r.marker === 'after' || r.marker === 'both' ? { after: keyAt(r.pick2) } : {}),
              };
              const actual = await store.experiments.list(filter, r.sort, req);
              const expected = pageInMemory(rows, req, keyOf, modelCompare(r.ascending));
              expect(summary(actual)).toEqual(summary(expected));

              if (r.limit > 0) {
                const seen: string[] = [];
                let page = await store.experiments.list(filter, r.sort, { limit: r.limit, ascending: r.ascending });
                seen.push(...page.items.map((e) => e.id));
                while (page.before !== null) {
                  page = await store.experiments.list(filter, r.sort, { limit: r.limit, ascending: r.ascending, before: page.before });
                  seen.push(...page.items.map((e) => e.id));
                }
                const all = pageInMemory(rows, { limit: rows.length, ascending: r.ascending }, keyOf, modelCompare(r.ascending));
                expect(seen).toEqual(all.items.map((e) => e.id));
              }
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  });
}
