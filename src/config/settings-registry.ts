import type { BooleanSetting, EnumSetting, IntegerSetting, NumberSetting, SettingDefinition, ValueOf } from './setting-definition.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SIGNUP_MODES = ['closed', 'open'] as const;

const integer = (d: Omit<IntegerSetting, 'kind'>): IntegerSetting => Object.freeze({ kind: 'integer', ...d });
const number = (d: Omit<NumberSetting, 'kind'>): NumberSetting => Object.freeze({ kind: 'number', ...d });
const boolean = (d: Omit<BooleanSetting, 'kind'>): BooleanSetting => Object.freeze({ kind: 'boolean', ...d });
const oneOf = <V extends string>(d: Omit<EnumSetting<V>, 'kind'>): EnumSetting<V> => Object.freeze({ kind: 'enum', ...d });

/**
 * Every tunable of Sextant, declared once. docs/configuration.md is generated from this table
 * (`npm run sextant -- config docs`), and a test fails when the two drift apart.
 *
 * To add a setting: declare it here, read it through `LiveSettings.get` where it applies (never
 * cache the value in a long-lived object unless `apply` is 'restart'), regenerate the docs.
 */
export const SETTINGS = Object.freeze({
  'auth.cache_ms': integer({
    default: 2000,
    min: 0,
    max: 60_000,
    unit: 'ms',
    apply: 'live',
    description:
      'How long an API process remembers a successful token lookup, so a burst of requests with one token costs one database query. Revocations, rotations and role changes made through another API process take effect there up to this long later (immediately in the process that made them).',
    whenToChange:
      'Raise it under heavy load when the token lookup shows up in database time; set 0 when token revocation must apply across processes instantly.',
  }),
  'experiment.cache_ms': integer({
    default: 10_000,
    min: 0,
    max: 60_000,
    unit: 'ms',
    apply: 'live',
    description:
      'How long an API process reuses an experiment it read for creating suggestions and observations (saves one database statement per request of the optimization loop). Changes made through the same process apply at once; in distributed mode other processes are told over Redis pub/sub, and see a change this long later only if that message was lost (Redis down or disconnected at that moment).',
    whenToChange:
      'Lower it (or set 0) if experiment updates must reach every process instantly even when Redis pub/sub is disrupted; raise it only if experiment lookups show up in database time.',
  }),
  'suggestion.wait_ms': integer({
    default: 3000,
    min: 0,
    max: 60_000,
    unit: 'ms',
    apply: 'live',
    description:
      'How long a suggestion request waits for the optimizer to produce fresh candidates before it answers with a space-filling fallback point (source `fallback`).',
    whenToChange:
      'Lower it when suggestion latency p99 is high or clients time out (more fallback points, less model guidance); raise it when the fallback share is high while latency is fine.',
  }),
  'suggestion.pool_size': integer({
    default: 10,
    min: 1,
    max: 100,
    unit: 'candidates',
    apply: 'live',
    description:
      "Upper bound on the candidates one optimizer refresh computes for an experiment's pool; the refresh computes min(parallel_bandwidth, this).",
    whenToChange:
      'Raise it when experiments with a large parallel_bandwidth see many fallback points (each refresh then serves more requests); lower it when refreshes are slow.',
  }),
  'suggestion.spare_candidates': integer({
    default: 2,
    min: 0,
    max: 50,
    unit: 'candidates',
    apply: 'live',
    description:
      "Candidates a refresh computes beyond the experiment's parallel_bandwidth (the total is capped by suggestion.pool_size). When the next refresh is late, a request that waited suggestion.wait_ms takes one of these spares — a model point that has not yet seen the newest observations — instead of a random fallback.",
    whenToChange:
      'Raise it when the fallback share grows under load (workers behind); lower it to 0 when refreshes are too slow, since each spare adds an acquisition optimization to every refresh.',
  }),
  'engine.threads': integer({
    default: 1,
    min: 1,
    max: 64,
    unit: 'threads',
    apply: 'restart',
    description: 'Worker threads that fit models and optimize the acquisition function in the API process (embedded mode).',
    whenToChange:
      'Raise it on a machine with idle cores when engine refresh durations queue up (many active experiments); keep it below the core count so the API keeps a core.',
  }),
  'engine.warm_model_mb': integer({
    default: 512,
    min: 16,
    max: 65536,
    unit: 'MiB',
    apply: 'restart',
    description:
      'Memory each engine thread (API process in embedded mode, `sextant worker` otherwise) may keep for warm models: the fitted GPs and candidate sets that let an observation cost an O(n²) update instead of a refit. Least recently used models are dropped beyond it and rebuilt from the saved state when their experiment comes back.',
    whenToChange:
      'Raise it when many experiments are active at once and refreshes show cold rebuilds (engine refresh durations well above the warm step); a model takes roughly 0.5 MiB at 50 observations in 3 dimensions, a few MiB at hundreds of observations.',
  }),
  'worker.heartbeat_interval_ms': integer({
    default: 5000,
    min: 1000,
    max: 30_000,
    unit: 'ms',
    apply: 'live',
    description:
      'How often each `sextant worker` records its last-seen time in the cache (distributed mode). API processes expose it as `sextant_worker_last_heartbeat_timestamp_seconds{worker}`; SextantWorkerHeartbeatMissing fires when a worker has been silent for 60 s, so keep this well below that.',
    whenToChange:
      'Raise it to cut cache writes of a very large worker fleet; lower it for a quicker view of worker restarts on the dashboard.',
  }),
  'http.body_limit_bytes': integer({
    default: 1024 * 1024,
    min: 1024,
    max: 256 * 1024 * 1024,
    unit: 'bytes',
    apply: 'restart',
    description: 'Largest accepted request body for every endpoint except the observation batch endpoint.',
    whenToChange: 'Raise it only if legitimate clients get 413 on experiment creation with very large metadata or parameter lists.',
  }),
  'http.batch_body_limit_bytes': integer({
    default: 32 * 1024 * 1024,
    min: 1024,
    max: 1024 * 1024 * 1024,
    unit: 'bytes',
    apply: 'restart',
    description: 'Largest accepted body of POST /v1/experiments/{id}/observations/batch.',
    whenToChange: 'Raise it together with limits.max_batch_observations when clients upload large batches and get 413.',
  }),
  'rate_limit.reads_per_second': integer({
    default: 100,
    min: 0,
    max: 1_000_000,
    unit: 'requests/s',
    apply: 'live',
    description:
      'Non-mutating requests (GET, HEAD, OPTIONS) one API token may make per fixed one-second window, counted across all API processes through the cache; excess requests get 429 with Retry-After (docs/api-compatibility.md#rate-limits). 0 disables the limit.',
    whenToChange:
      "Raise it for trusted automation that legitimately polls hard; lower it when one tenant's reads crowd out others. Keep ≥ 100 for SigOpt compatibility.",
  }),
  'rate_limit.writes_per_second': integer({
    default: 50,
    min: 0,
    max: 1_000_000,
    unit: 'requests/s',
    apply: 'live',
    description:
      'Mutating requests (POST, PUT, MERGE, DELETE) one API token may make per fixed one-second window, across all API processes; excess requests get 429 with Retry-After. 0 disables the limit.',
    whenToChange:
      'Raise it for large parallel fleets reporting observations through one token; lower it to protect the database from a runaway client. Keep ≥ 50 for SigOpt compatibility.',
  }),
  'database.pool_size': integer({
    default: 10,
    min: 1,
    max: 200,
    unit: 'connections',
    apply: 'restart',
    overridable: false,
    description:
      'node-postgres connections per API process (PostgreSQL only; the embedded database has one). Read before the database is opened, so set it in the config file or environment.',
    whenToChange:
      'Raise it when requests wait for connections while PostgreSQL has spare capacity; the total over all processes must stay below max_connections.',
  }),
  'database.slow_query_ms': integer({
    default: 200,
    min: 0,
    max: 600_000,
    unit: 'ms',
    apply: 'live',
    description:
      'Repository statements (named like `observations.listLive`) that take at least this long are logged at `warn` with their name and duration — never their parameters — and counted in `sextant_db_slow_queries_total`. 0 treats every statement as slow.',
    whenToChange:
      'Lower it while hunting database latency (0 briefly lists every statement); raise it when a known slow statement (large batch uploads) floods the log and triggers SextantSlowQueries.',
  }),
  'limits.max_optimized_metrics': integer({
    default: 2,
    min: 1,
    max: 16,
    unit: 'metrics',
    apply: 'live',
    description: 'Most optimized metrics an experiment may declare (2 is strict SigOpt compatibility).',
    whenToChange: 'Raise it to allow many-objective experiments; existing experiments are unaffected.',
  }),
  'limits.max_batch_observations': integer({
    default: 2500,
    min: 1,
    max: 100_000,
    unit: 'observations',
    apply: 'live',
    description: 'Most observations one batch request may create (SigOpt limit O13).',
    whenToChange: 'Lower it when large batches cause latency spikes for everyone else; raise it for bulk imports.',
  }),
  'tokens.guest_token_days': integer({
    default: 30,
    min: 1,
    max: 3650,
    unit: 'days',
    apply: 'live',
    description: 'Lifetime of newly created guest (share) tokens.',
    whenToChange: 'Lower it for stricter sharing policies; existing tokens keep their expiry.',
  }),
  'accounts.signup': oneOf<(typeof SIGNUP_MODES)[number]>({
    default: 'closed',
    values: SIGNUP_MODES,
    unit: '',
    apply: 'live',
    description:
      'Who may create password logins with `POST /v1/users`: `closed` (default) only the operator and client administrators (with their token), `open` anyone who can reach the server (self-service sign-up; attempts count against `accounts.login_failures_per_address`).',
    whenToChange: 'Set `open` for a team server where people sign themselves up, or while running SigOpt\'s own conformance suite.',
  }),
  'accounts.session_days': integer({
    default: 7,
    min: 1,
    max: 365,
    unit: 'days',
    apply: 'live',
    description: 'Lifetime of a session (user) token made by a password login (`POST /v1/sessions`). A user keeps at most 20 live sessions; the oldest is revoked.',
    whenToChange: 'Lower it for stricter policies; existing sessions keep their expiry.',
  }),
  'accounts.login_failures_per_account': integer({
    default: 10,
    min: 0,
    max: 100_000,
    unit: 'attempts',
    apply: 'live',
    description:
      'Failed password logins one account may have per `accounts.login_window_s`; further attempts get 429 until the window ends (the password is not even checked). 0 disables the limit.',
    whenToChange: 'Lower it when accounts are targeted by password guessing; raise it if legitimate users get locked out.',
  }),
  'accounts.login_failures_per_address': integer({
    default: 100,
    min: 0,
    max: 1_000_000,
    unit: 'attempts',
    apply: 'live',
    description:
      'Failed password logins and sign-ups one client address may make per `accounts.login_window_s` (across all accounts). Behind a reverse proxy every client shares the proxy\'s address. 0 disables the limit.',
    whenToChange: 'Raise it when many users log in through one NAT or proxy address; lower it against credential stuffing.',
  }),
  'accounts.login_window_s': integer({
    default: 900,
    min: 1,
    max: 86_400,
    unit: 's',
    apply: 'live',
    description: 'Length of the fixed window in which failed logins are counted (per account and per address).',
    whenToChange: 'Lengthen it to slow guessing further; shorten it so locked-out users can retry sooner.',
  }),
  'accounts.failed_login_delay_ms': integer({
    default: 2000,
    min: 0,
    max: 10_000,
    unit: 'ms',
    apply: 'live',
    description: 'A failed password login is answered no sooner than this after it arrived (SigOpt: at least 2 s), so guessing is slow even below the attempt limits.',
    whenToChange: 'Set 0 only in test deployments.',
  }),
  'log.level': oneOf({
    default: 'info',
    values: LOG_LEVELS,
    unit: '',
    apply: 'live',
    description:
      'Minimum level of log lines. Sampled request lines are `info`, slow requests and 4xx `warn`/`info`, server errors `error`.',
    whenToChange: 'Set `debug` briefly while diagnosing; set `warn` to keep only slow requests and errors when log volume costs too much.',
  }),
  'log.success_sample_rate': number({
    default: 0.01,
    min: 0,
    max: 1,
    unit: 'ratio',
    apply: 'live',
    description:
      'Share of successful (status < 400), fast requests that are logged. Errors and slow requests are always logged; 0 logs none of the rest, 1 logs every request.',
    whenToChange:
      'Set 1 while reproducing a problem on a quiet system; lower it (high-load profile: 0.001) when log volume grows with traffic.',
  }),
  'log.client_error_sample_rate': number({
    default: 1,
    min: 0,
    max: 1,
    unit: 'ratio',
    apply: 'live',
    description: 'Share of requests answered 4xx that are logged (rate-limit floods or a misconfigured client can produce many).',
    whenToChange: 'Lower it when one misbehaving client floods the logs with 4xx lines; the metrics still count every request.',
  }),
  'log.slow_request_ms': integer({
    default: 1000,
    min: 0,
    max: 600_000,
    unit: 'ms',
    apply: 'live',
    description:
      'Requests that take at least this long are always logged at `warn`, whatever the sampling. Suggestion creation may first wait `suggestion.wait_ms` for the model, so it counts as slow only beyond that wait plus this.',
    whenToChange: 'Raise it when the suggestion wait makes many normal requests "slow"; lower it while hunting latency.',
  }),
  'log.request_sizes': boolean({
    default: false,
    unit: '',
    apply: 'live',
    description: 'Adds request and response byte counts to request log lines (the metrics always record them).',
    whenToChange: 'Enable while investigating 413s or oversized responses.',
  }),
} satisfies Record<string, SettingDefinition>);

