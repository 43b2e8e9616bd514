import type { Assignments, ExperimentSpec } from './experiment-spec.ts';

/** One observed metric value. `name` is null for the single unnamed metric. */
export interface EngineValue {
  readonly name: string | null;
  readonly value: number;
  /** Standard deviation reported by the user; null = unknown (the engine may learn noise). */
  readonly valueStddev: number | null;
}

/** A non-deleted observation, in creation order. */
export interface EngineObservation {
  readonly assignments: Assignments;
  /** Empty when failed. */
  readonly values: readonly EngineValue[];
  readonly failed: boolean;
  /** Task name for multitask experiments. */
  readonly task: string | null;
}

/** An open suggestion that has not been observed yet. */
export interface PendingPoint {
  readonly assignments: Assignments;
  readonly task: string | null;
}

/**
 * Opaque-to-the-server, JSON-serializable engine state saved per experiment between calls
 * (e.g. fitted GP hyperparameters used as warm starts). The server stores and returns it verbatim.
 */
export type ModelState = Readonly<Record<string, unknown>>;

export interface EngineInput {
  readonly experiment: ExperimentSpec;
  readonly observations: readonly EngineObservation[];
  readonly pending: readonly PendingPoint[];
  readonly state: ModelState | null;
  /** How many distinct candidates to return (≥ 1). */
  readonly count: number;
  /** Makes the call deterministic. */
  readonly seed: number;
}

export interface Candidate {
  readonly assignments: Assignments;
  readonly task: string | null;
}

export interface EngineOutput {
  /** Up to `count` candidates, best first, distinct from each other, from observations and pending. */
  readonly candidates: readonly Candidate[];
  readonly state: ModelState;
  /** Where the candidates came from and what it cost, for metrics and logs. */
  readonly diagnostics: {
    readonly strategy: string;
    readonly fitMs: number;
    readonly acquisitionMs: number;
  };
}

/** The engine entry point: pure and deterministic for a given input (including seed). */
export type SuggestFn = (input: EngineInput) => EngineOutput;
