import type { Rng } from '../numerics/rng.ts';

/** A parameter as the create body sends it. */
export interface SimParameter {
  readonly name: string;
  readonly type: 'double' | 'int' | 'categorical';
  readonly bounds?: { readonly min: number; readonly max: number };
  readonly categorical_values?: readonly string[];
  readonly transformation?: 'log';
}

/** A metric as the create body sends it. */
export interface SimMetric {
  readonly name: string;
  readonly objective: 'maximize' | 'minimize';
}

/** One metric value of an observation body. */
export interface SimValue {
  readonly name: string;
  readonly value: number;
  readonly value_stddev?: number;
}

/** The POST /v1/experiments body of a simulated experiment. */
export interface ExperimentBody {
  readonly name: string;
  readonly parameters: readonly SimParameter[];
  readonly metrics: readonly SimMetric[];
  readonly observation_budget: number;
  readonly parallel_bandwidth?: number;
  readonly metadata: Readonly<Record<string, string | number>>;
}

/**
 * A simulated user's experiment: what to create, and the seeded synthetic objective it evaluates.
 * The objective is a smooth bump (a shifted, weighted quadratic plus a sine ripple) in the
 * parameters mapped to [0, 1] (log parameters in log space), plus a per-category offset, so the
 * optimizer has real structure to find and every seed gives a different problem.
 */
export interface SyntheticExperiment {
  readonly body: ExperimentBody;
  /** Suggestions a client keeps open at once on this experiment (its parallel_bandwidth, else 1). */
  readonly bandwidth: number;
  /** The metric values of a point; `noise` is the standard deviation of added Gaussian noise. */
  evaluate(assignments: Readonly<Record<string, unknown>>, noise: number, rng: Rng): SimValue[];
}

/** Which shares of experiments get two metrics and a parallel bandwidth > 1. */
export interface ExperimentMix {
  /** Share of experiments with two optimized metrics (default 0.2). */
  readonly multiMetricShare?: number;
  /** Share of experiments with parallel_bandwidth 2–4 (default 0.25). */
  readonly parallelShare?: number;
  /** observation_budget of every experiment (required for two metrics; default 100). */
  readonly observationBudget?: number;
}

interface Term {
  readonly param: SimParameter;
  readonly center: readonly number[];
  readonly weight: number;
}

/** Builds experiment number `index` of a run; the same rng state gives the same experiment. */
export function syntheticExperiment(runLabel: string, index: number, rng: Rng, mix: ExperimentMix = {}): SyntheticExperiment {
  const multi = rng.next() < (mix.multiMetricShare ?? 0.2);
  const bandwidth = rng.next() < (mix.parallelShare ?? 0.25) ? 2 + rng.int(3) : 1;
  const parameters = mixedSpace(rng);
  const metricCount = multi ? 2 : 1;
  const metrics: SimMetric[] = [];
  for (let m = 0; m < metricCount; m++) metrics.push({ name: `m${m + 1}`, objective: rng.next() < 0.5 ? 'maximize' : 'minimize' });
  const terms: Term[] = parameters.map((param) => ({
    param,
    center: metrics.map(() => rng.next()),
    weight: 0.5 + 2 * rng.next(),
  }));
  const offsets = new Map<string, number[]>();
  for (const p of parameters) {
    for (const v of p.categorical_values ?? [])
      offsets.set(
        `${p.name}=${v}`,
        metrics.map(() => rng.next() - 0.5),
      );
  }
  const phase = metrics.map(() => rng.next() * Math.PI * 2);
  const body: ExperimentBody = {
    name: `sim ${runLabel} #${index}`,
    parameters,
    metrics,
    observation_budget: mix.observationBudget ?? 100,
    ...(bandwidth > 1 ? { parallel_bandwidth: bandwidth } : {}),
    metadata: { simulation: runLabel, index },
  };
  return {
    body,
    bandwidth,
    evaluate(assignments, noise, valueRng) {
      return metrics.map((metric, m) => {
        let v = 0;
        for (const term of terms) {
          const raw = assignments[term.param.name];
          if (term.param.type === 'categorical') {
            v += offsets.get(`${term.param.name}=${String(raw)}`)?.[m] ?? 0;
            continue;
          }
          const x = unit(term.param, typeof raw === 'number' ? raw : Number(raw));
          const d = x - term.center[m]!;
          v -= term.weight * d * d;
          v += 0.1 * Math.sin(6 * x + phase[m]!);
        }
        // Minimized metrics see the mirrored surface, so both objectives have the same optimum.
        if (metric.objective === 'minimize') v = -v;
        if (noise > 0) return { name: metric.name, value: v + noise * valueRng.normal(), value_stddev: noise };
        return { name: metric.name, value: v };
      });
    },
  };
}

/** 1–5 parameters mixing doubles (some log-scaled), ints and categoricals. */
function mixedSpace(rng: Rng): SimParameter[] {
  const count = 1 + rng.int(5);
  const out: SimParameter[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.next();
    const name = `p${i + 1}`;
    if (kind < 0.5) {
      if (rng.next() < 0.25) out.push({ name, type: 'double', bounds: { min: 1e-4, max: 1 }, transformation: 'log' });
      else out.push({ name, type: 'double', bounds: { min: -5 + rng.int(5), max: 1 + rng.int(10) } });
    } else if (kind < 0.8) {
      out.push({ name, type: 'int', bounds: { min: rng.int(4), max: 8 + rng.int(60) } });
    } else {
      const n = 2 + rng.int(4);
      out.push({ name, type: 'categorical', categorical_values: Array.from({ length: n }, (_, k) => `c${k + 1}`) });
    }
  }
  return out;
}

/** A numeric assignment mapped to [0, 1] (log space for log parameters). */
function unit(p: SimParameter, x: number): number {
  const b = p.bounds;
  if (!b || !Number.isFinite(x)) return 0.5;
  if (p.transformation === 'log') return (Math.log(x) - Math.log(b.min)) / (Math.log(b.max) - Math.log(b.min));
  return b.max === b.min ? 0.5 : (x - b.min) / (b.max - b.min);
}
