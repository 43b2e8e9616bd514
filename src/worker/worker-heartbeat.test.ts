import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../cache/memory/memory-cache.ts';
import { forgetWorker, HEARTBEAT_REGISTRY_KEY, HEARTBEAT_RETENTION_MS, readWorkerHeartbeats, recordHeartbeat, startWorkerHeartbeat } from './worker-heartbeat.ts';

describe('worker heartbeats in the cache', () => {
  it('lists every worker with its last beat; a silent worker keeps its last time until the retention drops it', async () => {
    const cache = new MemoryCache();
    const retentionS = HEARTBEAT_RETENTION_MS / 1000;
    expect(await recordHeartbeat(cache, 'w1', 1000)).toBe(true);
    expect(await recordHeartbeat(cache, 'w2', 1003)).toBe(true);
    expect(await recordHeartbeat(cache, 'w1', 1005)).toBe(true);
    expect(await readWorkerHeartbeats(cache, 1006)).toEqual([
      { worker: 'w2', lastSeenSeconds: 1003 },
      { worker: 'w1', lastSeenSeconds: 1005 },
    ]);
    // w2 dies; w1 keeps beating. w2 stays listed (stale) until the retention has passed.
    await recordHeartbeat(cache, 'w1', 1003 + retentionS);
    expect((await readWorkerHeartbeats(cache, 1003 + retentionS)).map((w) => w.worker)).toEqual(['w2', 'w1']);
    await recordHeartbeat(cache, 'w1', 1004 + retentionS);
    expect(await readWorkerHeartbeats(cache, 1004 + retentionS)).toEqual([{ worker: 'w1', lastSeenSeconds: 1004 + retentionS }]);
    // Readers drop expired entries even when no worker pruned them.
    expect(await readWorkerHeartbeats(cache, 1005 + 2 * retentionS)).toEqual([]);
  });

  it('a beat never overwrites a concurrent one (registry updates hold a lock)', async () => {
    const cache = new MemoryCache();
    const ids = Array.from({ length: 8 }, (_, i) => `w${i}`);
    // Beats that lose the lock race report false and are retried, as the heartbeat loop does.
    const beat = async (id: string) => {
      for (let i = 0; i < 100 && !(await recordHeartbeat(cache, id, 50)); i++) await new Promise((r) => setTimeout(r, 1));
    };
    await Promise.all(ids.map(beat));
    expect((await readWorkerHeartbeats(cache, 50)).map((w) => w.worker).sort()).toEqual(ids);
  });

  it('a worker that stops on purpose leaves the registry; an unreadable registry reads as empty', async () => {
    const cache = new MemoryCache();
    await recordHeartbeat(cache, 'a', 10);
    await recordHeartbeat(cache, 'b', 11);
    await forgetWorker(cache, 'a');
    expect(await readWorkerHeartbeats(cache, 12)).toEqual([{ worker: 'b', lastSeenSeconds: 11 }]);
    await cache.set(HEARTBEAT_REGISTRY_KEY, 'not json');
    expect(await readWorkerHeartbeats(cache, 12)).toEqual([]);
    expect(await recordHeartbeat(cache, 'c', 13)).toBe(true);
    expect(await readWorkerHeartbeats(cache, 13)).toEqual([{ worker: 'c', lastSeenSeconds: 13 }]);
  });

  it('the heartbeat loop beats at once and stops when told', async () => {
    const cache = new MemoryCache();
    let now = 100;
    const stop = startWorkerHeartbeat({ cache, workerId: 'w', now: () => now, intervalMs: () => 1000 });
    for (let i = 0; i < 100 && (await readWorkerHeartbeats(cache, now)).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await readWorkerHeartbeats(cache, now)).toEqual([{ worker: 'w', lastSeenSeconds: 100 }]);
    stop();
    now = 200;
    expect(await readWorkerHeartbeats(cache, now)).toEqual([{ worker: 'w', lastSeenSeconds: 100 }]);
  });
});
