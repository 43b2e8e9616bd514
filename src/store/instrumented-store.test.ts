import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { DuplicateKeyError } from './duplicate-key-error.ts';
import { instrumentStore } from './instrumented-store.ts';
import type { NewToken, Store } from './store.ts';

const pglite = testStores().find((b) => b.name === 'pglite')!;

describe('instrumentStore', () => {
  let opened: OpenedTestStore;
  let store: Store;
  const seen: [string, number][] = [];
  beforeAll(async () => {
    opened = await pglite.open();
    store = instrumentStore(opened.store, (statement, seconds) => seen.push([statement, seconds]));
  });
  afterAll(async () => opened?.close());

  it('reports each repository call under <repository>.<method> and returns its result unchanged', async () => {
    seen.length = 0;
    const org = await store.organizations.create({ name: 'o', created: 1 });
    expect(await store.organizations.get(org.id)).toEqual(await opened.store.organizations.get(org.id));
    expect(await store.experiments.get('999999')).toBeNull();
    expect(seen.map(([s]) => s)).toEqual(['organizations.create', 'organizations.get', 'experiments.get']);
    for (const [, seconds] of seen) expect(seconds).toBeGreaterThanOrEqual(0);
    expect(store.backend).toBe(opened.store.backend);
  });

  it('times statements inside a transaction, and statements that fail', async () => {
    seen.length = 0;
    await store.transaction(async (tx) => {
      const org = await tx.organizations.create({ name: 'in tx', created: 2 });
      await tx.clients.create({ organizationId: org.id, name: 'c', created: 2 });
    });
    expect(seen.map(([s]) => s)).toEqual(['organizations.create', 'clients.create']);

    seen.length = 0;
    const hash = 'h'.repeat(64);
    const org = await store.organizations.create({ name: 'tok', created: 3 });
    const client = await store.clients.create({ organizationId: org.id, name: 'c', created: 3 });
    const token: NewToken = {
      hash,
      type: 'client-api',
      scope: 'all_endpoints',
      clientId: client.id,
      userId: null,
      experimentId: null,
      permissions: 'write',
      created: 3,
      expires: null,
    };
    await store.tokens.create(token);
    await expect(store.tokens.create(token)).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(seen.map(([s]) => s).filter((s) => s === 'tokens.create')).toHaveLength(2);
  });

  it('a rolled-back transaction still reports its statements', async () => {
    seen.length = 0;
    await expect(
      store.transaction(async (tx) => {
        await tx.organizations.hasAny();
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(seen.map(([s]) => s)).toEqual(['organizations.hasAny']);
  });
});
