/** What one fault campaign does. All times in ms. */
export interface ChaosOptions {
  /** Client load time; the four faults fall at 15 %, 33 %, 51 % and 69 % of it (each after the previous is over). */
  readonly durationMs: number;
  /** Parallel suggest → observe clients, spread round-robin over the experiments. */
  readonly clients: number;
  /** Experiments; each gets `parallel_bandwidth` = its number of clients. */
  readonly experiments: number;
  /** `serve --processes`. */
  readonly apiProcesses: number;
  /** `sextant worker` processes. */
  readonly workers: number;
  readonly redisDownMs: number;
  readonly postgresDownMs: number;
  readonly suggestionWaitMs: number;
  readonly jobLockMs: number;
  /** Per-attempt client time limit: an attempt that outlives it counts as a hang (status -1). */
  readonly requestTimeoutMs: number;
  /** Attempts per request (first included) with full-jitter backoff between them. */
  readonly maxAttempts: number;
  /** Bound on the recovery phase (ready again, optimizer producing model suggestions). */
  readonly recoveryWithinMs: number;
}

/** The documented full run (bench/results/chaos.*). */
export const FULL_CAMPAIGN: ChaosOptions = Object.freeze({
  durationMs: 75_000,
  clients: 8,
  experiments: 3,
  apiProcesses: 2,
  workers: 2,
  redisDownMs: 2000,
  postgresDownMs: 5000,
  suggestionWaitMs: 1000,
  jobLockMs: 3000,
  requestTimeoutMs: 30_000,
  maxAttempts: 12,
  recoveryWithinMs: 90_000,
});

/** The bounded CI variant (test/distributed/chaos.test.ts): fewer clients, a shorter run. */
export const CI_CAMPAIGN: ChaosOptions = Object.freeze({
  ...FULL_CAMPAIGN,
  durationMs: 24_000,
  clients: 4,
  experiments: 3,
  postgresDownMs: 3000,
});
