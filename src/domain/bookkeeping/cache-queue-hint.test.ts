import { describe, expect, it } from 'vitest';
import type { Cache } from '../../cache/cache.ts';
import { createCacheQueueHint } from './cache-queue-hint.ts';
import { MemoryCache } from '../../cache/memory/memory-cache.ts';
import { manualClock } from '../../../test/support/manual-clock.ts';

describe('cache queue hint', () => {
  it('unknown reads as "may have entries"; the marks switch it; known-empty expires', async () => {
    const clock = manualClock(1_000);
    const hint = createCacheQueueHint(new MemoryCache({ clock }), { emptyTtlMs: 500 });
    expect(await hint.mayHaveEntries('e1')).toBe(true);
    await hint.markEmpty('e1');
    expect(await hint.mayHaveEntries('e1')).toBe(false);
    expect(await hint.mayHaveEntries('e2')).toBe(true);
    await hint.markNonEmpty('e1');
    expect(await hint.mayHaveEntries('e1')).toBe(true);
    await hint.markEmpty('e1');
    clock.advance(501);
    expect(await hint.mayHaveEntries('e1')).toBe(true);
  });

  it('a creator marking after the taker emptied the hint leaves it "may have entries"', async () => {
    const hint = createCacheQueueHint(new MemoryCache());
    // taker: sees "may", marks empty, pops (finds nothing: the insert has not committed yet)
    expect(await hint.mayHaveEntries('e')).toBe(true);
    await hint.markEmpty('e');
    // creator: commits, then marks
    await hint.markNonEmpty('e');
    expect(await hint.mayHaveEntries('e')).toBe(true);
  });

  it('an unreachable cache reads as "may have entries" and marks fail silently', async () => {
    const down = new Proxy({} as Cache, { get: () => () => Promise.reject(new Error('down')) });
    const hint = createCacheQueueHint(down);
    await hint.markEmpty('e');
    await hint.markNonEmpty('e');
    expect(await hint.mayHaveEntries('e')).toBe(true);
  });
});
