import type { Store } from '../../store/store.ts';
import type { CandidateProvider } from '../ports/candidate-provider.ts';
import type { Clock } from '../ports/clock.ts';
import type { ExperimentCounts } from '../ports/experiment-counts.ts';
import type { ExperimentSnapshots } from '../ports/experiment-snapshots.ts';
import type { KeyedLock } from '../ports/keyed-lock.ts';
import type { ProgressTracker } from '../ports/progress-tracker.ts';
import type { QueueHint } from '../ports/queue-hint.ts';

/** Settings the domain rules read (all have described defaults in the config registry). */
export interface DomainSettings {
  /** Limit M3 / extension X1: 2 is strict SigOpt compatibility. */
  readonly maxOptimizedMetrics: number;
  /** Limit O13. */
  readonly maxBatchObservations: number;
  /** Lifetime of guest (share) tokens. */
  readonly guestTokenDays: number;
}

/** What every domain service is built from: ports only, never concrete adapters. */
export interface DomainDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly settings: DomainSettings;
  readonly candidates: CandidateProvider;
  readonly lock: KeyedLock;
  /** Cached experiment progress: observation writes go through it. */
  readonly progress: ProgressTracker;
  /** Whether an experiment's suggestion queue may hold entries (saves a probe per suggestion). */
  readonly queueHint: QueueHint;
  /** Recently read experiments for the loop's writes. */
  readonly snapshots: ExperimentSnapshots;
  /** Per-client experiment counts for the list routes. */
  readonly counts: ExperimentCounts;
}
