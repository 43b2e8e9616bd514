import type { Cache } from '../cache/cache.ts';
import type { LiveSettings } from '../config/live-settings.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ExperimentSnapshots } from '../domain/ports/experiment-snapshots.ts';
import type { ObservationRecord } from '../store/ports/records.ts';
import type { Effort, EngineInput, EngineOutput } from '../optimizer/engine-types.ts';
import { inDesignPhase } from '../optimizer/space/initial-design.ts';
import { supportsWarmModel } from '../optimizer/warm-model.ts';
import type { RefreshHandler } from '../queue/job-queue.ts';
import type { Store } from '../store/store.ts';
import type { EngineRunner } from './engine-pool.ts';
import { refreshSeed } from './refresh-seed.ts';
import { parseGeneration, poolKeys } from './pool-keys.ts';

/** Options of {@link createRefreshHandler}. */
export interface RefreshHandlerOptions {
  readonly store: Store;
  /** Where experiment records are read (a snapshot cache saves a statement per refresh); default the store. */
  readonly experiments?: Pick<ExperimentSnapshots, 'get'>;
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
  /** Refresh jobs waiting for this process (may be a recent estimate); > 0 means busy. */
  readonly backlog?: () => number;
  /** After each computation (metrics, logs); `refit` marks a hyperparameter refit. */
  onRefresh?(experimentId: string, outcome: { ms: number; strategy: string; refit?: boolean; error?: unknown }): void;
}

/** The pool size and spares of every refresh, read from the live settings at each refresh. */
export function liveRefreshSettings(settings: Pick<LiveSettings, 'get'>): Pick<RefreshHandlerOptions, 'poolSize' | 'spares'> {
  return { poolSize: () => settings.get('suggestion.pool_size'), spares: () => settings.get('suggestion.spare_candidates') };
}

/** What this process knows its engine thread holds for an experiment (the delta protocol). */
interface Mirror {
  /** Observation epoch (cache) the model was built in: a rewrite moves it, forcing a full load. */
  readonly epoch: number;
  /** Observations the warm model includes, and the id of the last one. */
  readonly count: number;
  readonly lastId: string | null;
}

/**
 * Refreshes of one experiment closer together than this (evaluations faster than a second) count
 * as load: they are searched fast and optional refits are skipped.
 */
const FREE_INTERVAL_MS = 1000;

/** When an experiment's last refresh started, and what it and its last refit took (ms). */
interface Pace {
  readonly started: number;
  readonly refreshMs: number;
  readonly refitMs: number;
}

/**
 * What a refresh does for one experiment, in embedded mode (in-process queue, memory cache) and on
 * the worker fleet (BullMQ, Redis) alike:
 *
 * 1. Read the generation (observation writes move it; pools are filed under it) and the epoch
 *    (rewrites of observations move it).
 * 2. Load only the observations after the last one the engine thread's warm model has (the
 *    mirror), or the whole history when there is no mirror, the thread answers `needsHistory`, or
 *    the epoch moved. Inserts of one experiment are serialized by its progress lock, so ids grow in
 *    commit order and "after the last id" misses nothing; the full loads of refits heal anything.
 * 3. Compute `parallel_bandwidth + spares` candidates with the open suggestions as pending points
 *    and, if no observation arrived meanwhile, replace the pool of that generation and announce it.
 *    The engine searches thoroughly when that delays nothing, fast otherwise (see isFree).
 * 4. When the model's refit schedule requires it — or it is optional and free (see isFree) —
 *    refit on the whole history after the pool went out (the suggestion never waits for it) and save
 *    the model state; a rebuilt or fitted model saves its state too, a warm one has nothing new.
 *
 * Reruns while the generation moves during a round (a write coalesced into the running job is never
 * left without a refresh). Idempotent: a retried job recomputes and overwrites.
 */
