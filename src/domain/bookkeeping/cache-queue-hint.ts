import type { QueueHint } from '../ports/queue-hint.ts';
import type { Cache } from '../../cache/cache.ts';

/**
 * {@link QueueHint} on the shared cache: `queued:<experiment>` is "0" (known empty) or "1" (may
 * have entries). Any cache failure reads as "may have entries", so the worst case is the probe
 * the hint saves. "Known empty" expires after `emptyTtlMs`: if a creator's mark is lost to a cache
 * failure, its entry is served at the latest that much later.
 */
export function createCacheQueueHint(cache: Cache, opts: { readonly emptyTtlMs?: number } = {}): QueueHint {
  const emptyTtlMs = opts.emptyTtlMs ?? 60_000;
  const key = (experimentId: string) => `queued:${experimentId}`;
  const quietly = async (write: () => Promise<unknown>) => {
    try {
      await write();
    } catch {
      // Unreachable cache: readers treat the state as unknown and probe.
    }
  };
  return {
    async mayHaveEntries(experimentId) {
      try {
        return (await cache.get(key(experimentId))) !== '0';
      } catch {
        return true;
      }
    },
    markEmpty: (experimentId) => quietly(() => cache.set(key(experimentId), '0', { ttlMs: emptyTtlMs })),
    // "May have entries" until taken: a day bounds the memory of experiments nobody asks again.
    markNonEmpty: (experimentId) => quietly(() => cache.set(key(experimentId), '1', { ttlMs: 86_400_000 })),
  };
}
