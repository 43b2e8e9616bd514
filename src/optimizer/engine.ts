/**
 * The engine: strategies (engine-strategies.ts) over warm models kept per experiment.
 *
 * A call with `modelKey` keeps its experiment's {@link WarmModel} in a bounded LRU (count and
 * bytes), so the next call appends the new observations (O(n²) each) instead of refitting; a
 * delta input (`base`) that finds no matching model answers `needsHistory`. A call with the whole
 * history rebuilds the model from the saved fit in `state` (a cold owner: no MAP fit) or fits it.
 * Refits run on the schedule of WarmModel.refitDue: inline for stateless engines, through
 * {@link Engine.refit} (called by the owner after the suggestion went out) otherwise.
 *
 * Never throws for a valid spec: any numerical failure degrades to random points and says so in
 * `diagnostics.strategy`.
 */

import { createRng } from '../numerics/rng.ts';
import { clock, fullGpOutput, randomOutput, STRATEGIES, type StrategyContext } from './engine-strategies.ts';
import type { Engine, EngineInput, EngineOutput, ModelState } from './engine-types.ts';
import { readState } from './bayesian-candidates.ts';
import { assignmentKey, inDesignPhase } from './space/index.ts';
import { proposeFromWarmModel } from './warm-proposal.ts';
import { readSavedFit, supportsWarmModel, WarmModel } from './warm-model.ts';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Warm models kept (LRU); 0 = stateless (refits inline). Default 256. */
  readonly maxModels?: number;
  /** Approximate bytes of warm models kept (LRU). Default 512 MiB. */
  readonly maxBytes?: number;
}

interface Slot {
  readonly specKey: string;
  readonly model: WarmModel;
  /** The model's size when it was last used (models only grow between uses). */
  bytes: number;
}

/** See the module comment. */
export function createEngine(options: EngineOptions = {}): Engine {
  const maxModels = Math.max(0, Math.floor(options.maxModels ?? 256));
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  const slots = new Map<string, Slot>();
  const stateless = maxModels === 0;
  let totalBytes = 0;

  /** Marks the model most recently used and drops the least recently used beyond the bounds. */
  const keep = (key: string | undefined, specKey: string, model: WarmModel): void => {
    if (key === undefined || stateless) return;
    const old = slots.get(key);
    if (old !== undefined) {
      totalBytes -= old.bytes;
      slots.delete(key);
    }
    const slot: Slot = { specKey, model, bytes: model.bytes };
    slots.set(key, slot);
    totalBytes += slot.bytes;
    for (const [k, s] of slots) {
      if (slots.size <= maxModels && totalBytes <= maxBytes) break;
      if (k === key) continue;
      slots.delete(k);
      totalBytes -= s.bytes;
    }
  };

  /** The warm GP path; null when no GP could be conditioned. */
  const warmGp = (input: EngineInput, count: number, refit: boolean): EngineOutput | null => {
    const t0 = clock();
    const specKey = JSON.stringify(input.experiment);
    const rng = createRng(input.seed);
    const key = input.modelKey;
    const slot = key === undefined ? undefined : slots.get(key);
    let model: WarmModel | null;
    let how: 'warm' | 'rebuilt' | 'fitted';
    if (input.base !== undefined) {
      if (slot === undefined || slot.specKey !== specKey || slot.model.count !== input.base) return null;
      model = slot.model;
      try {
        model.append(input.observations);
      } catch (err) {
        // A half-applied append leaves the GPs out of step: forget the model, the owner rebuilds it.
        slots.delete(key!);
        totalBytes -= slot.bytes;
        throw err;
      }
      how = 'warm';
    } else {
      const theta = readState(input.state).theta;
      const saved = refit ? null : readSavedFit(input.state?.['fit']);
      model = WarmModel.build(input.experiment, input.observations, saved, slot?.model.thetas() ?? theta, rng, input.effort);
      how = model?.origin ?? 'fitted';
      // Stateless: nobody refits later, so any new data since the saved fit is refitted now.
      if (model !== null && stateless && how === 'rebuilt' && model.refitDue() !== null) {
        model = WarmModel.build(input.experiment, input.observations, null, model.thetas(), rng);
        how = 'fitted';
      }
    }
    if (model === null) return null;
    const t1 = clock();
    const excluded = new Set(model.observedKeys);
    for (const p of input.pending) excluded.add(assignmentKey(p.assignments, p.task));
    const proposal =
      count > 0
        ? proposeFromWarmModel(model, { pending: input.pending, count, rng, excluded, effort: input.effort ?? 'thorough' })
        : { candidates: [], strategy: 'refit' };
    keep(key, specKey, model);
    const state: ModelState = { version: 1, theta: model.thetas(), fit: model.savedFit() };
    const refitDue = model.refitDue(input.effort);
    return {
      candidates: proposal.candidates,
      state,
      diagnostics: { strategy: proposal.strategy, fitMs: t1 - t0, acquisitionMs: clock() - t1, model: how },
      ...(refitDue !== null ? { refitDue } : {}),
    };
  };

  const gpPath = (input: EngineInput, count: number): EngineOutput | null =>
    supportsWarmModel(input.experiment) ? warmGp(input, count, false) : fullGpOutput(input, count);

  const suggestSafely = (input: EngineInput): EngineOutput => {
    const t0 = clock();
    try {
      if (input.base !== undefined) return suggestDelta(input, t0);
      const ctx: StrategyContext = { t0, gp: gpPath };
      const strategy = STRATEGIES.find((s) => s.applies(input))!;
      return strategy.propose(input, ctx);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      return randomOutput(input, `random-fallback (engine error: ${msg.slice(0, 120)})`, input.state ?? {}, t0, clock());
    }
  };

  /** A delta input is answered only by the warm GP of a model that is past its design phase. */
  const suggestDelta = (input: EngineInput, t0: number): EngineOutput => {
    const needsHistory: EngineOutput = {
      candidates: [],
      state: input.state ?? {},
      diagnostics: { strategy: 'needs-history', fitMs: 0, acquisitionMs: clock() - t0 },
      needsHistory: true,
    };
    const slot = input.modelKey === undefined ? undefined : slots.get(input.modelKey);
    // The warm model exists only once two observations succeeded, so the design rule alone decides.
    if (
      slot === undefined ||
      !supportsWarmModel(input.experiment) ||
      inDesignPhase(input.experiment, slot.model.count + input.observations.length, input.pending.length)
    )
      return needsHistory;
    const out = warmGp(input, Math.max(1, Math.floor(input.count)), false);
    return out ?? needsHistory;
  };

  return {
    suggest: suggestSafely,
    refit(input) {
      const t0 = clock();
      try {
        if (input.base !== undefined || !supportsWarmModel(input.experiment))
          return suggestSafely({ ...input, base: undefined } as EngineInput);
        return (
          warmGp(input, Math.max(0, Math.floor(input.count)), true) ??
          randomOutput(input, 'random-fallback (GP fit failed)', input.state ?? {}, t0, clock())
        );
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        return randomOutput(input, `random-fallback (engine error: ${msg.slice(0, 120)})`, input.state ?? {}, t0, clock());
      }
    },
    stats() {
      return { models: slots.size, bytes: totalBytes };
    },
  };
}
