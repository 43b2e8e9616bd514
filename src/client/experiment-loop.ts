import type { Assignments, Experiment, Metadata, Observation, ObservationCreate, Suggestion, ValueInput } from './api-types.ts';
import type { CallOptions } from './http-transport.ts';

/** What the loop needs from an experiment handle (kept narrow so it is easy to test). */
export interface LoopTarget {
  get(opts?: CallOptions): Promise<Experiment>;
  createSuggestion(opts?: CallOptions): Promise<Suggestion>;
  createObservation(body: ObservationCreate, opts?: CallOptions): Promise<Observation>;
  deleteSuggestion(id: string, opts?: CallOptions): Promise<void>;
}

/** Options of `experiment.loop()`. */
export interface LoopOptions extends CallOptions {
  /** Observations to reach (default: the experiment's `observation_budget`). */
  readonly budget?: number;
}

/** A metric value as `report` takes it: one number (single metric), name → value, or full evaluations. */
export type ReportedValues = number | Readonly<Record<string, number>> | readonly ValueInput[];

/** Turns a `report` argument into the observation's `values`. */
export function toValues(values: ReportedValues): ValueInput[] {
  if (typeof values === 'number') return [{ value: values }];
  if (Array.isArray(values)) return [...(values as readonly ValueInput[])];
  return Object.entries(values as Record<string, number>).map(([name, value]) => ({ name, value }));
}

/**
 * One turn of the loop: a suggestion to evaluate and the way to report it. Reporting twice is a
 * programming error and throws.
 */
export class LoopSuggestion {
  private observation: Observation | null = null;

  constructor(
    /** The server's suggestion. */
    readonly suggestion: Suggestion,
    private readonly target: LoopTarget,
    private readonly opts: CallOptions,
  ) {}

  get id(): string {
    return this.suggestion.id;
  }

  get assignments(): Assignments {
    return this.suggestion.assignments;
  }

  /** Whether `report` or `fail` has stored an observation. */
  get reported(): boolean {
    return this.observation !== null;
  }

  /** Stores the evaluation's metric value(s) as this suggestion's observation. */
  report(values: ReportedValues, metadata?: Metadata): Promise<Observation> {
    return this.store({ suggestion: this.id, values: toValues(values), ...(metadata ? { metadata } : {}) });
  }

  /** Stores a failed observation (the point could not be evaluated); `reason` lands in its metadata. */
  fail(reason?: string, metadata?: Metadata): Promise<Observation> {
    const md = { ...metadata, ...(reason !== undefined ? { failure_reason: reason.slice(0, 500) } : {}) };
    return this.store({ suggestion: this.id, failed: true, ...(Object.keys(md).length > 0 ? { metadata: md } : {}) });
  }

  private async store(body: ObservationCreate): Promise<Observation> {
    if (this.observation) throw new Error(`suggestion ${this.id} was already reported`);
    this.observation = await this.target.createObservation(body, this.opts);
    return this.observation;
  }
}

/**
 * The high-level loop, like the python client's `experiment.loop()`: yields suggestions until the
 * experiment has `budget` observations (counted by the server, so several processes may share an
 * experiment). A turn left unreported when the next one is asked for is stored as failed (the
 * experiment must not keep an open suggestion forever); leaving the loop early (break, throw,
 * abort) deletes the open suggestion instead.
 */
export async function* experimentLoop(target: LoopTarget, opts: LoopOptions = {}): AsyncGenerator<LoopSuggestion, void, undefined> {
  const { budget: requested, ...call } = opts;
  for (;;) {
    const experiment = await target.get(call);
    const budget = requested ?? experiment.observation_budget ?? null;
    if (budget === null) throw new Error(`experiment ${experiment.id} has no observation_budget; pass loop({ budget })`);
    if ((experiment.progress?.observation_count ?? 0) >= budget) return;
    const turn = new LoopSuggestion(await target.createSuggestion(call), target, call);
    let finished = false;
    try {
      yield turn;
      finished = true;
    } finally {
      if (!turn.reported) {
        if (finished) await turn.fail('not reported by the loop body');
        else await target.deleteSuggestion(turn.id, { ...call, signal: undefined }).catch(() => undefined);
      }
    }
  }
}
