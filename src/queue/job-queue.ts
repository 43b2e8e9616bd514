/**
 * The job-queue port (DESIGN §3 step 5): coalesced per-experiment "refresh" jobs. API processes
 * enqueue; optimizer workers consume. Semantics every adapter keeps:
 *
 * - **Coalesced**: while a refresh for an experiment is waiting, further requests for it are
 *   no-ops (one job per experiment in the queue).
 * - **One at a time per experiment**: at most one handler runs for an experiment; a request that
 *   arrives while it runs is not lost — either it is coalesced into a rerun (in-process) or the
 *   handler itself reruns when the experiment's generation moved during the run (see the worker).
 * - **At least once**: a handler that throws, or whose process dies, has its job retried later
 *   (full-jitter backoff), so handlers must be idempotent.
 */
export interface JobQueue {
  /** Requests a refresh of the experiment's candidate pool. */
  enqueueRefresh(experimentId: string): Promise<void>;
  /** Jobs waiting or running (metrics: the depth an operator watches for workers falling behind). */
  depth(): Promise<number>;
  /**
   * Milliseconds the oldest job still waiting for a worker has waited (0 when none waits). Jobs
   * running now do not count: this is the lag between a write and the start of its refresh, the
   * figure that grows when the worker fleet is too small or gone.
   */
  oldestWaitingAgeMs(): Promise<number>;
  close(): Promise<void>;
}

/** What a worker runs for each refresh job. */
export type RefreshHandler = (experimentId: string) => Promise<void>;

/** A running consumer of refresh jobs. */
export interface JobConsumer {
  /** Stops taking jobs and waits for the running ones (graceful shutdown). */
  close(): Promise<void>;
}
