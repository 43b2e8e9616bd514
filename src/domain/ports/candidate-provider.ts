import type { Candidate } from '../../optimizer/engine-types.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';

/**
 * A model candidate and whether it is *fresh*: computed by a model that included every observation
 * the experiment had stored when the request arrived (its pool's generation is the current one).
 * A spare or leftover of an older generation is *stale*.
 */
export interface TakenCandidate {
  readonly candidate: Candidate;
  readonly fresh: boolean;
}

/**
 * Where model-based suggestions come from (DESIGN §3). The provider keeps a pool of precomputed
 * candidates per experiment, refreshed asynchronously after observation writes; the request path
 * only takes from it and waits a bounded time when it is empty. One implementation serves both
 * modes (worker/pooled-candidate-provider.ts): the pool in the cache (memory or Redis), refreshes
 * through the job queue (in-process or BullMQ) to engine threads here or in the worker fleet.
 */
export interface CandidateProvider {
  /**
   * A model candidate for the experiment that `isTaken` does not reject (duplicates of open
   * suggestions or observations), or null when none arrived within the wait budget.
   */
  take(experiment: ExperimentRecord, isTaken: (candidate: Candidate) => boolean): Promise<TakenCandidate | null>;
  /**
   * Observations were added: candidates computed before are stale; schedule a refresh. Resolves
   * once later requests see them stale (so a client's next suggestion is never called fresh
   * without them); never rejects.
   */
  observationsAdded(experimentId: string): Promise<void>;
  /** Stored observations were updated or deleted: as added, and the next refresh fits anew. */
  observationsRewritten(experimentId: string): Promise<void>;
  /** Forget saved model state and candidates (hyperparameters reset, experiment updated). */
  reset(experimentId: string): Promise<void>;
  close(): Promise<void>;
}
