import type { Assignments } from '../../../src/optimizer/experiment-spec.ts';
import { budgetFor, runningMinimum, type BenchProblem } from './problem.ts';
import { specBuilders } from './spec-builders.ts';

/**
 * Per-activation offset and best log10 learning rate: the categorical both shifts the objective and
 * moves the optimum of the log-scaled double, so a model that ignores the interaction is penalized.
 */
const ACTIVATIONS: Readonly<Record<string, { offset: number; bestLogLr: number }>> = {
  relu: { offset: 0.35, bestLogLr: -3.2 },
  tanh: { offset: 0, bestLogLr: -2.1 },
  sigmoid: { offset: 0.8, bestLogLr: -1.4 },
  gelu: { offset: 0.15, bestLogLr: -3.7 },
};

/**
 * A hyperparameter-tuning-shaped mixed problem: int `layers` ∈ [1, 12], categorical `activation`,
 * log-scaled double `learning_rate` ∈ [1e-5, 1] and double `dropout` ∈ [0, 0.9]. Minimum 0 at
 * layers = 5, activation = tanh, learning_rate = 10^−2.1, dropout = 0.3.
 */
export function mixedObjective(a: Assignments): number {
  const layers = num(a, 'layers');
  const lr = num(a, 'learning_rate');
  const dropout = num(a, 'dropout');
  const act = ACTIVATIONS[String(a['activation'])];
  if (act === undefined) throw new Error(`unknown activation ${String(a['activation'])}`);
  const dl = Math.log10(lr) - act.bestLogLr;
  // More layers want a little more dropout: a mild interaction between the int and a double.
  const dd = dropout - (0.3 + 0.04 * (layers - 5));
  return act.offset + 0.6 * dl * dl + 0.04 * (layers - 5) ** 2 + 3 * dd * dd + 0.1 * Math.abs(dl * dd);
}

function num(a: Assignments, key: string): number {
  const v = a[key];
  if (typeof v !== 'number') throw new Error(`missing numeric ${key}`);
  return v;
}

const budget = budgetFor(4);

/** The mixed int + categorical + log-double problem. */
export const mixedProblem: BenchProblem = {
  name: 'mixed',
  description: 'Mixed: int, 4-way categorical, log double, double (interacting)',
  dimension: 4,
  budget,
  optimum: 0,
  spec: specBuilders.experiment(
    [
      specBuilders.int('layers', 1, 12),
      specBuilders.categorical('activation', Object.keys(ACTIVATIONS)),
      specBuilders.double('learning_rate', 1e-5, 1, true),
      specBuilders.double('dropout', 0, 0.9),
    ],
    [specBuilders.minimize('f')],
    budget,
  ),
  evaluate(assignments) {
    const y = mixedObjective(assignments);
    return { values: [{ name: 'f', value: y, valueStddev: null }], scores: [y] };
  },
  bestSoFar: runningMinimum,
};
