import type { Engine, EngineObservation, ModelState } from '../../../src/optimizer/engine-types.ts';
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
 * Sextant's engine as an ask/tell optimizer, driven the way the service drives it: one warm
 * engine keeps the run's model, each `ask` sends only the observations told since the last ask
 * (`base`) with the open tickets as pending points, count 1, and a refit the engine calls due runs
 * right after the ask (as a worker runs it after the pool went out). A stateless engine (no
 * `modelKey` kept) gets the whole history every time.
 */
export function createSextantOptimizer(engine: Engine, spec: ExperimentSpec, seed: number): BenchOptimizer {
  const observations: EngineObservation[] = [];
  const open = new Map<number, Assignments>();
  const timings: AskTiming[] = [];
  const modelKey = `bench-${seed}`;
  let state: ModelState | null = null;
  let calls = 0;
  /** Observations the engine's warm model holds (null: send the whole history). */
  let sent: number | null = null;
  return {
    timings,
    ask() {
      const pending = [...open.values()].map((assignments) => ({ assignments, task: null }));
      const input = { experiment: spec, pending, state, count: 1, seed: callSeed(seed, calls), modelKey };
      const t0 = performance.now();
      let out = engine.suggest(
        sent === null ? { ...input, observations } : { ...input, observations: observations.slice(sent), base: sent },
      );
      if (out.needsHistory) out = engine.suggest({ ...input, observations });
      const wallMs = performance.now() - t0;
      const candidate = out.candidates[0];
      if (candidate === undefined) throw new Error('suggest returned no candidate');
      state = out.state;
      sent = out.diagnostics.model === undefined ? null : observations.length;
      let refitMs: number | null = null;
      if (out.refitDue) {
        const r0 = performance.now();
        state = engine.refit({ ...input, observations, count: 0 }).state;
        refitMs = performance.now() - r0;
      }
      timings.push({
        wallMs,
        fitMs: out.diagnostics.fitMs,
        acquisitionMs: out.diagnostics.acquisitionMs,
        strategy: out.diagnostics.strategy,
        refitMs,
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
