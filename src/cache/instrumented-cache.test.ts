import { describe, expect, it } from 'vitest';
import { instrumentCache } from './instrumented-cache.ts';
import { MemoryCache } from './memory/memory-cache.ts';

describe('instrumentCache', () => {
  it('reports hits and misses of reads by key kind and passes everything else through uncounted', async () => {
    const seen: string[] = [];
    const cache = instrumentCache(new MemoryCache(), (kind, hit) => seen.push(`${kind}:${hit ? 'hit' : 'miss'}`));
    expect(await cache.get('gen:7')).toBeNull();
    expect(await cache.increment('gen:7')).toBe(1);
    expect(await cache.get('gen:7')).toBe('1');
    await cache.replaceList('pool:7:1', ['a'], 10_000);
    expect(await cache.popList('pool:7:1')).toBe('a');
    expect(await cache.popList('pool:7:1')).toBeNull();
    expect(await cache.incrementIfPresent('progress:7', 1)).toBeNull();
    await cache.set('progress:7', '2');
    expect(await cache.incrementIfPresent('progress:7', 1)).toBe(3);
    expect(await cache.get('something-else')).toBeNull();
    expect(await cache.get('progress:7')).toBe('3');
    expect(await cache.acquireLock('lock:7', 'me', 1000)).toBe(true);
    expect((await cache.hitWindow('rl:1', 1000)).count).toBe(1);
    expect(await cache.get('expcount:1:active:any')).toBeNull();
    expect(await cache.get('queued:7')).toBeNull();
    expect(seen).toEqual([
      'generation:miss',
      'generation:hit',
      'pool:hit',
      'pool:miss',
      'counter:miss',
      'counter:hit',
      'other:miss',
      'counter:hit',
      'counter:miss',
      'counter:miss',
    ]);
  });
});
