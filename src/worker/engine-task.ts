/**
 * What a worker thread runs for each engine call. The thread owns one warm engine (engine.ts): the
 * warm models of the experiments routed to it live here, bounded by the engine's LRU, and die with
 * the thread (the next call then sends the whole history and the model is rebuilt from its saved
 * state). Kept separate from the bootstrap so it loads as compiled JavaScript or through tsx.
 */

import { workerData } from 'node:worker_threads';
import { createEngine } from '../optimizer/engine.ts';
import type { EngineInput, EngineOutput } from '../optimizer/engine-types.ts';

/** One engine call. */
export interface EngineTask {
  readonly op: 'suggest' | 'refit';
  readonly input: EngineInput;
}

/** What the pool tells each thread (engine-pool.ts). */
export interface EngineThreadData {
  readonly warmModelBytes?: number;
}

const data = (workerData ?? {}) as EngineThreadData;
const engine = createEngine({ maxModels: 100_000, ...(data.warmModelBytes !== undefined ? { maxBytes: data.warmModelBytes } : {}) });

/** Piscina task entry. */
export default function runEngineTask(task: EngineTask): EngineOutput {
  return task.op === 'refit' ? engine.refit(task.input) : engine.suggest(task.input);
}
