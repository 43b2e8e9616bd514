import { createRng } from '../../src/numerics/rng.ts';
import { createEngine } from '../../src/optimizer/engine.ts';
import type { Engine, EngineObservation, EngineOutput, ModelState } from '../../src/optimizer/engine-types.ts';
import type { ExperimentSpec } from '../../src/optimizer/experiment-spec.ts';
import { specBuilders } from './functions/spec-builders.ts';
import { quantile } from './stats.ts';

/** Timing of one engine call. */
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
  /** First call on the whole history without saved state (MAP fit, candidate set). */
  readonly cold: CostSample;
  /** Median over the warm steps (one observation appended + one suggestion), field by field. */
  readonly warm: CostSample;
  readonly warmSamples: readonly CostSample[];
  /** Refits the warm steps made due, their median wall time, and their total spread over the steps. */
  readonly refits: { readonly count: number; readonly medianMs: number | null; readonly amortizedMs: number };
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
export function costScenario(
  d: number,
  n: number,
  seed: number,
): {
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
 * The service's steady state on one thread: a warm engine fitted on `n` synthetic observations in
 * `d` dimensions (the cold call), then `reps` steps that each append one new observation and ask
 * for one suggestion (the delta input a worker sends). A refit the engine calls due runs after its
 * step, as a worker runs it after the pool went out; it is timed apart and reported amortized.
 */
export function measureCost(d: number, n: number, reps: number, engine: Engine = createEngine({ maxModels: 1 })): CostPoint {
  const { spec, observations } = costScenario(d, n + reps, 1000 * d + n);
  let state: ModelState | null = null;
  const timed = (f: () => EngineOutput): { out: EngineOutput; sample: CostSample } => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = f();
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return {
      out,
      sample: {
        wallMs,
        cpuMs: (c.user + c.system) / 1000,
        fitMs: out.diagnostics.fitMs,
        acquisitionMs: out.diagnostics.acquisitionMs,
        strategy: out.diagnostics.strategy,
      },
    };
  };
  const base = { experiment: spec, pending: [], count: 1, modelKey: 'cost' };
  const first = timed(() => engine.suggest({ ...base, observations: observations.slice(0, n), state, seed: 1 }));
  state = first.out.state;
  const warmSamples: CostSample[] = [];
  const refits: number[] = [];
  for (let i = 0; i < reps; i++) {
    const step = timed(() => engine.suggest({ ...base, observations: [observations[n + i]!], base: n + i, state, seed: 2 + i }));
    if (step.out.needsHistory) throw new Error('the warm model was lost between steps');
    warmSamples.push(step.sample);
    state = step.out.state;
    // Under load (back-to-back observations) a worker runs only the refits the schedule requires.
    if (step.out.refitDue === 'required') {
      const r = timed(() => engine.refit({ ...base, observations: observations.slice(0, n + i + 1), state, seed: 9 + i, count: 0 }));
      refits.push(r.sample.wallMs);
      state = r.out.state;
    }
  }
  const med = (f: (s: CostSample) => number): number => quantile(warmSamples.map(f), 0.5);
  return {
    d,
    n,
    cold: first.sample,
    warm: {
      wallMs: med((s) => s.wallMs),
      cpuMs: med((s) => s.cpuMs),
      fitMs: med((s) => s.fitMs),
      acquisitionMs: med((s) => s.acquisitionMs),
      strategy: [...new Set(warmSamples.map((s) => s.strategy))].join(' | '),
    },
    warmSamples,
    refits: {
      count: refits.length,
      medianMs: refits.length > 0 ? quantile(refits, 0.5) : null,
      amortizedMs: refits.reduce((a, b) => a + b, 0) / Math.max(1, reps),
    },
  };
}
