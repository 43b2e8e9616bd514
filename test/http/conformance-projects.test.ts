import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { createExperiment, expectError, minimalExperiment, ok, prefix, useServer } from '../support/conformance.ts';

/** Projects (docs/api-compatibility.md#projects): create (409, pattern), fetch, list, update, experiment_count, project experiments. */
describe.each(httpBackends())('projects on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  const clientId = async () => ok(await ctx.api.request('GET', '/v1/tokens/self')).client as string;
  let n = 0;
  const unique = (stem: string) => `${stem}-${++n}`;

  test.skipIf(skip)('create renders the Project object; duplicate id is 409', async () => {
    const cid = await clientId();
    const id = unique('proj');
    const p = ok(await ctx.api.request('POST', `/v1/clients/${cid}/projects`, { id, name: 'My project', metadata: { team: 'ml' } }));
    expect(p).toEqual({
      object: 'project',
      id,
      name: 'My project',
      client: cid,
      user: null,
      created: expect.any(Number),
      updated: expect.any(Number),
      metadata: { team: 'ml' },
      experiment_count: 0,
      training_run_count: 0,
      deleted: false,
    });
    expectError(await ctx.api.request('POST', `/v1/clients/${cid}/projects`, { id, name: 'again' }), 409, `The experiment project with id \`${id}\` already exists.`);
    expect(ok(await ctx.api.request('GET', `/v1/clients/${cid}/projects/${id}`))).toEqual(p);
  });

  test.skipIf(skip)('create validation: id pattern and length, name, unknown keys, metadata', async () => {
    const cid = await clientId();
    const path = `/v1/clients/${cid}/projects`;
    const rows: [Record<string, unknown>, string | RegExp][] = [
      [{ name: 'x' }, prefix('Missing required json key "id" in: ')],
      [{ id: 'ok-id' }, prefix('Missing required json key "name" in: ')],
      [{ id: 'Upper', name: 'x' }, 'Upper does not match the regular expression /^[a-z0-9\\-_\\.]+$/'],
      [{ id: 'has space', name: 'x' }, 'has space does not match the regular expression /^[a-z0-9\\-_\\.]+$/'],
      [{ id: 'a'.repeat(33), name: 'x' }, 'The length of .id must be less than or equal to 32'],
      [{ id: '', name: 'x' }, /^(The length of \.id must be greater than or equal to 1| does not match the regular expression)/],
      [{ id: 'fine', name: 'n'.repeat(101) }, 'The length of .name must be less than or equal to 100'],
      [{ id: 'fine', name: 'x', color: 'red' }, prefix('Unknown json keys `color` in: ')],
      [{ id: 'fine', name: 'x', metadata: { k: true } }, /^Invalid type for \.k: true/],
      [{ id: 7, name: 'x' }, /^Invalid type for \.?id: 7 - expected type /],
    ];
    for (const [body, message] of rows) expectError(await ctx.api.request('POST', path, body), 400, message);
    expectError(await ctx.api.request('GET', `${path}/fine`), 404, 'The requested resource could not be found');
    const dotted = ok(await ctx.api.request('POST', path, { id: unique('a.b_c-9'), name: 'x'.repeat(100) }));
    expect(dotted.name).toHaveLength(100);
  });

  test.skipIf(skip)('the python client checks existence with GET and expects 404', async () => {
    const cid = await clientId();
    expectError(await ctx.api.request('GET', `/v1/clients/${cid}/projects/does-not-exist`), 404, 'The requested resource could not be found');
    expectError(await ctx.api.request('GET', '/v1/clients/999999/projects/x'), 404, 'The requested resource could not be found');
  });

  test.skipIf(skip)('experiments in a project: experiment_count, project field, project experiment list, moving', async () => {
    const cid = await clientId();
    const id = unique('with-exps');
    ok(await ctx.api.request('POST', `/v1/clients/${cid}/projects`, { id, name: 'P' }));
    const e1 = await createExperiment(ctx.api, minimalExperiment({ project: id }));
    const e2 = await createExperiment(ctx.api, minimalExperiment());
    expect(e1.project).toBe(id);
    expect(ok(await ctx.api.request('PUT', `/v1/experiments/${e2.id}`, { project: id })).project).toBe(id);
    expect(ok(await ctx.api.request('GET', `/v1/clients/${cid}/projects/${id}`)).experiment_count).toBe(2);
    const listed = ok(await ctx.api.request('GET', `/v1/clients/${cid}/projects/${id}/experiments`));
    expect(listed.count).toBe(2);
    expect(listed.data.map((e: any) => e.id)).toEqual([e2.id, e1.id]);
    expect(ok(await ctx.api.request('PUT', `/v1/experiments/${e2.id}`, { project: null })).project).toBeNull();
    expect(ok(await ctx.api.request('GET', `/v1/clients/${cid}/projects/${id}`)).experiment_count).toBe(1);
    expectError(await ctx.api.request('GET', `/v1/clients/${cid}/projects/nope/experiments`), 404, 'The requested resource could not be found');
  });

  test.skipIf(skip)('list: sort updated (default) / created, ascending, deleted, paging, invalid sort', async () => {
    const cid = await clientId();
    const path = `/v1/clients/${cid}/projects`;
    const a = unique('list-a');
    const b = unique('list-b');
    ok(await ctx.api.request('POST', path, { id: a, name: 'A' }));
    ok(await ctx.api.request('POST', path, { id: b, name: 'B' }));
    const all = ok(await ctx.api.request('GET', path));
    expect(all.object).toBe('pagination');
    expect(all.count).toBe(all.data.length);
    const ids = all.data.map((p: any) => p.id);
    expect(ids).toContain(a);
    expect(ids).toContain(b);
    for (let i = 1; i < all.data.length; i++) expect(all.data[i - 1].updated).toBeGreaterThanOrEqual(all.data[i].updated);
    const created = ok(await ctx.api.request('GET', path, { sort: 'created', ascending: true })).data;
    for (let i = 1; i < created.length; i++) expect(created[i - 1].created).toBeLessThanOrEqual(created[i].created);
    expectError(await ctx.api.request('GET', path, { sort: 'name' }), 400, 'Invalid sort: name');
    const paged = await ctx.api.iteratePages(path, { limit: 1 });
    expect(paged.map((p: any) => p.id).sort()).toEqual([...ids].sort());
    ok(await ctx.api.request('PUT', `${path}/${a}`, { deleted: true }));
    expect(ok(await ctx.api.request('GET', path)).data.map((p: any) => p.id)).not.toContain(a);
    expect(ok(await ctx.api.request('GET', path, { deleted: true })).data.map((p: any) => p.id)).toContain(a);
  });

  test.skipIf(skip)('update: name, metadata, deleted; unknown keys rejected; id fixed', async () => {
    const cid = await clientId();
    const id = unique('upd');
    const path = `/v1/clients/${cid}/projects/${id}`;
    const p = ok(await ctx.api.request('POST', `/v1/clients/${cid}/projects`, { id, name: 'Before', metadata: { a: 1 } }));
    const renamed = ok(await ctx.api.request('PUT', path, { name: 'After' }));
    expect(renamed.name).toBe('After');
    expect(renamed.metadata).toEqual({ a: 1 });
    expect(renamed.updated).toBeGreaterThanOrEqual(p.updated);
    expect(ok(await ctx.api.request('PUT', path, { metadata: null })).metadata).toBeNull();
    expectError(await ctx.api.request('PUT', path, { id: 'other' }), 400, prefix('Unknown json keys `id` in: '));
    expectError(await ctx.api.request('PUT', path, { name: 'n'.repeat(101) }), 400, 'The length of .name must be less than or equal to 100');
    expect(ok(await ctx.api.request('PUT', path, { deleted: true })).deleted).toBe(true);
    expect(ok(await ctx.api.request('GET', path)).deleted).toBe(true);
    expectError(await ctx.api.request('POST', '/v1/experiments', minimalExperiment({ project: id })), 400, `Could not assign to project \`${id}\`, the project does not exist.`);
    expect(ok(await ctx.api.request('PUT', path, { deleted: false })).deleted).toBe(false);
    expectError(await ctx.api.request('PUT', `/v1/clients/${cid}/projects/missing`, { name: 'x' }), 404, 'The requested resource could not be found');
  });
});
