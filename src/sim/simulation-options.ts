/**
 * The knobs of a load simulation and the named profiles that scale them. A profile is a multiple
 * of one data scientist's usual traffic (one client working one experiment): `10x` is ten of them,
 * `1000x` the thousandfold spike SigOpt had to survive. Explicit numbers override the profile.
 */

/** Named load profiles and their multiplier of the base workload. */
export const SIMULATION_PROFILES = Object.freeze({ '1x': 1, '10x': 10, '1000x': 1000 } as const);

/** A profile name. */
export type SimulationProfile = keyof typeof SIMULATION_PROFILES;

/** Base workload (the `1x` profile) that profiles multiply. */
export const BASE_WORKLOAD = Object.freeze({ experiments: 1, clients: 1 });

/** Defaults of everything a profile does not scale. */
export const SIMULATION_DEFAULTS = Object.freeze({
  profile: '10x' as SimulationProfile,
  durationSeconds: 30,
  /** Cycle cap when only a duration is given: generous, but a loop is never unbounded. */
  maxCycles: 10_000_000,
  /** Time cap when only a cycle count is given. */
  maxDurationSeconds: 600,
  seed: 1,
  evalMs: 0,
  failureRate: 0,
  noise: 0,
  dashboardRate: 0.05,
  requestTimeoutMs: 30_000,
  multiMetricShare: 0.2,
  parallelShare: 0.25,
  observationBudget: 100,
});

/** What a caller may set (all optional; unset values come from the profile and defaults). */
export interface SimulationInput {
  readonly profile?: SimulationProfile;
  readonly experiments?: number;
  readonly clients?: number;
  /** Length of the measured phase in seconds. */
  readonly durationSeconds?: number;
  /** Stop after this many completed cycles (one cycle = suggestion create + observation create). */
  readonly cycles?: number;
  readonly seed?: number;
  /** Mean evaluation time per suggestion (ms; uniform ±50 % jitter when > 0). */
  readonly evalMs?: number;
  /** Share of evaluations reported as failed observations. */
  readonly failureRate?: number;
  /** Standard deviation of Gaussian noise added to metric values (also sent as value_stddev). */
  readonly noise?: number;
  /** Share of cycles followed by a dashboard read (experiment with progress + best_assignments). */
  readonly dashboardRate?: number;
  readonly requestTimeoutMs?: number;
  readonly multiMetricShare?: number;
  readonly parallelShare?: number;
  readonly observationBudget?: number;
}

/** Fully resolved options (frozen). */
export interface SimulationSettings {
  readonly profile: SimulationProfile;
  readonly experiments: number;
  readonly clients: number;
  readonly durationSeconds: number;
  readonly maxCycles: number;
  readonly seed: number;
  readonly evalMs: number;
  readonly failureRate: number;
  readonly noise: number;
  readonly dashboardRate: number;
  readonly requestTimeoutMs: number;
  readonly multiMetricShare: number;
  readonly parallelShare: number;
  readonly observationBudget: number;
}

/** Whether a string names a profile. */
export function isSimulationProfile(name: string): name is SimulationProfile {
  return Object.hasOwn(SIMULATION_PROFILES, name);
}

/**
 * Resolves input against the profile and defaults, and validates ranges. With only `cycles` the
 * run is still capped in time (`maxDurationSeconds`); with only a duration it is capped in cycles.
 */
export function resolveSimulationSettings(input: SimulationInput = {}): SimulationSettings {
  const d = SIMULATION_DEFAULTS;
  const profile = input.profile ?? d.profile;
  const factor = SIMULATION_PROFILES[profile];
  if (factor === undefined)
    throw new RangeError(`unknown profile ${String(profile)} (one of ${Object.keys(SIMULATION_PROFILES).join(', ')})`);
  const durationSeconds = input.durationSeconds ?? (input.cycles !== undefined ? d.maxDurationSeconds : d.durationSeconds);
  const s: SimulationSettings = {
    profile,
    experiments: input.experiments ?? BASE_WORKLOAD.experiments * factor,
    clients: input.clients ?? BASE_WORKLOAD.clients * factor,
    durationSeconds,
    maxCycles: input.cycles ?? d.maxCycles,
    seed: input.seed ?? d.seed,
    evalMs: input.evalMs ?? d.evalMs,
    failureRate: input.failureRate ?? d.failureRate,
    noise: input.noise ?? d.noise,
    dashboardRate: input.dashboardRate ?? d.dashboardRate,
    requestTimeoutMs: input.requestTimeoutMs ?? d.requestTimeoutMs,
    multiMetricShare: input.multiMetricShare ?? d.multiMetricShare,
    parallelShare: input.parallelShare ?? d.parallelShare,
    observationBudget: input.observationBudget ?? d.observationBudget,
  };
  positiveInteger('experiments', s.experiments);
  positiveInteger('clients', s.clients);
  positiveInteger('cycles', s.maxCycles);
  if (!(s.durationSeconds > 0) || !Number.isFinite(s.durationSeconds))
    throw new RangeError('duration must be a positive number of seconds');
  if (!(s.evalMs >= 0)) throw new RangeError('eval-ms must be >= 0');
  if (!(s.noise >= 0)) throw new RangeError('noise must be >= 0');
  for (const [k, v] of [
    ['failure-rate', s.failureRate],
    ['dashboard-rate', s.dashboardRate],
    ['multi-metric share', s.multiMetricShare],
    ['parallel share', s.parallelShare],
  ] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${k} must be between 0 and 1`);
  }
  positiveInteger('request timeout', s.requestTimeoutMs);
  positiveInteger('observation budget', s.observationBudget);
  return Object.freeze(s);
}

function positiveInteger(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
}