export function createRefreshHandler(opts: RefreshHandlerOptions): RefreshHandler {
  const { store, cache, engine, clock } = opts;
  const maxRounds = opts.maxRounds ?? 5;
  const poolTtlMs = opts.poolTtlMs ?? 3_600_000;
  const mirrors = new Map<string, Mirror>();
  const paces = new Map<string, Pace>();
  const readNumber = async (key: string) => parseGeneration(await cache.get(key));

  async function computeOnce(id: string, generation: number): Promise<void> {
    const started = clock.nowMs();
    try {
      const experiment = await (opts.experiments ?? store.experiments).get(id);
      if (!experiment || experiment.state === 'deleted') {
        mirrors.delete(id);
        return;
      }
      const spec = experiment.spec;
      const [epoch, open] = await Promise.all([readNumber(poolKeys.epoch(id)), store.suggestions.listOpen(id)]);
      const bandwidth = spec.parallelBandwidth ?? 1;
      const pending = open.map((s) => ({ assignments: s.assignments, task: s.task }));
      const count = Math.max(1, Math.min(bandwidth + Math.max(0, opts.spares?.() ?? 0), opts.poolSize?.() ?? 10));
      const pace = paces.get(id);
      const effort: Effort = isFree(id, pace, started, pace?.refreshMs ?? 0) ? 'thorough' : 'fast';
      // A warm model needs no saved state; a build from the whole history reads it below.
      const base = { experiment: spec, pending, state: null, count, modelKey: id, effort };
      const mirror = mirrors.get(id);
      let output: EngineOutput | null = null;
      let history: ObservationRecord[] | null = null;
      // Shapes without a warm model (ParEGO, tasks, num_solutions) are computed from the whole history.
      if (mirror !== undefined && mirror.epoch === epoch && supportsWarmModel(spec)) {
        const delta = await store.observations.listLive(id, mirror.lastId ?? undefined);
        if (inDesignPhase(spec, mirror.count + delta.length, open.length)) return;
        const seed = refreshSeed(id, generation, mirror.count + delta.length + open.length);
        output = await engine.suggest({ ...base, observations: delta.map(engineObservation), base: mirror.count, seed });
        if (output.needsHistory) output = null;
        else remember(id, epoch, mirror.count + delta.length, delta.at(-1)?.id ?? mirror.lastId);
      }
      if (output === null) {
        history = await store.observations.listLive(id);
        mirrors.delete(id);
        if (inDesignPhase(spec, history.length, open.length)) return;
        const saved = await store.optimizerState.get(id);
        const input: EngineInput = {
          ...base,
          state: saved?.state ?? null,
          observations: history.map(engineObservation),
          seed: refreshSeed(id, generation, history.length + open.length),
        };
        // A rewrite of earlier observations invalidates the saved fit's rows: fit anew.
        output = mirror !== undefined && mirror.epoch !== epoch ? await engine.refit(input) : await engine.suggest(input);
        remember(id, epoch, history.length, history.at(-1)?.id ?? null);
      }
      if ((await readNumber(poolKeys.generation(id))) === generation) {
        await cache.replaceList(
          poolKeys.pool(id, generation),
          output.candidates.map((c) => JSON.stringify({ assignments: c.assignments, task: c.task })),
          poolTtlMs,
        );
        await cache.set(poolKeys.lastFilled(id), String(generation), { ttlMs: poolTtlMs });
        await cache.publish(poolKeys.filledChannel, `${id}:${generation}`);
        filled.delete(id);
        filled.set(id, generation);
        if (filled.size > 100_000) filled.delete(filled.keys().next().value as string);
      }
      if (output.diagnostics.model !== 'warm')
        await store.optimizerState.put({ experimentId: id, state: output.state, updated: clock.now() });
      const refreshMs = clock.nowMs() - started;
      opts.onRefresh?.(id, { ms: refreshMs, strategy: output.diagnostics.strategy });
      paces.set(id, { started, refreshMs, refitMs: pace?.refitMs ?? 0 });
      if (output.refitDue === 'required' || (output.refitDue === 'optional' && isFree(id, pace, started, pace?.refitMs ?? 0))) {
        const refitMs = await refit(id, epoch, generation, { ...base, state: output.state, count: 0 }, history);
        paces.set(id, { started, refreshMs, refitMs });
      }
    } catch (error) {
      opts.onRefresh?.(id, { ms: clock.nowMs() - started, strategy: 'error', error });
      throw error;
    }
  }

  /**
   * Whether work of about `ms` for this experiment delays nothing: no refresh job waits, its engine
   * thread is idle, and its refreshes come further apart than four times that and than {@link FREE_INTERVAL_MS} (slow
   * evaluations, the usual case of real tuning). Then refreshes search thoroughly and optional refits run; under back-to-back load
   * refreshes are fast and only the schedule's required refits run (light ones).
   */
  function isFree(id: string, pace: Pace | undefined, now: number, ms: number): boolean {
    if ((opts.backlog?.() ?? 0) > 0 || (engine.idle !== undefined && !engine.idle(id))) return false;
    return pace === undefined || now - pace.started >= Math.max(FREE_INTERVAL_MS, 4 * ms);
  }

  /** A refit on the whole history, behind the pool that already went out; returns its ms. */
  async function refit(
    id: string,
    epoch: number,
    generation: number,
    base: Omit<EngineInput, 'observations' | 'seed'>,
    loaded: ObservationRecord[] | null,
  ): Promise<number> {
    const started = clock.nowMs();
    const history = loaded ?? (await store.observations.listLive(id));
    const output = await engine.refit({
      ...base,
      observations: history.map(engineObservation),
      seed: refreshSeed(id, generation, history.length + 0x7fff),
    });
    remember(id, epoch, history.length, history.at(-1)?.id ?? null);
    await store.optimizerState.put({ experimentId: id, state: output.state, updated: clock.now() });
    const ms = clock.nowMs() - started;
    opts.onRefresh?.(id, { ms, strategy: output.diagnostics.strategy, refit: true });
    return ms;
  }

  function remember(id: string, epoch: number, count: number, lastId: string | null): void {
    mirrors.delete(id);
    mirrors.set(id, { epoch, count, lastId });
    // Bounded: an experiment forgotten here is simply loaded whole next time.
    if (mirrors.size > 100_000) mirrors.delete(mirrors.keys().next().value as string);
    if (paces.size > 100_000) paces.delete(paces.keys().next().value as string);
  }

  /** Generations whose pool this process filled (a coalesced rerun for the same one is skipped). */
  const filled = new Map<string, number>();

  return async (experimentId) => {
    for (let round = 0; round < maxRounds; round++) {
      const generation = await readNumber(poolKeys.generation(experimentId));
      // A rerun requested while this generation's refresh ran has nothing new to compute, unless
      // requests have emptied the pool since.
      if (filled.get(experimentId) === generation && (await cache.listLength(poolKeys.pool(experimentId, generation))) > 0) return;
      await computeOnce(experimentId, generation);
      if ((await readNumber(poolKeys.generation(experimentId))) === generation) return;
    }
  };
}

function engineObservation(o: ObservationRecord): EngineInput['observations'][number] {
  return { assignments: o.assignments, values: o.values, failed: o.failed, task: o.task };
}
