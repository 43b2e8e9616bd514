import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageInMemory, type PageRequest, type SortKey } from './keyset.ts';

/** Keys are plain ids here; list order = numeric, mirrored when descending. */
const cmp = (ascending: boolean) => (a: SortKey, b: SortKey) => (ascending ? 1 : -1) * (Number(a[0]) - Number(b[0]));
const key = (n: number): SortKey => [String(n)];
const page = (items: number[], req: PageRequest) => pageInMemory(items, req, key, cmp(req.ascending));

describe('paging contract (marker table, descending by id)', () => {
  const items = [1, 2, 3, 4, 5];

  it('no marker: the limit largest, before = smallest returned when more exist, after = largest', () => {
    expect(page(items, { limit: 2, ascending: false })).toEqual({ items: [5, 4], count: 5, before: ['4'], after: ['5'] });
  });

  it('no marker, everything fits: before is null', () => {
    expect(page(items, { limit: 10, ascending: false })).toEqual({ items: [5, 4, 3, 2, 1], count: 5, before: null, after: ['5'] });
  });

  it('before=X: the limit largest keys < X; before null on the last page', () => {
    expect(page(items, { limit: 2, before: ['4'], ascending: false })).toEqual({ items: [3, 2], count: 5, before: ['2'], after: ['3'] });
    expect(page(items, { limit: 2, before: ['2'], ascending: false })).toEqual({ items: [1], count: 5, before: null, after: ['1'] });
  });

  it('after=X: the limit smallest keys > X listed descending; after null when nothing above', () => {
    expect(page(items, { limit: 2, after: ['1'], ascending: false })).toEqual({ items: [3, 2], count: 5, before: ['2'], after: ['3'] });
    expect(page(items, { limit: 2, after: ['3'], ascending: false })).toEqual({ items: [5, 4], count: 5, before: ['4'], after: null });
  });

  it('limit 0: no items, real count, null markers', () => {
    expect(page(items, { limit: 0, ascending: false })).toEqual({ items: [], count: 5, before: null, after: null });
  });

  it('empty list and empty ranges', () => {
    expect(page([], { limit: 3, ascending: false })).toEqual({ items: [], count: 0, before: null, after: null });
    expect(page(items, { limit: 3, before: ['1'], ascending: false })).toEqual({ items: [], count: 5, before: null, after: null });
  });

  it('ascending mirrors', () => {
    expect(page(items, { limit: 2, ascending: true })).toEqual({ items: [1, 2], count: 5, before: ['2'], after: ['1'] });
    expect(page(items, { limit: 2, before: ['4'], ascending: true })).toEqual({ items: [5], count: 5, before: null, after: ['5'] });
    expect(page(items, { limit: 2, after: ['4'], ascending: true })).toEqual({ items: [2, 3], count: 5, before: ['3'], after: ['2'] });
  });

  it('markers of vanished items still position correctly', () => {
    expect(page([1, 2, 4, 5], { limit: 5, before: ['3'], ascending: false }).items).toEqual([2, 1]);
  });

  it('property: following before until null yields every item exactly once, in order; after walks back', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 500 })), fc.integer({ min: 1, max: 7 }), fc.boolean(), (xs, limit, ascending) => {
        const seen: number[] = [];
        let p = page(xs, { limit, ascending });
        seen.push(...p.items);
        while (p.before !== null) {
          p = page(xs, { limit, ascending, before: p.before });
          seen.push(...p.items);
        }
        const expected = [...xs].sort((a, b) => (ascending ? a - b : b - a));
        expect(seen).toEqual(expected);
        // Walking back with `after` from the last page reaches the first item and then stops.
        const back: number[] = [...p.items];
        while (p.after !== null) {
          const q = page(xs, { limit, ascending, after: p.after });
          back.unshift(...q.items);
          if (q.after === null) break;
          p = q;
        }
        expect(back).toEqual(expected);
      }),
    );
  });
});
