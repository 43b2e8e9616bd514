import type { Cache } from '../cache/cache.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { RefreshHandler } from '../queue/job-queue.ts';
import type { Store } from '../store/store.ts';
import type { EngineRunner } from './embedded-candidate-provider.ts';
import { loadEngineInput } from './load-engine-input.ts';
import { parseGeneration, poolKeys } from './pool-keys.ts';

/** Options of {@link createRefreshHandler}. */
export interface RefreshHandlerOptions {
  readonly store: Store;
  readonly cache: Cache;
  readonly engine: EngineRunner;
  readonly clock: Clock;
  /** Upper bound on candidates per refresh; read per refresh. Default 10. */
  readonly poolSize?: () => number;
  /** Candidates beyond the parallel bandwidth per refresh (served when a refresh is late). Default 0. */
  readonly spares?: () => number;
  /** Lifetime of a pool nobody takes from (abandoned experiments free their memory). Default 1 h. */
  readonly poolTtlMs?: number;
  /** Reruns within one job while observations keep changing, before leaving it to the next job. */
  readonly maxRounds?: number;
  /** After each computation (metrics, logs). */
  onRefresh?(experimentId: string, outcome: { ms: number; strategy: string; error?: unknown }): void;
}

/**
 * What an optimizer worker does for one refresh job: load the experiment's state from the
 * database, warm-start the engine from the saved hyperparameters, compute candidates that account
 * for the open suggestions, then — only if no observation arrived meanwhile — replace the pool of
 * that generation, save the model state and announce the fill. When the generation moved during
 * the computation the job reruns, so a write that arrived while the job was active (and was
 * therefore coalesced into it by the queue) is never left without a refresh.
 *
 * Idempotent: a job retried after a crash recomputes and overwrites; nothing is appended.
 */
export function createRefreshHandler(opts: RefreshHandlerOptions): RefreshHandler {
  const { store, cache, engine, clock } = opts;
  const maxRounds = opts.maxRounds ?? 5;
  const poolTtlMs = opts.poolTtlMs ?? 3_600_000;
  const currentGeneration = async (id: string) => parseGeneration(await cache.get(poolKeys.generation(id)));

  async function computeOnce(id: string, generation: number): Promise<void> {
    const started = clock.nowMs();
    try {
      const input = await loadEngineInput(store, id, generation, { poolSize: opts.poolSize?.() ?? 10, spares: opts.spares?.() ?? 0 });
      if (!input) return;
      const output = await engine.suggest(input);
      if ((await currentGeneration(id)) === generation) {
        await store.optimizerState.put({ experimentId: id, state: output.state, updated: clock.now() });
        await cache.replaceList(
          poolKeys.pool(id, generation),
          output.candidates.map((c) => JSON.stringify({ assignments: c.assignments, task: c.task })),
          poolTtlMs,
        );
        await cache.set(poolKeys.lastFilled(id), String(generation), { ttlMs: poolTtlMs });
        await cache.publish(poolKeys.filledChannel, `${id}:${generation}`);
      }
      opts.onRefresh?.(id, { ms: clock.nowMs() - started, strategy: output.diagnostics.strategy });
    } catch (error) {
      opts.onRefresh?.(id, { ms: clock.nowMs() - started, strategy: 'error', error });
      throw error;
    }
  }

  return async (experimentId) => {
    for (let round = 0; round < maxRounds; round++) {
      const generation = await currentGeneration(experimentId);
      await computeOnce(experimentId, generation);
      if ((await currentGeneration(experimentId)) === generation) return;
    }
  };
}
