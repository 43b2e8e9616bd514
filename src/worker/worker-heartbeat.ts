import type { Cache } from '../cache/cache.ts';

/**
 * Last-seen times of the optimizer workers, in the cache (issue 4: "worker heartbeats and last-seen
 * times live in Redis"). One key holds the whole registry as JSON `{ workerId: unixSeconds }`,
 * because the Cache port has no key listing (and SCAN over a shared Redis is no hot-path tool);
 * workers update it under a short cache lock so two beats never overwrite each other.
 *
 * A worker that stops beating keeps its last time for {@link HEARTBEAT_RETENTION_MS}: the
 * API's `sextant_worker_last_heartbeat_timestamp_seconds{worker}` then shows a stale value, which
 * is what SextantWorkerHeartbeatMissing (deploy/prometheus/alerts.yml) alerts on; only after that
 * does the entry disappear (a scaled-down fleet stops alerting on its own).
 */
export const HEARTBEAT_REGISTRY_KEY = 'workers:heartbeats';

/** How long a silent worker stays listed: well beyond the alert's 60 s + 2 m, bounded so series die. */
export const HEARTBEAT_RETENTION_MS = 60 * 60 * 1000;

/** Lease of the registry lock (one read and one write happen under it). */
const LOCK_TTL_MS = 2000;

/** One worker as the registry knows it. */
export interface WorkerHeartbeat {
  readonly worker: string;
  /** Unix seconds of its last beat. */
  readonly lastSeenSeconds: number;
}

/** Parses the registry; anything unreadable is an empty registry (the next beats rebuild it). */
function parseRegistry(raw: string | null): Record<string, number> {
  if (raw === null) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Record<string, number> = {};
    for (const [worker, at] of Object.entries(parsed)) if (typeof at === 'number' && Number.isFinite(at)) out[worker] = at;
    return out;
  } catch {
    return {};
  }
}

/**
 * Workers seen within the retention, oldest first. `nowSeconds` is the reader's clock; entries
 * older than the retention are left out even when no live worker pruned them yet.
 */
export async function readWorkerHeartbeats(cache: Cache, nowSeconds: number): Promise<WorkerHeartbeat[]> {
  const registry = parseRegistry(await cache.get(HEARTBEAT_REGISTRY_KEY));
  const oldest = nowSeconds - HEARTBEAT_RETENTION_MS / 1000;
  return Object.entries(registry)
    .filter(([, at]) => at >= oldest)
    .map(([worker, lastSeenSeconds]) => ({ worker, lastSeenSeconds }))
    .sort((a, b) => a.lastSeenSeconds - b.lastSeenSeconds || a.worker.localeCompare(b.worker));
}

/**
 * Records one beat of `workerId` at `nowSeconds` and drops entries past the retention. Returns
 * false when another worker held the registry lock (the next beat tries again).
 */
export async function recordHeartbeat(cache: Cache, workerId: string, nowSeconds: number): Promise<boolean> {
  const lock = `${HEARTBEAT_REGISTRY_KEY}:lock`;
  if (!(await cache.acquireLock(lock, workerId, LOCK_TTL_MS))) return false;
  try {
    const registry = parseRegistry(await cache.get(HEARTBEAT_REGISTRY_KEY));
    const oldest = nowSeconds - HEARTBEAT_RETENTION_MS / 1000;
    const kept: Record<string, number> = {};
    for (const [worker, at] of Object.entries(registry)) if (at >= oldest) kept[worker] = at;
    kept[workerId] = nowSeconds;
    await cache.set(HEARTBEAT_REGISTRY_KEY, JSON.stringify(kept), { ttlMs: HEARTBEAT_RETENTION_MS });
    return true;
  } finally {
    await cache.releaseLock(lock, workerId).catch(() => false);
  }
}

/** Removes a worker that stops on purpose (graceful shutdown), so no staleness alert follows it. */
export async function forgetWorker(cache: Cache, workerId: string): Promise<void> {
  const lock = `${HEARTBEAT_REGISTRY_KEY}:lock`;
  // A bounded wait for the lock: shutdown must not hang on a busy registry.
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await cache.acquireLock(lock, workerId, LOCK_TTL_MS)) {
      try {
        const registry = parseRegistry(await cache.get(HEARTBEAT_REGISTRY_KEY));
        if (!(workerId in registry)) return;
        delete registry[workerId];
        await cache.set(HEARTBEAT_REGISTRY_KEY, JSON.stringify(registry), { ttlMs: HEARTBEAT_RETENTION_MS });
        return;
      } finally {
        await cache.releaseLock(lock, workerId).catch(() => false);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Options of {@link startWorkerHeartbeat}. */
export interface WorkerHeartbeatOptions {
  readonly cache: Cache;
  readonly workerId: string;
  /** Unix seconds. */
  readonly now: () => number;
  /** Read before each beat, so a live setting change applies from the next beat on. */
  readonly intervalMs: () => number;
  onError?(error: unknown): void;
}

/**
 * Beats at once and then every `intervalMs()`; a beat that lost the lock race is retried after a
 * short random pause rather than a whole interval. Returns a stop function.
 */
export function startWorkerHeartbeat(opts: WorkerHeartbeatOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(beat, ms);
    timer.unref();
  };
  const beat = () => {
    recordHeartbeat(opts.cache, opts.workerId, opts.now()).then(
      (recorded) => schedule(recorded ? opts.intervalMs() : 50 + Math.floor(Math.random() * 200)),
      (error: unknown) => {
        opts.onError?.(error);
        schedule(opts.intervalMs());
      },
    );
  };
  beat();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
