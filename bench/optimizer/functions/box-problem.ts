import type { Assignments } from '../../../src/optimizer/experiment-spec.ts';
import { budgetFor, runningMinimum, type BenchProblem } from './problem.ts';
import { specBuilders } from './spec-builders.ts';

/** Definition of a deterministic function on a box of doubles named x1..xd. */
export interface BoxFunction {
  readonly name: string;
  readonly description: string;
  /** Per-dimension [min, max]. */
  readonly bounds: readonly (readonly [number, number])[];
  readonly optimum: number;
  /** A point attaining `optimum` (used by the unit tests). */
  readonly argmin: readonly number[];
  readonly f: (x: readonly number[]) => number;
}

/** Reads x1..xd from an assignment set, in order. */
export function boxVector(assignments: Assignments, d: number): number[] {
  const x: number[] = [];
  for (let i = 1; i <= d; i++) {
    const v = assignments[`x${i}`];
    if (typeof v !== 'number') throw new Error(`missing numeric x${i}`);
    x.push(v);
  }
  return x;
}

/** Turns a plain function on a box into a single-metric benchmark problem (metric `f`). */
export function boxProblem(def: BoxFunction): BenchProblem & { readonly source: BoxFunction } {
  const d = def.bounds.length;
  const budget = budgetFor(d);
  return {
    name: def.name,
    description: def.description,
    source: def,
    dimension: d,
    budget,
    optimum: def.optimum,
    spec: specBuilders.experiment(
      def.bounds.map(([lo, hi], i) => specBuilders.double(`x${i + 1}`, lo, hi)),
      [specBuilders.minimize('f')],
      budget,
    ),
    evaluate(assignments) {
      const y = def.f(boxVector(assignments, d));
      return { values: [{ name: 'f', value: y, valueStddev: null }], scores: [y] };
    },
    bestSoFar: runningMinimum,
  };
}

/** `d` copies of the same interval. */
export function cube(d: number, lo: number, hi: number): [number, number][] {
  return Array.from({ length: d }, () => [lo, hi] as [number, number]);
}
