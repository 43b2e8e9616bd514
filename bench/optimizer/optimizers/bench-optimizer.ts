import type { EngineValue } from '../../../src/optimizer/engine-types.ts';
import type { Assignments } from '../../../src/optimizer/experiment-spec.ts';

/** One open suggestion handed out by an optimizer under test. */
export interface Ticket {
  readonly id: number;
  readonly assignments: Assignments;
}

/** Cost of one `ask`, as measured by the harness (and reported by the engine where it can). */
export interface AskTiming {
  /** Wall time of the call as seen by the benchmark process. */
  readonly wallMs: number;
  readonly fitMs: number | null;
  readonly acquisitionMs: number | null;
  readonly strategy: string | null;
  /** A hyperparameter refit run after this ask (engines with warm models), else null/absent. */
  readonly refitMs?: number | null;
}

/**
 * The ask/tell face every optimizer under test shows the simulation. The optimizer keeps track of
 * its own open tickets: whatever it handed out and was not told yet is pending.
 */
export interface BenchOptimizer {
  ask(): Promise<Ticket>;
  tell(ticket: Ticket, values: readonly EngineValue[]): Promise<void>;
  /** One entry per `ask`, in call order. */
  readonly timings: readonly AskTiming[];
  close(): Promise<void>;
}

/** Names of the optimizers the benchmark knows. */
export type OptimizerName = 'sextant' | 'random' | 'tpe';

/** All optimizer names, in report order. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sextant', 'tpe', 'random'];
