import type { Cache } from '../cache/cache.ts';
import type { LiveSettings } from '../config/live-settings.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ExperimentSnapshots } from '../domain/ports/experiment-snapshots.ts';
import { InProcessJobQueue } from '../queue/in-process/in-process-job-queue.ts';
import type { Store } from '../store/store.ts';
import { createEnginePool } from '../worker/engine-pool.ts';
import { createRefreshHandler, liveRefreshSettings, type RefreshHandlerOptions } from '../worker/refresh-job-handler.ts';

/** The refresh side of embedded mode: engine threads behind an in-process queue. */
export interface EmbeddedRefreshes {
  readonly queue: InProcessJobQueue;
  close(): Promise<void>;
}

/**
 * Embedded mode's worker: the same refresh handler as `sextant worker`, consuming an in-process
 * queue (one job per engine thread at a time) and filling pools in the process's memory cache.
 */
export function startEmbeddedRefreshes(
  store: Store,
  experiments: ExperimentSnapshots,
  cache: Cache,
  settings: LiveSettings,
  clock: Clock,
  onRefresh: NonNullable<RefreshHandlerOptions['onRefresh']>,
): EmbeddedRefreshes {
  const threads = settings.get('engine.threads');
  const engine = createEnginePool({ threads, warmModelMb: settings.get('engine.warm_model_mb') });
  const handler = createRefreshHandler({
    store,
    experiments,
    cache,
    engine,
    clock,
    ...liveRefreshSettings(settings),
    onRefresh,
    backlog: () => queue.waitingCount,
  });
  const queue: InProcessJobQueue = new InProcessJobQueue({ handler, concurrency: threads, clock });
  return {
    queue,
    async close() {
      await queue.close();
      await engine.close();
    },
  };
}
