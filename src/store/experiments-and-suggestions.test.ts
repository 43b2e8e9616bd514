import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { sampleSpec, seedExperiment, seedTenant } from '../../test/support/kits/seed.ts';
import type { Store } from './store.ts';

for (const backend of testStores()) {
  describe.skipIf(backend.skip)(`experiments, suggestions, queue (${backend.name})`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    beforeAll(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterAll(() => opened?.close());

    it('experiments: create round-trips the record, get, partial update, touch only moves forward', async () => {
      const t = await seedTenant(store, 'exp');
      const e = await seedExperiment(store, t.clientId, { userId: t.userId, metadata: { a: 1, b: 'x' }, name: 'Round trip' });
      expect(e).toEqual({
        id: e.id, clientId: t.clientId, userId: t.userId, projectId: null, name: 'Round trip', state: 'active', development: false,
        runsOnly: false, created: 1000, updated: 1000, metadata: { a: 1, b: 'x' }, spec: sampleSpec,
      });
      expect(await store.experiments.get(e.id)).toEqual(e);
      expect(await store.experiments.get('123456789')).toBeNull();
      expect(await store.experiments.get('abc')).toBeNull();
      const patched = await store.experiments.update(e.id, { name: 'Renamed', metadata: null, state: 'deleted', spec: { ...sampleSpec, observationBudget: 30 } });
      expect(patched).toMatchObject({ name: 'Renamed', metadata: null, state: 'deleted', updated: 1000 });
      expect(patched?.spec.observationBudget).toBe(30);
      expect(await store.experiments.update(e.id, {})).toEqual(patched);
      await store.experiments.touch(e.id, 2000);
      await store.experiments.touch(e.id, 1500);
      expect((await store.experiments.get(e.id))?.updated).toBe(2000);
      expect(await store.experiments.update('424242', { name: 'x' })).toBeNull();
    });

    it('experiments: list filters, sorts and paging', async () => {
      const t = await seedTenant(store, 'lst');
      const other = await seedTenant(store, 'oth');
      await store.projects.create({ clientId: t.clientId, id: 'p', name: 'P', userId: null, created: 1, updated: 1, metadata: null });
      const e1 = await seedExperiment(store, t.clientId, { name: 'Alpha 50%_off', created: 100, updated: 500, userId: t.userId });
      const e2 = await seedExperiment(store, t.clientId, { name: 'beta', created: 200, updated: 300, development: true, projectId: 'p' });
      const e3 = await seedExperiment(store, t.clientId, { name: 'Gamma', created: 300, updated: 400, state: 'deleted' });
      const e4 = await seedExperiment(store, t.clientId, { name: 'runs', created: 400, updated: 100, runsOnly: true });
      await seedExperiment(store, other.clientId, { name: 'alien' });
      const ids = async (f: Parameters<Store['experiments']['list']>[0], sort: 'id' | 'recent' = 'id', ascending = false) =>
        (await store.experiments.list(f, sort, { limit: 100, ascending })).items.map((e) => e.id);
      const c = [t.clientId];
      expect(await ids({ clientIds: c, state: 'active' })).toEqual([e2.id, e1.id]);
      expect(await ids({ clientIds: c, state: 'all' })).toEqual([e3.id, e2.id, e1.id]);
      expect(await ids({ clientIds: c, state: 'deleted' })).toEqual([e3.id]);
      expect(await ids({ clientIds: c, state: 'all', includeRunsOnly: true })).toEqual([e4.id, e3.id, e2.id, e1.id]);
      expect(await ids({ clientIds: c, state: 'all' }, 'recent')).toEqual([e1.id, e3.id, e2.id]);
      expect(await ids({ clientIds: c, state: 'all' }, 'recent', true)).toEqual([e2.id, e3.id, e1.id]);
      expect(await ids({ clientIds: c, state: 'all', search: 'ALPHA' })).toEqual([e1.id]);
      expect(await ids({ clientIds: c, state: 'all', search: '50%_' })).toEqual([e1.id]);
      expect(await ids({ clientIds: c, state: 'all', search: '5_%' })).toEqual([]);
      expect(await ids({ clientIds: c, state: 'all', search: 'LST own' })).toEqual([e1.id]); // creator's name
      expect(await ids({ clientIds: c, state: 'all', periodStart: 200, periodEnd: 300 })).toEqual([e2.id]);
      expect(await ids({ clientIds: c, state: 'all', development: true })).toEqual([e2.id]);
      expect(await ids({ clientIds: c, state: 'all', projectId: 'p' })).toEqual([e2.id]);
      expect(await ids({ userId: t.userId, state: 'all' })).toEqual([e1.id]);
      expect(await ids({ clientIds: [t.clientId, other.clientId], state: 'active' })).toHaveLength(3);
      expect(await ids({ clientIds: [], state: 'all' })).toEqual([]);

      const p1 = await store.experiments.list({ clientIds: c, state: 'all' }, 'recent', { limit: 2, ascending: false });
      expect(p1).toMatchObject({ count: 3, before: [400, e3.id], after: [500, e1.id] });
      const p2 = await store.experiments.list({ clientIds: c, state: 'all' }, 'recent', { limit: 2, ascending: false, before: p1.before! });
      expect(p2.items.map((e) => e.id)).toEqual([e2.id]);
      expect(p2.before).toBeNull();
      const zero = await store.experiments.list({ clientIds: c, state: 'all' }, 'id', { limit: 0, ascending: false });
      expect(zero).toEqual({ items: [], count: 3, before: null, after: null });
    });

    it('suggestions: create, get, list filters, metadata, delete one/all/open, open list, close', async () => {
      const t = await seedTenant(store, 'sug');
      const e = await seedExperiment(store, t.clientId);
      const other = await seedExperiment(store, t.clientId);
      const s1 = await store.suggestions.create({ experimentId: e.id, assignments: { x: 0.5 }, task: null, created: 1, metadata: { m: 1 }, source: 'random' });
      expect(s1).toEqual({ id: s1.id, experimentId: e.id, assignments: { x: 0.5 }, task: null, state: 'open', deleted: false, created: 1, metadata: { m: 1 }, source: 'random' });
      const s2 = await store.suggestions.create({ experimentId: e.id, assignments: { x: 0.25 }, task: 'cheap', created: 2, metadata: null, source: 'explicit' });
      const s3 = await store.suggestions.create({ experimentId: e.id, assignments: { x: 0.75 }, task: null, created: 3, metadata: null, source: 'model' });
      await store.suggestions.create({ experimentId: other.id, assignments: { x: 0.1 }, task: null, created: 3, metadata: null, source: 'model' });

      expect(await store.suggestions.get(e.id, s2.id)).toEqual(s2);
      expect(await store.suggestions.get(other.id, s2.id)).toBeNull();
      expect(await store.suggestions.close(e.id, s2.id)).toBe(true);
      expect((await store.suggestions.listOpen(e.id)).map((s) => s.id)).toEqual([s1.id, s3.id]);
      const open = await store.suggestions.list(e.id, { deleted: false, state: 'open' }, { limit: 10, ascending: false });
      expect(open.items.map((s) => s.id)).toEqual([s3.id, s1.id]);
      expect(open.count).toBe(2);
      expect((await store.suggestions.list(e.id, { deleted: false, ids: [s1.id, s2.id, 'junk'] }, { limit: 10, ascending: true })).items.map((s) => s.id)).toEqual([s1.id, s2.id]);

      expect(await store.suggestions.updateMetadata(e.id, s1.id, { n: 'two' })).toMatchObject({ metadata: { n: 'two' } });
      expect(await store.suggestions.updateMetadata(e.id, s1.id, null)).toMatchObject({ metadata: null });
      expect(await store.suggestions.delete(e.id, s3.id)).toBe(true);
      expect(await store.suggestions.delete(other.id, s1.id)).toBe(false);
      expect((await store.suggestions.list(e.id, { deleted: true }, { limit: 10, ascending: false })).items.map((s) => s.id)).toEqual([s3.id]);
      expect((await store.suggestions.listOpen(e.id)).map((s) => s.id)).toEqual([s1.id]);
      expect(await store.suggestions.deleteAll(e.id, { onlyOpen: true })).toBe(1);
      expect((await store.suggestions.get(e.id, s2.id))?.deleted).toBe(false);
      expect(await store.suggestions.deleteAll(e.id)).toBe(1);
      expect((await store.suggestions.list(e.id, { deleted: false }, { limit: 10, ascending: false })).count).toBe(0);
      expect((await store.suggestions.listOpen(other.id))).toHaveLength(1);
    });

    it('suggestions: takenPoints returns open suggestions and, when asked, live observations in one statement', async () => {
      const t = await seedTenant(store, 'taken');
      const e = await seedExperiment(store, t.clientId);
      const sug = (x: number, task: string | null = null) =>
        store.suggestions.create({ experimentId: e.id, assignments: { x }, task, created: 1, metadata: null, source: 'random' });
      const open = await sug(0.1, 'cheap');
      const closed = await sug(0.2);
      const deleted = await sug(0.3);
      await store.suggestions.close(e.id, closed.id);
      await store.suggestions.delete(e.id, deleted.id);
      const obs = (x: number) =>
        store.observations.create({ experimentId: e.id, suggestionId: null, assignments: { x }, task: null, values: [], failed: true, created: 2, metadata: null });
      await obs(0.4);
      const gone = await obs(0.5);
      await store.observations.delete(e.id, gone.id);
      expect(await store.suggestions.takenPoints(e.id, { withObservations: false })).toEqual({ open: [{ assignments: { x: 0.1 }, task: 'cheap' }], observed: [] });
      expect(await store.suggestions.takenPoints(e.id, { withObservations: true })).toEqual({
        open: [{ assignments: { x: open.assignments.x }, task: 'cheap' }],
        observed: [{ assignments: { x: 0.4 }, task: null }],
      });
    });

    it('queued suggestions: FIFO pop, get, list, delete', async () => {
      const t = await seedTenant(store, 'que');
      const e = await seedExperiment(store, t.clientId);
      const q1 = await store.queuedSuggestions.create({ experimentId: e.id, assignments: { x: 0.1 }, task: null, created: 5 });
      expect(q1).toEqual({ id: q1.id, experimentId: e.id, assignments: { x: 0.1 }, task: null, created: 5 });
      const q2 = await store.queuedSuggestions.create({ experimentId: e.id, assignments: { x: 0.2 }, task: 't', created: 6 });
      const q3 = await store.queuedSuggestions.create({ experimentId: e.id, assignments: { x: 0.3 }, task: null, created: 7 });
      expect(await store.queuedSuggestions.get(e.id, q2.id)).toEqual(q2);
      const listed = await store.queuedSuggestions.list(e.id, { limit: 2, ascending: false });
      expect(listed).toMatchObject({ count: 3, before: [q2.id], after: [q3.id] });
      expect(await store.queuedSuggestions.popOldest(e.id)).toEqual(q1);
      expect(await store.queuedSuggestions.get(e.id, q1.id)).toBeNull();
      expect(await store.queuedSuggestions.delete(e.id, q2.id)).toBe(true);
      expect(await store.queuedSuggestions.delete(e.id, q2.id)).toBe(false);
      expect(await store.queuedSuggestions.popOldest(e.id)).toEqual(q3);
      expect(await store.queuedSuggestions.popOldest(e.id)).toBeNull();
    });

    it('optimizer state: put upserts, get, delete', async () => {
      const t = await seedTenant(store, 'opt');
      const e = await seedExperiment(store, t.clientId);
      expect(await store.optimizerState.get(e.id)).toBeNull();
      await store.optimizerState.put({ experimentId: e.id, state: { lengthscales: [0.5, 1] }, updated: 1 });
      await store.optimizerState.put({ experimentId: e.id, state: { lengthscales: [0.7] }, updated: 2 });
      expect(await store.optimizerState.get(e.id)).toEqual({ experimentId: e.id, state: { lengthscales: [0.7] }, updated: 2 });
      expect(await store.optimizerState.delete(e.id)).toBe(true);
      expect(await store.optimizerState.get(e.id)).toBeNull();
    });

    it('transaction: commits on success, rolls back everything on throw, nested calls join', async () => {
      const t = await seedTenant(store, 'txn');
      const kept = await store.transaction(async (tx) => {
        const e = await seedExperiment(tx, t.clientId, { name: 'kept' });
        await tx.transaction((inner) => inner.suggestions.create({ experimentId: e.id, assignments: {}, task: null, created: 1, metadata: null, source: 'random' }));
        return e;
      });
      expect(await store.experiments.get(kept.id)).toMatchObject({ name: 'kept' });
      expect((await store.suggestions.listOpen(kept.id))).toHaveLength(1);
      let lostId = '';
      await expect(
        store.transaction(async (tx) => {
          lostId = (await seedExperiment(tx, t.clientId, { name: 'lost' })).id;
          await tx.observations.create({ experimentId: lostId, suggestionId: null, assignments: { x: 1 }, task: null, values: [], failed: true, created: 1, metadata: null });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(lostId).not.toBe('');
      expect(await store.experiments.get(lostId)).toBeNull();
      // The connection is usable afterwards (PGlite lock released, no dangling transaction).
      expect(await store.experiments.get(kept.id)).not.toBeNull();
    });

    it('ping works and concurrent queries interleave with a transaction without leaking into it', async () => {
      await store.ping();
      const t = await seedTenant(store, 'iso');
      const outside = Promise.all([1, 2, 3].map((i) => seedExperiment(store, t.clientId, { name: `outside-${i}` })));
      await expect(
        store.transaction(async (tx) => {
          await seedExperiment(tx, t.clientId, { name: 'inside' });
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await outside;
      const names = (await store.experiments.list({ clientIds: [t.clientId], state: 'all' }, 'id', { limit: 10, ascending: true })).items.map((e) => e.name);
      expect(names.sort()).toEqual(['outside-1', 'outside-2', 'outside-3']);
    });
  });
}
