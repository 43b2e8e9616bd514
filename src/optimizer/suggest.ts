/**
 * The engine entry point: experiment state in, distinct candidate assignments out.
 *
 * Strategy: `random` experiments and experiments without an optimized metric → random points
 * (priors honoured); while fewer than `initialDesignSize(spec)` points were observed (plus pending
 * ones when parallel_bandwidth > 1, the server's rule) or fewer than two succeeded → the
 * experiment's scrambled-Sobol initial design, the same sequence the server serves; otherwise the
 * GP model phase (bayesian-candidates.ts). Never throws for a valid spec: any numerical failure
 * degrades to random points and says so in `diagnostics.strategy`.
 */

import { createRng } from '../numerics/rng.ts';
import { modelCandidates } from './bayesian-candidates.ts';
import type { Candidate, EngineInput, EngineOutput, ModelState, SuggestFn } from './engine-types.ts';
import { designCandidates, designSeed, randomCandidates, takenKeys, withDesignSeed } from './space-candidates.ts';
import { assignmentKey, initialDesignSize } from './space/index.ts';

/** Wall-clock reading used only for the cost figures in diagnostics, never for any decision. */
const clock = (): number => globalThis.performance.now();

/** See the module comment. */
export const suggest: SuggestFn = (input: EngineInput): EngineOutput => {
  const t0 = clock();
  try {
    return suggestUnsafe(input, t0);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return randomOutput(input, `random-fallback (engine error: ${msg.slice(0, 120)})`, input.state ?? {}, t0, clock());
  }
};

/** Fills up to `count` with random points after `prefix`; never throws. */
function randomOutput(input: EngineInput, strategy: string, state: ModelState, t0: number, t1: number, prefix: readonly Candidate[] = []): EngineOutput {
  let candidates: Candidate[] = [...prefix];
  try {
    const excluded = takenKeys(input);
    for (const c of prefix) excluded.add(assignmentKey(c.assignments, c.task));
    const need = Math.max(1, Math.floor(input.count)) - prefix.length;
    const rng = createRng((input.seed ^ 0x5bd1e995) >>> 0);
    if (need > 0) candidates = candidates.concat(randomCandidates(input.experiment, need, rng, excluded));
  } catch {
    // Nothing sensible left to do: return what we have.
  }
  return { candidates, state, diagnostics: { strategy, fitMs: t1 - t0, acquisitionMs: clock() - t1 } };
}

function suggestUnsafe(input: EngineInput, t0: number): EngineOutput {
  const spec = input.experiment;
  const count = Math.max(1, Math.floor(input.count));
  if (spec.type !== 'offline') return randomOutput(input, 'random', input.state ?? {}, t0, t0);
  if (!spec.metrics.some((m) => m.strategy === 'optimize')) return randomOutput(input, 'random (no optimized metric)', input.state ?? {}, t0, t0);

  const seed = designSeed(input);
  const baseState = withDesignSeed(input.state ?? {}, seed);
  const successes = input.observations.filter((o) => !o.failed && o.values.length > 0).length;
  const bandwidth = Math.max(1, Math.floor(spec.parallelBandwidth ?? 1));
  const progress = input.observations.length + (bandwidth > 1 ? input.pending.length : 0);
  // The design fills the slots the server would still fill itself; without two successes there is
  // nothing to model, so the design continues (its sequence stays space-filling).
  const designCount = successes < 2 ? count : Math.min(count, Math.max(0, initialDesignSize(spec) - progress));
  const excluded = takenKeys(input);
  const design = designCount > 0 ? designCandidates(spec, input, designCount, seed, excluded) : [];
  if (design.length >= count || successes < 2) {
    const t1 = clock();
    if (design.length >= count) return { candidates: design, state: baseState, diagnostics: { strategy: 'initial-design', fitMs: 0, acquisitionMs: t1 - t0 } };
    return randomOutput(input, 'initial-design+random', baseState, t0, t1, design);
  }
  // Design points chosen in this call are pending for the model.
  const modelInput: EngineInput = design.length > 0 ? { ...input, pending: [...input.pending, ...design] } : input;
  const model = modelCandidates(modelInput, count - design.length);
  if (model === null) return randomOutput(input, 'random-fallback (GP fit failed)', baseState, t0, clock(), design);
  const state = withDesignSeed(model.state, seed);
  const candidates = [...design, ...model.candidates];
  const strategy = design.length > 0 ? `initial-design+${model.strategy}` : model.strategy;
  if (candidates.length < count) {
    const out = randomOutput(input, `${strategy}+random`, state, t0, t0 + model.fitMs, candidates);
    return { ...out, diagnostics: { ...out.diagnostics, fitMs: model.fitMs } };
  }
  return { candidates, state, diagnostics: { strategy, fitMs: model.fitMs, acquisitionMs: model.acquisitionMs } };
}
