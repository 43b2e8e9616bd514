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
  /**
   * Names the experiment in an engine that keeps warm models between calls (worker threads, the
   * benchmarks); absent, the call is stateless.
   */
  readonly modelKey?: string;
  /**
   * When set, `observations` holds only the observations after the first `base` ones, which the
   * warm model of `modelKey` already includes. An engine without that model answers
   * `needsHistory` instead of candidates, and the caller sends the whole history.
   */
  readonly base?: number;
  /**
   * How hard the GP path searches (warm models). `thorough` (default): like a full refit and
   * acquisition search at small data sizes, what the quality benchmark measures. `fast`: the
   * maintained candidate set and a short polish, and light warm-started refits: a few
   * milliseconds whatever the history, for owners whose engine thread is busy.
   */
  readonly effort?: Effort;
}

/** See {@link EngineInput.effort}. */
export type Effort = 'thorough' | 'fast';

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
    /**
     * How the model was obtained: `warm` (kept, observations appended), `rebuilt` (conditioned
     * from the saved fit), `fitted` (MAP hyperparameters fitted now); absent without a model.
     * Only a rebuilt or fitted model changes `state`.
     */
    readonly model?: 'warm' | 'rebuilt' | 'fitted';
  };
  /** A delta input (`base`) reached an engine without that warm model: send the whole history. */
  readonly needsHistory?: boolean;
  /**
   * The warm model's hyperparameters are due for a refit (run it with {@link Engine.refit}):
   * `required` by the refit schedule, `optional` when observations arrived since the last fit (run
   * it when it costs nothing: an idle thread, evaluations slower than a refit).
   */
  readonly refitDue?: 'required' | 'optional';
}

/** The engine entry point: pure and deterministic for a given input (including seed). */
export type SuggestFn = (input: EngineInput) => EngineOutput;

/**
 * An engine that keeps warm models per `modelKey` (one per engine thread). No I/O: its state is
 * memory the caller bounds, and everything in it can be rebuilt from the input's `state`.
 */
export interface Engine {
  /** Candidates for `input`, from the warm model when there is one. */
  suggest(input: EngineInput): EngineOutput;
  /**
   * Refits the warm model of `input.modelKey` on the whole history (`input.base` must be absent):
   * MAP hyperparameters, transforms and subset anew; replaces the model at once and returns its
   * state. `count` 0 computes no candidates.
   */
  refit(input: EngineInput): EngineOutput;
  /** Warm models held and their approximate bytes. */
  stats(): { readonly models: number; readonly bytes: number };
}
