import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { InvalidSortKeyError } from './keyset.ts';
import { seedExperiment, seedTenant } from '../../test/support/kits/seed.ts';
import type { NewObservation, ObservationSort, Store } from './store.ts';

for (const backend of testStores()) {
  describe.skipIf(backend.skip)(`observations (${backend.name})`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    let experimentId: string;
    beforeAll(async () => {
      opened = await backend.open();
      store = opened.store;
      const t = await seedTenant(store, 'obs');
      experimentId = (await seedExperiment(store, t.clientId)).id;
    });
    afterAll(() => opened?.close());

    const obs = (over: Partial<NewObservation> = {}): NewObservation => ({
      experimentId, suggestionId: null, assignments: { x: 0.5 }, task: null,
      values: [{ name: 'f', value: 1, valueStddev: null }], failed: false, created: 10, metadata: null, ...over,
    });

    it('report: one statement inserts, closes the suggestion (copying its point) and touches the experiment', async () => {
      const t = await seedTenant(store, 'report');
      const e = await seedExperiment(store, t.clientId, { updated: 5 });
      const other = await seedExperiment(store, t.clientId, { updated: 5 });
      const s = await store.suggestions.create({ experimentId: e.id, assignments: { x: 0.25 }, task: 'cheap', created: 1, metadata: null, source: 'random' });
      const report = { experimentId: e.id, assignments: null, task: null, values: [{ name: 'f', value: 3, valueStddev: null }], failed: false, created: 20, metadata: { k: 1 } };
      const o = await store.observations.report({ ...report, suggestionId: s.id });
      expect(o).toEqual({ ...report, id: o?.id, suggestionId: s.id, assignments: { x: 0.25 }, task: 'cheap', deleted: false });
      expect((await store.suggestions.get(e.id, s.id))?.state).toBe('closed');
      expect((await store.experiments.get(e.id))?.updated).toBe(20);
      // A suggestion of another experiment, or an unknown one: nothing is written or touched.
      expect(await store.observations.report({ ...report, experimentId: other.id, suggestionId: s.id, created: 30 })).toBeNull();
      expect(await store.observations.report({ ...report, experimentId: other.id, suggestionId: '999999999', created: 30 })).toBeNull();
      expect(await store.observations.report({ ...report, experimentId: other.id, suggestionId: 'x1', created: 30 })).toBeNull();
      expect(await store.observations.countLive(other.id)).toBe(0);
      expect((await store.experiments.get(other.id))?.updated).toBe(5);
      // Without a suggestion: the given point; `updated` never moves backwards.
      const plain = await store.observations.report({ ...report, suggestionId: null, assignments: { x: 0.75 }, failed: true, values: [], created: 15 });
      expect(plain).toMatchObject({ assignments: { x: 0.75 }, suggestionId: null, failed: true, values: [], created: 15 });
      expect((await store.experiments.get(e.id))?.updated).toBe(20);
      expect((await store.observations.listLive(e.id)).map((x) => x.id)).toEqual([o?.id, plain?.id]);
    });

    it('create, get, update (partial), delete, first/last/count live', async () => {
      const t = await seedTenant(store, 'one');
      const e = await seedExperiment(store, t.clientId);
      const s = await store.suggestions.create({ experimentId: e.id, assignments: { x: 0.5 }, task: null, created: 1, metadata: null, source: 'random' });
      const o1 = await store.observations.create(obs({ experimentId: e.id, suggestionId: s.id, values: [{ name: 'f', value: 2.5, valueStddev: 0.1 }], metadata: { a: 'b' } }));
      expect(o1).toEqual({
        id: o1.id, experimentId: e.id, suggestionId: s.id, assignments: { x: 0.5 }, task: null,
        values: [{ name: 'f', value: 2.5, valueStddev: 0.1 }], failed: false, deleted: false, created: 10, metadata: { a: 'b' },
      });
      expect(await store.observations.get(e.id, o1.id)).toEqual(o1);
      expect(await store.observations.get(experimentId, o1.id)).toBeNull();
      const o2 = await store.observations.create(obs({ experimentId: e.id, failed: true, values: [], created: 11 }));
      const o3 = await store.observations.create(obs({ experimentId: e.id, created: 12 }));
      expect(await store.observations.countLive(e.id)).toBe(3);
      expect((await store.observations.firstLive(e.id))?.id).toBe(o1.id);
      expect((await store.observations.lastLive(e.id))?.id).toBe(o3.id);

      const u = await store.observations.update(e.id, o2.id, { failed: false, values: [{ name: 'f', value: 3, valueStddev: null }], metadata: null, task: 'small' });
      expect(u).toEqual({ ...o2, failed: false, values: [{ name: 'f', value: 3, valueStddev: null }], task: 'small' });
      expect(await store.observations.update(e.id, o2.id, {})).toEqual(u);
      expect(await store.observations.update(e.id, '99999', { failed: true })).toBeNull();

      expect(await store.observations.delete(e.id, o3.id)).toBe(true);
      expect((await store.observations.lastLive(e.id))?.id).toBe(o2.id);
      expect((await store.observations.listLive(e.id)).map((o) => o.id)).toEqual([o1.id, o2.id]);
      expect((await store.observations.list(e.id, { deleted: true }, { kind: 'id' }, { limit: 10, ascending: false })).items.map((o) => o.id)).toEqual([o3.id]);
      expect(await store.observations.deleteAll(e.id)).toBe(2);
      expect(await store.observations.countLive(e.id)).toBe(0);
      expect(await store.observations.firstLive(e.id)).toBeNull();
      expect(await store.observations.lastLive(e.id)).toBeNull();
    });

    it('createMany inside a transaction returns records in input order and is all-or-nothing', async () => {
      const t = await seedTenant(store, 'many');
      const e = await seedExperiment(store, t.clientId);
      const inputs = Array.from({ length: 2500 }, (_, i) => obs({ experimentId: e.id, assignments: { x: i / 2500 }, created: i }));
      const created = await store.transaction((tx) => tx.observations.createMany(inputs));
      expect(created).toHaveLength(2500);
      expect(created.map((o) => o.assignments.x)).toEqual(inputs.map((o) => o.assignments.x));
      expect(created.map((o) => BigInt(o.id))).toEqual([...created.map((o) => BigInt(o.id))].sort((a, b) => (a < b ? -1 : 1)));
      expect(await store.observations.countLive(e.id)).toBe(2500);
      await expect(
        store.transaction(async (tx) => {
          await tx.observations.createMany([obs({ experimentId: e.id }), obs({ experimentId: e.id })]);
          await tx.observations.createMany([obs({ experimentId: '9999999' })]); // foreign key violation
        }),
      ).rejects.toThrow();
      expect(await store.observations.countLive(e.id)).toBe(2500);
      expect(await store.observations.createMany([])).toEqual([]);
    });

    describe('sorts', () => {
      let ids: Record<string, string>;
      beforeAll(async () => {
        const mk = async (name: string, o: Partial<NewObservation>) => [name, (await store.observations.create(obs(o))).id] as const;
        ids = Object.fromEntries([
          await mk('a', { created: 30, assignments: { x: 0.9, c: 'red' }, values: [{ name: 'f', value: 5, valueStddev: 0.5 }, { name: 'g', value: -1, valueStddev: null }], task: 'big' }),
          await mk('b', { created: 10, assignments: { x: 0.1 }, values: [{ name: 'f', value: 7, valueStddev: 0.1 }], task: 'small' }),
          await mk('failed', { created: 20, assignments: { x: 0.5, c: 'blue' }, values: [], failed: true, task: 'big' }),
          await mk('c', { created: 20, assignments: { x: 0.3, c: 'green' }, values: [{ name: 'f', value: 1, valueStddev: null }], task: null }),
        ]);
      });
      const order = async (sort: ObservationSort, ascending: boolean) => {
        const page = await store.observations.list(experimentId, { deleted: false }, sort, { limit: 100, ascending });
        const names = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
        return page.items.map((o) => names[o.id]);
      };

      it('id and timestamp (created, then id)', async () => {
        expect(await order({ kind: 'id' }, false)).toEqual(['c', 'failed', 'b', 'a']);
        expect(await order({ kind: 'timestamp' }, true)).toEqual(['b', 'failed', 'c', 'a']);
        expect(await order({ kind: 'timestamp' }, false)).toEqual(['a', 'c', 'failed', 'b']);
      });

      it('value / value_stddev of a named metric, missing values last in both directions', async () => {
        expect(await order({ kind: 'value', metric: 'f', field: 'value' }, false)).toEqual(['b', 'a', 'c', 'failed']);
        expect(await order({ kind: 'value', metric: 'f', field: 'value' }, true)).toEqual(['c', 'a', 'b', 'failed']);
        expect(await order({ kind: 'value', metric: 'f', field: 'valueStddev' }, true)).toEqual(['b', 'a', 'failed', 'c']);
        expect(await order({ kind: 'value', metric: 'g', field: 'value' }, true)).toEqual(['a', 'b', 'failed', 'c']); // nulls tie on id
      });

      it('parameter (numbers, strings, absent last) and task cost then value', async () => {
        expect(await order({ kind: 'parameter', name: 'x' }, true)).toEqual(['b', 'c', 'failed', 'a']);
        expect(await order({ kind: 'parameter', name: 'c' }, true)).toEqual(['failed', 'c', 'a', 'b']);
        expect(await order({ kind: 'task', taskCosts: { big: 1, small: 0.1 }, metric: 'f' }, false)).toEqual(['a', 'failed', 'b', 'c']);
      });

      it('in-memory sorts page with the same contract and validate markers', async () => {
        const sort: ObservationSort = { kind: 'value', metric: 'f', field: 'value' };
        const p1 = await store.observations.list(experimentId, { deleted: false }, sort, { limit: 2, ascending: false });
        expect(p1.count).toBe(4);
        expect(p1.before).toEqual([5, ids.a]);
        const p2 = await store.observations.list(experimentId, { deleted: false }, sort, { limit: 2, ascending: false, before: p1.before! });
        expect(p2.items.map((o) => o.id)).toEqual([ids.c, ids.failed]);
        expect(p2.before).toBeNull();
        expect(p2.after).toEqual([1, ids.c]);
        const back = await store.observations.list(experimentId, { deleted: false }, sort, { limit: 5, ascending: false, after: p2.after! });
        expect(back.items.map((o) => o.id)).toEqual([ids.b, ids.a]);
        await expect(store.observations.list(experimentId, { deleted: false }, sort, { limit: 2, ascending: false, before: [1] })).rejects.toBeInstanceOf(InvalidSortKeyError);
        await expect(store.observations.list(experimentId, { deleted: false }, { kind: 'id' }, { limit: 2, ascending: false, before: ['x'] })).rejects.toBeInstanceOf(InvalidSortKeyError);
      });
    });
  });
}
