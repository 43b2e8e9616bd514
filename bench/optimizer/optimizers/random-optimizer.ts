import { createRng } from '../../../src/numerics/rng.ts';
import type { ExperimentSpec } from '../../../src/optimizer/experiment-spec.ts';
import { randomPoint } from '../../../src/optimizer/space/random-point.ts';
import type { AskTiming, BenchOptimizer, Ticket } from './bench-optimizer.ts';

/**
 * Random search through the engine's own sampler (uniform, log-uniform on log parameters; the
 * benchmark problems define no priors), seeded per run.
 */
export function createRandomOptimizer(spec: ExperimentSpec, seed: number): BenchOptimizer {
  const rng = createRng(seed);
  const timings: AskTiming[] = [];
  let next = 0;
  return {
    timings,
    ask() {
      const t0 = performance.now();
      const assignments = randomPoint(spec, rng);
      timings.push({ wallMs: performance.now() - t0, fitMs: null, acquisitionMs: null, strategy: 'random' });
      return Promise.resolve({ id: next++, assignments });
    },
    tell(_ticket: Ticket) {
      return Promise.resolve();
    },
    close() {
      return Promise.resolve();
    },
  };
}
