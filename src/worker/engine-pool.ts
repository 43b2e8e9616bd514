/**
 * Runs the optimizer engine in worker threads (piscina) so model fitting never blocks the event
 * loop of an API process or worker. Each task is one `suggest` call; inputs and outputs are plain
 * structured-cloneable objects.
 */

import { Piscina } from 'piscina';
import type { EngineInput, EngineOutput } from '../optimizer/engine-types.ts';

/** Options for {@link createEnginePool}. */
export interface EnginePoolOptions {
  /** Number of worker threads (≥ 1). */
  readonly threads: number;
  /** Tasks allowed to wait for a free thread before `suggest` rejects; default unbounded. */
  readonly maxQueue?: number;
}

/** A pool of engine threads. */
export interface EnginePool {
  /** Runs the engine on `input` in a worker thread. */
  suggest(input: EngineInput): Promise<EngineOutput>;
  /** Waits for running tasks and stops the threads. */
  close(): Promise<void>;
}

/** Starts `threads` worker threads running the engine. */
export function createEnginePool(options: EnginePoolOptions): EnginePool {
  const threads = Math.max(1, Math.floor(options.threads));
  const pool = new Piscina({
    filename: new URL('./engine-worker.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // The engine is CPU-bound: one task per thread at a time.
    concurrentTasksPerWorker: 1,
    ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
  });
  return {
    suggest: (input) => pool.run(input) as Promise<EngineOutput>,
    close: () => pool.destroy(),
  };
}
