/**
 * Runs the optimizer engine in worker threads (piscina) so model fitting never blocks the event
 * loop of an API process or worker. Each thread keeps the warm models of the experiments routed
 * to it, so an experiment always goes to the same thread: its `modelKey` hashes to one of
 * `threads` single-thread pools. Inputs and outputs are plain structured-cloneable objects.
 */

import { createHash } from 'node:crypto';
import { Piscina } from 'piscina';
import type { EngineInput, EngineOutput } from '../optimizer/engine-types.ts';
import type { EngineTask, EngineThreadData } from './engine-task.ts';

/** Options for {@link createEnginePool}. */
export interface EnginePoolOptions {
  /** Number of worker threads (≥ 1). */
  readonly threads: number;
  /** Tasks allowed to wait for each thread before a call rejects; default unbounded. */
  readonly maxQueue?: number;
  /** MiB of warm models each thread keeps (LRU; the `engine.warm_model_mb` setting); default the engine's. */
  readonly warmModelMb?: number;
}

/** Where engine calls run: worker threads here, or anything with the same two calls (tests). */
export interface EngineRunner {
  /** Candidates for `input` (see Engine.suggest). */
  suggest(input: EngineInput): Promise<EngineOutput>;
  /** Refits the warm model of `input.modelKey` on the whole history (see Engine.refit). */
  refit(input: EngineInput): Promise<EngineOutput>;
  /** Whether the thread that owns `modelKey` has nothing to do right now (optional refits run then). */
  idle?(modelKey: string): boolean;
}

/** A pool of engine threads. */
export interface EnginePool extends EngineRunner {
  /** Waits for running tasks and stops the threads. */
  close(): Promise<void>;
}

/** The thread an experiment's calls go to: a stable hash of its key (calls without one: thread 0). */
export function threadOf(modelKey: string | undefined, threads: number): number {
  if (modelKey === undefined || threads <= 1) return 0;
  return createHash('sha1').update(modelKey).digest().readUInt32LE(0) % threads;
}

/** Starts `threads` worker threads running the engine. */
export function createEnginePool(options: EnginePoolOptions): EnginePool {
  const threads = Math.max(1, Math.floor(options.threads));
  const pools = Array.from(
    { length: threads },
    () =>
      new Piscina({
        filename: new URL('./engine-worker.mjs', import.meta.url).href,
        minThreads: 1,
        maxThreads: 1,
        // The engine is CPU-bound: one task per thread at a time.
        concurrentTasksPerWorker: 1,
        workerData: {
          ...(options.warmModelMb !== undefined ? { warmModelBytes: options.warmModelMb * 1024 * 1024 } : {}),
        } satisfies EngineThreadData,
        ...(options.maxQueue !== undefined ? { maxQueue: options.maxQueue } : {}),
      }),
  );
  const inFlight = new Array<number>(threads).fill(0);
  const run = async (task: EngineTask) => {
    const t = threadOf(task.input.modelKey, threads);
    inFlight[t]!++;
    try {
      return (await pools[t]!.run(task)) as EngineOutput;
    } finally {
      inFlight[t]!--;
    }
  };
  return {
    suggest: (input) => run({ op: 'suggest', input }),
    refit: (input) => run({ op: 'refit', input }),
    idle: (modelKey) => inFlight[threadOf(modelKey, threads)] === 0,
    close: async () => {
      await Promise.all(pools.map((p) => p.destroy()));
    },
  };
}
