import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { DuplicateKeyError } from './duplicate-key-error.ts';
import { InvalidSortKeyError } from './keyset.ts';
import { seedExperiment, seedTenant } from '../../test/support/kits/seed.ts';
import type { Store } from './store.ts';

for (const backend of testStores()) {
  describe.skipIf(backend.skip)(`tenancy and projects (${backend.name})`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    beforeAll(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    afterAll(() => opened?.close());

    it('bootstraps tenancy and reads it back', async () => {
      expect(await store.organizations.hasAny()).toBe(false);
      const t = await seedTenant(store, 'boot');
      expect(await store.organizations.hasAny()).toBe(true);
      await store.organizations.create({ name: 'later', created: 200 });
      expect(await store.organizations.first()).toMatchObject({ id: t.organizationId, name: 'boot' });
      expect(await store.organizations.get(t.organizationId)).toEqual({ id: t.organizationId, name: 'boot', created: 100, deleted: false });
      expect(await store.clients.get(t.clientId)).toEqual({ id: t.clientId, organizationId: t.organizationId, name: 'boot team', created: 100, deleted: false });
      expect(await store.users.get(t.userId)).toMatchObject({ id: t.userId, email: 'boot@example.com', deleted: false });
      expect(await store.users.findByEmail('BOOT@example.com')).toMatchObject({ id: t.userId });
      expect(await store.users.findByEmail('nobody@example.com')).toBeNull();
      expect((await store.clients.listByOrganization(t.organizationId)).map((c) => c.id)).toEqual([t.clientId]);
      expect(await store.organizations.get('999999')).toBeNull();
      expect(await store.clients.get('not-an-id')).toBeNull();
    });

    it('password logins: the hash is stored, found by email and never part of the user record', async () => {
      const withPassword = await store.users.create({ name: 'P', email: 'Login@Example.com', created: 7, passwordHash: 'scrypt$15$8$1$salt$key' });
      const tokenOnly = await store.users.create({ name: 'T', email: 'token-only@example.com', created: 7 });
      expect(withPassword).toEqual({ id: withPassword.id, name: 'P', email: 'Login@Example.com', created: 7, deleted: false });
      expect(await store.users.findLogin('login@example.COM')).toEqual({ user: withPassword, passwordHash: 'scrypt$15$8$1$salt$key' });
      expect(await store.users.findLogin('token-only@example.com')).toEqual({ user: tokenOnly, passwordHash: null });
      expect(await store.users.findLogin('nobody@example.com')).toBeNull();
      await store.users.update(withPassword.id, { deleted: true });
      expect(await store.users.findLogin('login@example.com')).toBeNull();
    });

    it('memberships: put upserts the role, lists by user and client', async () => {
      const t = await seedTenant(store, 'mem');
      const other = await store.clients.create({ organizationId: t.organizationId, name: 'second', created: 5 });
      await store.memberships.put({ clientId: other.id, userId: t.userId, role: 'read' });
      await store.memberships.put({ clientId: other.id, userId: t.userId, role: 'write' });
      expect(await store.memberships.listForUser(t.userId)).toEqual([
        { clientId: t.clientId, userId: t.userId, role: 'owner' },
        { clientId: other.id, userId: t.userId, role: 'write' },
      ]);
      expect(await store.memberships.listForClient(other.id)).toEqual([{ clientId: other.id, userId: t.userId, role: 'write' }]);
      expect(await store.memberships.get(other.id, t.userId)).toEqual({ clientId: other.id, userId: t.userId, role: 'write' });
      expect(await store.memberships.delete(other.id, t.userId)).toBe(true);
      expect(await store.memberships.get(other.id, t.userId)).toBeNull();
    });

    it('tokens: create, find by hash with owner flags, rotate/renew/revoke, list, duplicate hash', async () => {
      const t = await seedTenant(store, 'tok');
      const token = await store.tokens.create({
        hash: 'h-root', type: 'client-api', scope: 'all_endpoints', clientId: t.clientId, userId: null,
        experimentId: null, permissions: 'write', created: 7, expires: null, root: true,
      });
      expect(token).toEqual({
        id: token.id, hash: 'h-root', type: 'client-api', scope: 'all_endpoints', clientId: t.clientId, userId: null,
        experimentId: null, permissions: 'write', created: 7, expires: null, revoked: false, root: true,
      });
      const dev = await store.tokens.create({
        hash: 'h-dev', type: 'client-dev', scope: 'all_endpoints', clientId: t.clientId, userId: t.userId,
        experimentId: null, permissions: 'write', created: 8, expires: 99,
      });
      expect(await store.tokens.findByHash('h-dev')).toEqual({ token: dev, clientDeleted: false, userDeleted: false });
      expect(await store.tokens.findByHash('nope')).toBeNull();
      await expect(store.tokens.create({ ...dev, hash: 'h-root' })).rejects.toBeInstanceOf(DuplicateKeyError);

      const rotated = await store.tokens.update(dev.id, { hash: 'h-dev-2', expires: 200 });
      expect(rotated).toMatchObject({ hash: 'h-dev-2', expires: 200, revoked: false });
      expect(await store.tokens.findByHash('h-dev')).toBeNull();
      await store.tokens.update(dev.id, { revoked: true });
      expect(await store.tokens.list({ clientId: t.clientId })).toEqual([token]);
      expect((await store.tokens.list({ clientId: t.clientId, includeRevoked: true })).map((x) => x.id)).toEqual([token.id, dev.id]);
      expect(await store.tokens.list({ userId: t.userId, types: ['client-api'] })).toEqual([]);
      expect(await store.tokens.update('424242', { revoked: true })).toBeNull();
      expect(await store.tokens.get(token.id)).toEqual(token);
    });

    it('findByHash reports deleted owners (client, organization, user)', async () => {
      const t = await seedTenant(store, 'del');
      const tok = await store.tokens.create({
        hash: 'h-del', type: 'user', scope: 'all_endpoints', clientId: t.clientId, userId: t.userId,
        experimentId: null, permissions: 'write', created: 1, expires: null,
      });
      expect(await store.organizations.update(t.organizationId, { deleted: true })).toMatchObject({ deleted: true });
      expect(await store.users.update(t.userId, { deleted: true, name: 'gone', email: 'gone@example.com' })).toMatchObject({ deleted: true, name: 'gone', email: 'gone@example.com' });
      expect(await store.tokens.findByHash('h-del')).toEqual({ token: tok, clientDeleted: true, userDeleted: true });
      await store.organizations.update(t.organizationId, { deleted: false });
      await store.users.update(t.userId, { deleted: false });
      expect(await store.tokens.findByHash('h-del')).toMatchObject({ clientDeleted: false, userDeleted: false });
      expect(await store.clients.update(t.clientId, { deleted: true, name: 'renamed' })).toMatchObject({ deleted: true, name: 'renamed' });
      expect(await store.tokens.findByHash('h-del')).toMatchObject({ clientDeleted: true, userDeleted: false });
      expect(await store.clients.update('999999', { name: 'x' })).toBeNull();
      expect(await store.organizations.update(t.organizationId, {})).toMatchObject({ id: t.organizationId });
    });

    it('projects: create, duplicate, get, update, list with filters/sorts/paging, experiment counts', async () => {
      const t = await seedTenant(store, 'proj');
      const p1 = await store.projects.create({ clientId: t.clientId, id: 'alpha', name: 'A', userId: t.userId, created: 10, updated: 30, metadata: { k: 'v' } });
      expect(p1).toEqual({ clientId: t.clientId, id: 'alpha', name: 'A', userId: t.userId, created: 10, updated: 30, metadata: { k: 'v' }, deleted: false });
      await expect(store.projects.create({ ...p1, name: 'again' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await store.projects.create({ clientId: t.clientId, id: 'beta', name: 'B', userId: null, created: 20, updated: 20, metadata: null });
      await store.projects.create({ clientId: t.clientId, id: 'gamma', name: 'C', userId: t.userId, created: 30, updated: 10, metadata: null });
      expect(await store.projects.get(t.clientId, 'beta')).toMatchObject({ id: 'beta', userId: null });
      expect(await store.projects.get(t.clientId, 'zeta')).toBeNull();

      const byUpdated = await store.projects.list(t.clientId, {}, 'updated', { limit: 2, ascending: false });
      expect(byUpdated.items.map((p) => p.id)).toEqual(['alpha', 'beta']);
      expect(byUpdated).toMatchObject({ count: 3, before: [20, 'beta'], after: [30, 'alpha'] });
      const next = await store.projects.list(t.clientId, {}, 'updated', { limit: 2, ascending: false, before: byUpdated.before! });
      expect(next.items.map((p) => p.id)).toEqual(['gamma']);
      expect(next.before).toBeNull();
      const byCreated = await store.projects.list(t.clientId, { userId: t.userId }, 'created', { limit: 10, ascending: true });
      expect(byCreated.items.map((p) => p.id)).toEqual(['alpha', 'gamma']);
      await expect(store.projects.list(t.clientId, {}, 'created', { limit: 1, ascending: true, before: ['x', 'y'] })).rejects.toBeInstanceOf(InvalidSortKeyError);

      expect(await store.projects.update(t.clientId, 'beta', { deleted: true, name: 'B2', metadata: null, updated: 40 })).toMatchObject({ name: 'B2', deleted: true, updated: 40 });
      expect((await store.projects.list(t.clientId, { deleted: false }, 'updated', { limit: 10, ascending: false })).items.map((p) => p.id)).toEqual(['alpha', 'gamma']);
      expect(await store.projects.update(t.clientId, 'nope', { name: 'x' })).toBeNull();

      await seedExperiment(store, t.clientId, { projectId: 'alpha' });
      await seedExperiment(store, t.clientId, { projectId: 'alpha' });
      await seedExperiment(store, t.clientId, { projectId: 'alpha', state: 'deleted' });
      await seedExperiment(store, t.clientId, { projectId: 'gamma' });
      expect(await store.projects.experimentCounts(t.clientId, ['alpha', 'beta', 'gamma'])).toEqual(new Map([['alpha', 2], ['beta', 0], ['gamma', 1]]));
      expect((await store.projects.experimentCounts(t.clientId, ['alpha'], { includeDeleted: true })).get('alpha')).toBe(3);
      // The composite foreign key refuses an experiment in an unknown project.
      await expect(seedExperiment(store, t.clientId, { projectId: 'missing' })).rejects.toThrow();
    });

    it('project ids order bytewise on every backend (COLLATE "C")', async () => {
      const t = await seedTenant(store, 'coll');
      for (const id of ['ab', 'a_b', 'a.b', 'a-b', 'a9']) {
        await store.projects.create({ clientId: t.clientId, id, name: id, userId: null, created: 1, updated: 1, metadata: null });
      }
      const page = await store.projects.list(t.clientId, {}, 'created', { limit: 10, ascending: true });
      expect(page.items.map((p) => p.id)).toEqual(['a-b', 'a.b', 'a9', 'a_b', 'ab']);
    });

    it('audit log appends and lists per object', async () => {
      const a = await store.audit.append({ actor: 'user:1', action: 'token.rotate', objectType: 'token', objectId: '5', created: 3, details: { reason: 'test' } });
      await store.audit.append({ actor: 'cli', action: 'token.revoke', objectType: 'token', objectId: '5', created: 4, details: null });
      const page = await store.audit.listForObject('token', '5', { limit: 10, ascending: true });
      expect(page.count).toBe(2);
      expect(page.items[0]).toEqual(a);
      expect(page.items.map((e) => e.action)).toEqual(['token.rotate', 'token.revoke']);
      await store.audit.append({ actor: 'cli', action: 'client.create', objectType: 'client', objectId: '1', created: 5, details: null });
      const byActor = await store.audit.list({ actor: 'cli' }, { limit: 1, ascending: false });
      expect(byActor).toMatchObject({ count: 2, after: [byActor.items[0]!.id] });
      expect(byActor.items[0]!.action).toBe('client.create');
      expect((await store.audit.list({ objectType: 'token', action: 'token.rotate' }, { limit: 10, ascending: true })).items).toEqual([a]);
    });
  });
}