/** Every setting key. */
export type SettingKey = keyof typeof SETTINGS;

/** The typed value of each setting. */
export type SettingValues = { readonly [K in SettingKey]: ValueOf<(typeof SETTINGS)[K]> };

/** Keys in registry order. */
export const SETTING_KEYS: readonly SettingKey[] = Object.freeze(Object.keys(SETTINGS) as SettingKey[]);

/** Whether a string names a setting. */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** The definition of a key (a widened view, for generic code). */
export function definitionOf(key: SettingKey): SettingDefinition {
  return SETTINGS[key];
}

/** `suggestion.wait_ms` → `SEXTANT_SUGGESTION_WAIT_MS`. */
export function envNameOf(key: SettingKey): string {
  return `SEXTANT_${key.replace(/\./g, '_').toUpperCase()}`;
}

/**
 * Start-time options of the processes that are not live settings (where to listen, where the
 * embedded data lives, how API processes and workers find each other in Redis): declared here so
 * every default of Sextant is written once, and listed in docs/configuration.md.
 */
export const PROCESS_OPTIONS = Object.freeze({
  host: { default: '127.0.0.1', flag: 'sextant serve --host', description: 'Address the API listens on.' },
  port: { default: 8080, flag: 'sextant serve --port', description: 'Port the API listens on (0 picks a free one).' },
  dataDir: {
    default: './sextant-data',
    flag: 'sextant serve --data-dir, SEXTANT_DATA_DIR',
    description:
      'Embedded mode: the PGlite database and the api-token / development-token files. The CLI tools read the token from here too.',
  },
  redisPrefix: {
    default: 'sextant:',
    flag: '--redis-prefix, SEXTANT_REDIS_PREFIX',
    description: "Distributed mode: the deployment's key prefix in Redis; API processes and workers must agree on it.",
  },
  jobLockMs: {
    default: 30_000,
    flag: 'sextant worker --job-lock-ms',
    description: "Lease of a refresh job: a killed worker's job moves to another worker after about this long (ms).",
  },
  workerMetricsHost: {
    default: '127.0.0.1',
    flag: 'sextant worker --metrics-host',
    description: "Interface of a worker's metrics listener; it answers without a token, so it stays private by default.",
  },
} as const);

/** The defaults of {@link PROCESS_OPTIONS}. */
export const PROCESS_DEFAULTS: { readonly [K in keyof typeof PROCESS_OPTIONS]: (typeof PROCESS_OPTIONS)[K]['default'] } = Object.freeze(
  Object.fromEntries(Object.entries(PROCESS_OPTIONS).map(([k, o]) => [k, o.default])) as never,
);

/** Where the command-line tools (`sextant admin`, `sextant config`) find a server unless told otherwise. */
export const DEFAULT_SERVER_URL = `http://${PROCESS_DEFAULTS.host}:${PROCESS_DEFAULTS.port}`;
