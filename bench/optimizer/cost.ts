import { createRng } from '../../src/numerics/rng.ts';
import type { EngineObservation, ModelState, SuggestFn } from '../../src/optimizer/engine-types.ts';
import type { ExperimentSpec } from '../../src/optimizer/experiment-spec.ts';
import { specBuilders } from './functions/spec-builders.ts';
import { quantile } from './stats.ts';

/** Timing of one `suggest` call. */
export interface CostSample {
  readonly wallMs: number;
  /**
   * CPU time of this process during the call. On an idle machine it matches the wall time of the
   * single-threaded engine; a much larger wall time means the machine was contended.
   */
  readonly cpuMs: number;
  readonly fitMs: number;
  readonly acquisitionMs: number;
  readonly strategy: string;
}

/** Cost of one suggestion at a given history size and dimension. */
export interface CostPoint {
  readonly d: number;
  readonly n: number;
  /** First call, no saved model state (full hyperparameter search). */
  readonly cold: CostSample;
  /** Median of the warm calls (state from the previous call), field by field. */
  readonly warm: CostSample;
  readonly warmSamples: readonly CostSample[];
}

/** Smooth synthetic objective for the cost runs: separable waves plus a quadratic bowl. */
export function smoothObjective(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] ?? 0;
    s += Math.sin(3 * v + i) + 0.5 * (v - 0.3) ** 2;
  }
  return s;
}

/** A unit-cube experiment with one minimized metric `f`, and `n` random observations of it. */
export function costScenario(d: number, n: number, seed: number): {
  spec: ExperimentSpec;
  observations: EngineObservation[];
} {
  const spec = specBuilders.experiment(specBuilders.box(d, 0, 1), [specBuilders.minimize('f')], n + 100);
  const rng = createRng(seed);
  const observations: EngineObservation[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: d }, () => rng.next());
    observations.push({
      assignments: Object.fromEntries(x.map((v, j) => [`x${j + 1}`, v])),
      values: [{ name: 'f', value: smoothObjective(x), valueStddev: null }],
      failed: false,
      task: null,
    });
  }
  return { spec, observations };
}

/**
 * Times `suggest` (count 1, no pending points) on `n` synthetic observations in `d` dimensions:
 * one cold call, then `reps` warm calls that each pass the state returned by the previous call,
 * as the worker does between observations. Runs on the calling thread.
 */
export function measureCost(suggest: SuggestFn, d: number, n: number, reps: number): CostPoint {
  const { spec, observations } = costScenario(d, n, 1000 * d + n);
  let state: ModelState | null = null;
  const call = (seed: number): CostSample => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = suggest({ experiment: spec, observations, pending: [], state, count: 1, seed });
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    state = out.state;
    return {
      wallMs,
      cpuMs: (c.user + c.system) / 1000,
      fitMs: out.diagnostics.fitMs,
      acquisitionMs: out.diagnostics.acquisitionMs,
      strategy: out.diagnostics.strategy,
    };
  };
  const cold = call(1);
  const warmSamples = Array.from({ length: reps }, (_, i) => call(2 + i));
  const med = (f: (s: CostSample) => number): number => quantile(warmSamples.map(f), 0.5);
  return {
    d,
    n,
    cold,
    warm: {
      wallMs: med((s) => s.wallMs),
      cpuMs: med((s) => s.cpuMs),
      fitMs: med((s) => s.fitMs),
      acquisitionMs: med((s) => s.acquisitionMs),
      strategy: [...new Set(warmSamples.map((s) => s.strategy))].join(' | '),
    },
    warmSamples,
  };
}
