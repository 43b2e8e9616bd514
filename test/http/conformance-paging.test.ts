import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { createExperiment, expectError, ok, useServer } from '../support/conformance.ts';

/** Pagination (docs/api-compatibility.md#paging): limits, the marker semantics table, `ascending`, `iterate_pages()`. */
describe.each(httpBackends())('pagination on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  /** An experiment with `n` explicit suggestions; returns their ids ascending. */
  async function withSuggestions(n: number) {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}/suggestions`;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(ok(await ctx.api.request('POST', path, { assignments: { x: i / n } })).id);
    return { path, ids };
  }
  const idsOf = (body: any) => body.data.map((x: any) => x.id);

  test.skipIf(skip)('limit bounds: negative, above 1000, non-integer; limit=0 keeps the real count', async () => {
    const { path } = await withSuggestions(3);
    expectError(await ctx.api.request('GET', path, { limit: -1 }), 400, 'Invalid limit: -1');
    expectError(await ctx.api.request('GET', path, { limit: 1001 }), 400, 'Exceeded maximum limit: 1000');
    expectError(await ctx.api.request('GET', path, { limit: 'ten' }), 400, 'Invalid type for limit: "ten" - expected type integer_string');
    expectError(await ctx.api.request('GET', path, { limit: '1.5' }), 400, 'Invalid type for limit: "1.5" - expected type integer_string');
    const zero = ok(await ctx.api.request('GET', path, { limit: 0 }));
    expect(zero.object).toBe('pagination');
    expect(zero.count).toBe(3);
    expect(zero.data).toEqual([]);
    expect(zero.paging.after).toBeNull();
    expect(ok(await ctx.api.request('GET', path, { limit: 1000 })).count).toBe(3);
  });

  test.skipIf(skip)('markers: the semantics table for a descending list', async () => {
    const { path, ids } = await withSuggestions(5);
    const [i1, i2, i3, i4, i5] = ids as [string, string, string, string, string];
    // No marker: the `limit` largest, descending; before = smallest returned (more below); after = largest.
    const first = ok(await ctx.api.request('GET', path, { limit: 2 }));
    expect(first.count).toBe(5);
    expect(idsOf(first)).toEqual([i5, i4]);
    expect(first.paging.before).toEqual(expect.any(String));
    expect(first.paging.after).toEqual(expect.any(String));
    // before=X: the `limit` largest keys < X.
    const second = ok(await ctx.api.request('GET', path, { limit: 2, before: first.paging.before }));
    expect(idsOf(second)).toEqual([i3, i2]);
    expect(second.count).toBe(5);
    const last = ok(await ctx.api.request('GET', path, { limit: 2, before: second.paging.before }));
    expect(idsOf(last)).toEqual([i1]);
    // `before` MUST be null on the last page (the python client's loop ends on it).
    expect(last.paging.before).toBeNull();
    expect(last.paging.after).toEqual(expect.any(String));
    // after=X: the `limit` smallest keys > X, listed descending; after null when nothing more above.
    const up = ok(await ctx.api.request('GET', path, { limit: 2, after: last.paging.after }));
    expect(idsOf(up)).toEqual([i3, i2]);
    expect(up.paging.after).toEqual(expect.any(String));
    expect(up.paging.before).toEqual(expect.any(String));
    const top = ok(await ctx.api.request('GET', path, { limit: 2, after: up.paging.after }));
    expect(idsOf(top)).toEqual([i5, i4]);
    expect(top.paging.after).toBeNull();
    // Exactly `limit` items left: before is null because nothing exists below.
    const exact = ok(await ctx.api.request('GET', path, { limit: 2, before: first.paging.before, id: [i2, i3].join(',') }));
    expect(idsOf(exact)).toEqual([i3, i2]);
    expect(exact.paging.before).toBeNull();
    // A page that holds everything has before null.
    const all = ok(await ctx.api.request('GET', path, { limit: 5 }));
    expect(idsOf(all)).toEqual([i5, i4, i3, i2, i1]);
    expect(all.paging.before).toBeNull();
  });

  test.skipIf(skip)('an empty list: data [], both markers null', async () => {
    const exp = await createExperiment(ctx.api);
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/observations`))).toEqual({
      object: 'pagination',
      count: 0,
      data: [],
      paging: { before: null, after: null },
    });
  });

  test.skipIf(skip)('ascending=true mirrors the table', async () => {
    const { path, ids } = await withSuggestions(5);
    const [i1, i2, i3, i4, i5] = ids as [string, string, string, string, string];
    const first = ok(await ctx.api.request('GET', path, { limit: 2, ascending: true }));
    expect(idsOf(first)).toEqual([i1, i2]);
    const second = ok(await ctx.api.request('GET', path, { limit: 2, ascending: true, before: first.paging.before }));
    expect(idsOf(second)).toEqual([i3, i4]);
    const last = ok(await ctx.api.request('GET', path, { limit: 2, ascending: true, before: second.paging.before }));
    expect(idsOf(last)).toEqual([i5]);
    expect(last.paging.before).toBeNull();
    const back = ok(await ctx.api.request('GET', path, { limit: 2, ascending: true, after: last.paging.after }));
    expect(idsOf(back)).toEqual([i3, i4]);
  });

  test.skipIf(skip)("the python client's iterate_pages visits every item once over several pages", async () => {
    const { path, ids } = await withSuggestions(7);
    const items = await ctx.api.iteratePages(path, { limit: 3 });
    expect(items.map((x: any) => x.id)).toEqual([...ids].reverse());
    const exps = await ctx.api.iteratePages('/v1/experiments', { limit: 2 });
    const count = ok(await ctx.api.request('GET', '/v1/experiments', { limit: 0 })).count;
    expect(exps).toHaveLength(count);
    expect(new Set(exps.map((e: any) => e.id)).size).toBe(count);
  });

  test.skipIf(skip)('invalid markers: empty, undecodable, from a list with another key shape', async () => {
    const { path } = await withSuggestions(2);
    for (const key of ['before', 'after']) {
      expectError(await ctx.api.request('GET', path, { [key]: '' }), 400, 'Invalid paging marker, cannot be an empty string');
      expectError(await ctx.api.request('GET', path, { [key]: '!!!' }), 400, 'Invalid paging marker: !!!');
      expectError(await ctx.api.request('GET', path, { [key]: 'bm90IGpzb24' }), 400, 'Invalid paging marker: bm90IGpzb24');
    }
    // A marker must never produce a 5xx, whatever list it came from.
    const exp = await createExperiment(ctx.api);
    const obsPath = `/v1/experiments/${exp.id}/observations`;
    for (let i = 0; i < 3; i++) ok(await ctx.api.request('POST', obsPath, { assignments: { x: i / 3 }, values: [{ value: i }] }));
    const valuePage = ok(await ctx.api.request('GET', obsPath, { sort: 'value', limit: 1 }));
    const res = await ctx.api.request('GET', path, { before: valuePage.paging.before });
    expectError(res, 400, `Invalid paging marker: ${valuePage.paging.before}`);
    const shape = Buffer.from('["a","b","c","d"]').toString('base64url');
    expectError(await ctx.api.request('GET', obsPath, { sort: 'parameter-x', after: shape }), 400, `Invalid paging marker: ${shape}`);
    expectError(await ctx.api.request('GET', '/v1/experiments', { before: shape }), 400, `Invalid paging marker: ${shape}`);
  });

  test.skipIf(skip)('id filter: comma list, JSON list, empty list', async () => {
    const { path, ids } = await withSuggestions(3);
    const [i1, , i3] = ids as [string, string, string];
    expect(idsOf(ok(await ctx.api.request('GET', path, { id: `${i1},${i3}` })))).toEqual([i3, i1]);
    expect(idsOf(ok(await ctx.api.request('GET', path, { id: [i1] })))).toEqual([i1]);
    const empty = ok(await ctx.api.request('GET', path, { id: '' }));
    expect(empty.count).toBe(0);
    expect(empty.data).toEqual([]);
  });
});
