/**
 * How the engine chooses between random points, the initial design and the GP: a list of small
 * strategy objects tried in order (like Optuna's samplers or Ax's generation steps), the first
 * that applies answers. Each strategy states when it applies; none restates another's rule.
 *
 * - random: `random` experiments and experiments without an optimized metric.
 * - initial-design: while the design phase of the space toolkit holds (inDesignPhase, counting
 *   the points this call hands out) or fewer than two observations succeeded, the experiment's
 *   scrambled-Sobol design; the slots the design cannot fill go to the GP (or random points).
 * - gp: the warm GP path (warm-model.ts) for the shapes it supports, else the full path
 *   (bayesian-candidates.ts: ParEGO, tasks, num_solutions).
 */

import { createRng } from '../numerics/rng.ts';
import { modelCandidates } from './bayesian-candidates.ts';
import type { Candidate, EngineInput, EngineOutput, ModelState } from './engine-types.ts';
import { designCandidates, designSeed, randomCandidates, takenKeys, withDesignSeed } from './space-candidates.ts';
import { assignmentKey, inDesignPhase, initialDesignSize } from './space/index.ts';

/** Wall-clock reading used only for the cost figures in diagnostics, never for any decision. */
export const clock = (): number => globalThis.performance.now();

/** What a strategy needs besides the input: the GP path (warm models live in the engine). */
export interface StrategyContext {
  readonly t0: number;
  /** The GP path for `count` candidates with `input` (its pending points include any design picks). */
  gp(input: EngineInput, count: number): EngineOutput | null;
}

/** One way of answering a suggestion request. */
export interface SuggestionStrategy {
  readonly name: string;
  applies(input: EngineInput): boolean;
  propose(input: EngineInput, ctx: StrategyContext): EngineOutput;
}

/** Fills up to `input.count` with random points after `prefix`; never throws. */
export function randomOutput(
  input: EngineInput,
  strategy: string,
  state: ModelState,
  t0: number,
  t1: number,
  prefix: readonly Candidate[] = [],
): EngineOutput {
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

function successes(input: EngineInput): number {
  return input.observations.filter((o) => !o.failed && o.values.length > 0).length;
}

/** Design slots of this call: the ones the server's design phase would still fill itself. */
function designCount(input: EngineInput): number {
  const count = Math.max(1, Math.floor(input.count));
  if (successes(input) < 2) return count;
  const spec = input.experiment;
  if (!inDesignPhase(spec, input.observations.length, input.pending.length)) return 0;
  const progress = input.observations.length + ((spec.parallelBandwidth ?? 1) > 1 ? input.pending.length : 0);
  return Math.min(count, initialDesignSize(spec) - progress);
}

const randomStrategy: SuggestionStrategy = {
  name: 'random',
  applies: (input) => input.experiment.type !== 'offline' || !input.experiment.metrics.some((m) => m.strategy === 'optimize'),
  propose(input, ctx) {
    const why = input.experiment.type !== 'offline' ? 'random' : 'random (no optimized metric)';
    return randomOutput(input, why, input.state ?? {}, ctx.t0, ctx.t0);
  },
};

const initialDesignStrategy: SuggestionStrategy = {
  name: 'initial-design',
  applies: (input) => designCount(input) > 0,
  propose(input, ctx) {
    const count = Math.max(1, Math.floor(input.count));
    const seed = designSeed(input);
    const baseState = withDesignSeed(input.state ?? {}, seed);
    const design = designCandidates(input.experiment, input, designCount(input), seed, takenKeys(input));
    if (design.length >= count)
      return {
        candidates: design,
        state: baseState,
        diagnostics: { strategy: 'initial-design', fitMs: 0, acquisitionMs: clock() - ctx.t0 },
      };
    // Without two successes there is nothing to model; otherwise design picks are pending for the GP.
    if (successes(input) < 2) return randomOutput(input, 'initial-design+random', baseState, ctx.t0, clock(), design);
    const model = ctx.gp({ ...input, pending: [...input.pending, ...design] }, count - design.length);
    if (model === null) return randomOutput(input, 'random-fallback (GP fit failed)', baseState, ctx.t0, clock(), design);
    const candidates = [...design, ...model.candidates];
    const output = {
      ...model,
      state: withDesignSeed(model.state, seed),
      candidates,
      diagnostics: { ...model.diagnostics, strategy: `initial-design+${model.diagnostics.strategy}` },
    };
    return candidates.length < count
      ? randomOutput(input, `${output.diagnostics.strategy}+random`, output.state, ctx.t0, ctx.t0 + model.diagnostics.fitMs, candidates)
      : output;
  },
};

const gpStrategy: SuggestionStrategy = {
  name: 'gp',
  applies: () => true,
  propose(input, ctx) {
    const count = Math.max(1, Math.floor(input.count));
    const seed = designSeed(input);
    const model = ctx.gp(input, count);
    if (model === null)
      return randomOutput(input, 'random-fallback (GP fit failed)', withDesignSeed(input.state ?? {}, seed), ctx.t0, clock());
    const output = { ...model, state: withDesignSeed(model.state, seed) };
    if (model.candidates.length >= count) return output;
    const padded = randomOutput(
      input,
      `${model.diagnostics.strategy}+random`,
      output.state,
      ctx.t0,
      ctx.t0 + model.diagnostics.fitMs,
      model.candidates,
    );
    return { ...output, candidates: padded.candidates, diagnostics: { ...model.diagnostics, strategy: padded.diagnostics.strategy } };
  },
};

/** The strategies in the order they are tried. */
export const STRATEGIES: readonly SuggestionStrategy[] = [randomStrategy, initialDesignStrategy, gpStrategy];

/** The full (non-warm) GP path as an engine output, or null when no GP could be fitted. */
export function fullGpOutput(input: EngineInput, count: number): EngineOutput | null {
  const model = modelCandidates(input, count);
  if (model === null) return null;
  return {
    candidates: model.candidates,
    state: model.state,
    diagnostics: { strategy: model.strategy, fitMs: model.fitMs, acquisitionMs: model.acquisitionMs, model: 'fitted' },
  };
}
