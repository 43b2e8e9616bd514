import type { Progress } from '../experiments/progress.ts';
import type { ExperimentRecord, ObservationRecord } from '../../store/ports/records.ts';

/** How an observation write changed the experiment's live observations. */
export type ObservationChange =
  /** Only additions (create, batch): applied to the cached progress incrementally. */
  | { readonly created: readonly ObservationRecord[] }
  /** Anything else (update, delete): the cached progress is dropped and rebuilt on the next read. */
  | 'rebuild';

/**
 * Experiment progress (live observation count, budget consumed, first, last and best observation)
 * kept as a counter in the shared cache (DESIGN §4, issue 4 item 5): updated on every observation
 * write, rebuilt from the store only when the cache lost it, so no request counts or scans the
 * observations table to render progress or to decide the suggestion phase.
 */
export interface ProgressTracker {
  /** The experiment's progress; from the cache, or rebuilt from the store (and cached). */
  progress(experiment: ExperimentRecord): Promise<Progress>;
  /**
   * Runs an observation write (`write` commits it) and applies `change(result)` to the cached
   * progress. Writes and rebuilds of one experiment are serialized, so the cached figures stay
   * exact; a write that throws changes nothing. Returns the write's result and the progress after
   * it when it was advanced incrementally (null when it is left to the next read to rebuild).
   */
  record<T>(experiment: ExperimentRecord, write: () => Promise<T>, change: (result: T) => ObservationChange): Promise<RecordedWrite<T>>;
}

/** What {@link ProgressTracker.record} returns. */
export interface RecordedWrite<T> {
  readonly result: T;
  readonly progress: Progress | null;
}
