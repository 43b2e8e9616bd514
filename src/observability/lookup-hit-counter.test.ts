import { describe, expect, it } from 'vitest';
import { lookupHitCounter } from './lookup-hit-counter.ts';

describe('lookupHitCounter', () => {
  it('tells memo hits from misses, also for concurrent lookups', async () => {
    const outcomes: boolean[] = [];
    const counter = lookupHitCounter((hit) => outcomes.push(hit));
    const memo = new Map<string, string>();
    const source = counter.source(async (k: string) => {
      await new Promise((r) => setTimeout(r, k === 'slow' ? 20 : 1));
      if (k === 'bad') throw new Error('unknown');
      return k.toUpperCase();
    });
    const lookup = counter.memo(async (k: string) => {
      const hit = memo.get(k);
      if (hit !== undefined) return hit;
      const v = await source(k);
      memo.set(k, v);
      return v;
    });
    expect(await lookup('a')).toBe('A');
    expect(await lookup('a')).toBe('A');
    expect(outcomes).toEqual([false, true]);
    outcomes.length = 0;
    // A slow miss in flight while a hit completes: each call keeps its own outcome.
    const [slow, fast] = await Promise.all([lookup('slow'), lookup('a')]);
    expect([slow, fast]).toEqual(['SLOW', 'A']);
    expect(outcomes).toEqual([true, false]);
    outcomes.length = 0;
    await expect(lookup('bad')).rejects.toThrow('unknown');
    expect(outcomes).toEqual([false]);
  });
});
