import type { Candidate } from '../../optimizer/engine-types.ts';
import type { ExperimentRecord } from '../records.ts';

/**
 * Where model-based suggestions come from (DESIGN §3). The provider keeps a pool of precomputed
 * candidates per experiment, refreshed asynchronously after observation writes; the request path
 * only takes from it and waits a bounded time when it is empty. Embedded mode runs the engine in
 * worker threads in-process; distributed mode fills pools from a worker fleet.
 */
export interface CandidateProvider {
  /**
   * A model candidate for the experiment that `isTaken` does not reject (duplicates of open
   * suggestions or observations), or null when none arrived within the wait budget.
   */
  take(experiment: ExperimentRecord, isTaken: (candidate: Candidate) => boolean): Promise<Candidate | null>;
  /** Observations changed: candidates computed before are stale; schedule a refresh. */
  observationsChanged(experimentId: string): void;
  /** Forget saved model state and candidates (hyperparameters reset, experiment updated). */
  reset(experimentId: string): Promise<void>;
  close(): Promise<void>;
}
