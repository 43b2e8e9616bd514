import type {
  ExperimentSpec,
  MetricSpec,
  ParameterSpec,
} from '../../../src/optimizer/experiment-spec.ts';

/**
 * Small constructors for the normalized ExperimentSpec shape, so each benchmark problem states only
 * what matters (bounds, types, metrics) and the rest takes the defaults the domain layer would give.
 */
export const specBuilders = {
  double(name: string, min: number, max: number, log = false): ParameterSpec {
    return param(name, 'double', { min, max }, null, log);
  },
  int(name: string, min: number, max: number): ParameterSpec {
    return param(name, 'int', { min, max }, null, false);
  },
  categorical(name: string, values: readonly string[]): ParameterSpec {
    return param(
      name,
      'categorical',
      null,
      values.map((v, i) => ({ name: v, enumIndex: i + 1, deleted: false })),
      false,
    );
  },
  minimize(name: string): MetricSpec {
    return { name, objective: 'minimize', strategy: 'optimize', threshold: null };
  },
  /** A constraint metric satisfied when its value is ≤ threshold. */
  atMost(name: string, threshold: number): MetricSpec {
    return { name, objective: 'minimize', strategy: 'constraint', threshold };
  },
  experiment(
    parameters: readonly ParameterSpec[],
    metrics: readonly MetricSpec[],
    observationBudget: number,
  ): ExperimentSpec {
    const byName = <T extends { name: string | null }>(a: T, b: T): number =>
      (a.name ?? '') < (b.name ?? '') ? -1 : (a.name ?? '') > (b.name ?? '') ? 1 : 0;
    return {
      type: 'offline',
      parameters: [...parameters].sort(byName),
      metrics: [...metrics].sort(byName),
      conditionals: [],
      linearConstraints: [],
      tasks: null,
      observationBudget,
      parallelBandwidth: null,
      numSolutions: null,
    };
  },
  /** `x1..xd` doubles on the same interval, the usual layout of the synthetic test functions. */
  box(d: number, min: number, max: number): ParameterSpec[] {
    return Array.from({ length: d }, (_, i) => specBuilders.double(`x${i + 1}`, min, max));
  },
};

function param(
  name: string,
  type: ParameterSpec['type'],
  bounds: ParameterSpec['bounds'],
  categoricalValues: ParameterSpec['categoricalValues'],
  log: boolean,
): ParameterSpec {
  return {
    name,
    type,
    bounds,
    categoricalValues,
    grid: null,
    prior: null,
    transformation: log ? 'log' : null,
    defaultValue: null,
    conditions: {},
    precision: null,
    deleted: false,
  };
}
