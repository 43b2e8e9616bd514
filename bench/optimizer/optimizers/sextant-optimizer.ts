import type {
  EngineObservation,
  ModelState,
  SuggestFn,
} from '../../../src/optimizer/engine-types.ts';
import type { Assignments, ExperimentSpec } from '../../../src/optimizer/experiment-spec.ts';
import type { AskTiming, BenchOptimizer, Ticket } from './bench-optimizer.ts';

/**
 * Derives the engine seed of one call from the run seed and the call index (splitmix-style
 * mixing), so every call gets a different but reproducible seed.
 */
export function callSeed(runSeed: number, call: number): number {
  let z = (Math.imul(runSeed, 0x9e3779b1) + Math.imul(call + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d);
  z = Math.imul(z ^ (z >>> 12), 0x297a2d39);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Sextant's engine as an ask/tell optimizer: every `ask` is one `suggest` call with all observations
 * so far, the open tickets as pending points, the state returned by the previous call, count 1.
 */
export function createSextantOptimizer(
  suggest: SuggestFn,
  spec: ExperimentSpec,
  seed: number,
): BenchOptimizer {
  const observations: EngineObservation[] = [];
  const open = new Map<number, Assignments>();
  const timings: AskTiming[] = [];
  let state: ModelState | null = null;
  let calls = 0;
  return {
    timings,
    ask() {
      const t0 = performance.now();
      const out = suggest({
        experiment: spec,
        observations,
        pending: [...open.values()].map((assignments) => ({ assignments, task: null })),
        state,
        count: 1,
        seed: callSeed(seed, calls),
      });
      const wallMs = performance.now() - t0;
      const candidate = out.candidates[0];
      if (candidate === undefined) throw new Error('suggest returned no candidate');
      state = out.state;
      timings.push({
        wallMs,
        fitMs: out.diagnostics.fitMs,
        acquisitionMs: out.diagnostics.acquisitionMs,
        strategy: out.diagnostics.strategy,
      });
      const ticket: Ticket = { id: calls++, assignments: candidate.assignments };
      open.set(ticket.id, ticket.assignments);
      return Promise.resolve(ticket);
    },
    tell(ticket, values) {
      open.delete(ticket.id);
      observations.push({ assignments: ticket.assignments, values, failed: false, task: null });
      return Promise.resolve();
    },
    close() {
      return Promise.resolve();
    },
  };
}
