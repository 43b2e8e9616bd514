import { availableParallelism } from 'node:os';

/**
 * Default process and thread counts of a deployment, derived from the cores of the machine a
 * command starts on. This is the one place the rule lives: `sextant serve --processes` and
 * `sextant worker --concurrency` (and through it the worker's engine threads) take their defaults
 * from here. The rule comes from `bench/service/sizing.ts` (docs/capacity.md, "Sizing a
 * deployment"): re-run that benchmark on the target hardware and adjust the constants below when
 * its recommended cell disagrees.
 */

/**
 * Share of the cores the API processes get when API and worker run on the same machine. More API
 * processes than that only added context switches in the sizing table: an API process spends most
 * of a request waiting on PostgreSQL and Redis (0.3–0.6 of a core under the sizing workload).
 */
export const API_CORE_SHARE = 0.5;

/**
 * Ceiling of the default API processes. Each one opens up to `database.pool_size` (default 10)
 * PostgreSQL connections; 8 × 10 plus the workers' connections stays under PostgreSQL's default
 * `max_connections` of 100. Larger machines pass `--processes` explicitly after checking it.
 */
export const MAX_DEFAULT_API_PROCESSES = 8;

/** Ceiling of the default refresh concurrency (= engine threads) of one worker process. */
export const MAX_DEFAULT_WORKER_CONCURRENCY = 16;

/** Defaults for a machine with `cores` usable cores. */
export interface DeploymentSizing {
  readonly cores: number;
  /** `sextant serve --processes` in distributed mode (embedded mode is always one process). */
  readonly apiProcesses: number;
  /** `sextant worker --concurrency`; the worker's engine threads default to the same number. */
  readonly workerConcurrency: number;
}

/**
 * The sizing rule: API processes = cores × API_CORE_SHARE (rounded down, at least 1, at most
 * MAX_DEFAULT_API_PROCESSES); worker concurrency = the cores (at least 1, at most
 * MAX_DEFAULT_WORKER_CONCURRENCY), one engine thread per concurrent refresh, in one worker process.
 * Engine threads share the cores with the API processes on purpose: the API mostly waits on I/O,
 * and in bench/results/service-sizing.md (2 cores) one engine thread per core served 15 % more
 * cycles than one engine thread in all (86.7 against 75.2 cycles/s), as many as two worker
 * processes with the same threads in all (89.7–90). Extra worker processes add nothing but a
 * process; add them on other hosts.
 */
export function deploymentSizing(cores: number = availableParallelism()): DeploymentSizing {
  const usable = Math.max(1, Math.floor(cores));
  const apiProcesses = Math.min(MAX_DEFAULT_API_PROCESSES, Math.max(1, Math.floor(usable * API_CORE_SHARE)));
  const workerConcurrency = Math.min(MAX_DEFAULT_WORKER_CONCURRENCY, usable);
  return Object.freeze({ cores: usable, apiProcesses, workerConcurrency });
}
