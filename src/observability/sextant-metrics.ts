import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One finished HTTP request, as the metrics see it. */
export interface RequestSample {
  /** The route's statement name (`suggestion.create`), never the raw path: bounded cardinality. */
  readonly route: string;
  readonly method: string;
  readonly status: number;
  readonly seconds: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

/** What /metrics serves: this process's registry, or (cluster mode) an aggregation over workers. */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
}

/** Options of createMetrics. */
export interface MetricsOptions {
  /** Node process figures (CPU, memory, event-loop lag, GC); off in unit tests for speed. Default true. */
  readonly processMetrics?: boolean;
  /** Engine refreshes running right now (embedded pools; the queue depth analogue). */
  refreshesInFlight?(): number;
  /** The refresh job queue (BullMQ or in-process): depth and lag gauges, read at each scrape. */
  readonly queue?: QueueFigures;
  /** Optimizer workers' last-seen times from the cache (distributed mode), read at each scrape. */
  workerHeartbeats?(): Promise<readonly WorkerLastSeen[]>;
}

/** What the queue gauges read (the JobQueue port's figures). */
export interface QueueFigures {
  depth(): Promise<number>;
  oldestWaitingAgeMs(): Promise<number>;
}

/** One optimizer worker's last heartbeat. */
export interface WorkerLastSeen {
  readonly worker: string;
  /** Unix seconds. */
  readonly lastSeenSeconds: number;
}

/**
 * What a cache read was for (bounded label set of sextant_cache_requests_total): candidate `pool`
 * pops, experiment `generation` reads, `counter` increments of counters rebuilt when missing,
 * per-process `auth` token lookups, and `other` keys.
 */
export type CacheReadKind = 'pool' | 'generation' | 'counter' | 'auth' | 'other';
const CACHE_READ_KINDS: readonly CacheReadKind[] = ['pool', 'generation', 'counter', 'auth', 'other'];

/**
 * The Prometheus series of one process (names are documented in docs/runbook.md and used by
 * deploy/prometheus/alerts.yml and deploy/grafana/sextant-dashboard.json — rename all together).
 * Each instance owns its Registry: no module-level state, so tests and several servers in one
 * process do not share counts. A cluster primary can later merge worker registries with
 * prom-client's AggregatorRegistry behind the same MetricsExposition.
 */
export class SextantMetrics implements MetricsExposition {
  readonly registry = new Registry();
  readonly contentType: string;
  private readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  private readonly requestSize: Histogram<'route'>;
  private readonly responseSize: Histogram<'route'>;
  private readonly serverErrors: Counter<'route'>;
  private readonly suggestions: Counter<'source'>;
  private readonly refreshDuration: Histogram<'strategy' | 'outcome'>;
  private readonly logBytes: Counter;
  private readonly resourceExhaustion: Counter;
  private readonly settingsChanges: Counter<'key'>;
  private readonly profile: Gauge<'profile'>;
  private readonly queryDuration: Histogram<'statement'>;
  private readonly slowQueries: Counter<'statement'>;
  private readonly cacheRequests: Counter<'kind' | 'result'>;
  /** Pre-built label objects: the cache read path allocates nothing for labels. */
  private readonly cacheLabels = new Map<string, { readonly kind: CacheReadKind; readonly result: 'hit' | 'miss' }>();
  /** One frozen label object per statement name: the per-query path allocates nothing for labels. */
  private readonly statementLabels = new Map<string, { readonly statement: string }>();

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    this.contentType = this.registry.contentType;
    this.httpDuration = new Histogram({
      name: 'sextant_http_request_duration_seconds',
      help: 'HTTP request latency by route name, method and status code.',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const sizeBuckets = [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216];
    this.requestSize = new Histogram({
      name: 'sextant_http_request_size_bytes',
      help: 'Request body size (Content-Length).',
      labelNames: ['route'],
      buckets: sizeBuckets,
      registers,
    });
    this.responseSize = new Histogram({
      name: 'sextant_http_response_size_bytes',
      help: 'Response body size.',
      labelNames: ['route'],
      buckets: sizeBuckets,
      registers,
    });
    this.serverErrors = new Counter({
      name: 'sextant_http_server_errors_total',
      help: 'Requests answered 500 (unexpected server errors), by route name.',
      labelNames: ['route'],
      registers,
    });
    this.suggestions = new Counter({
      name: 'sextant_suggestions_total',
      help: 'Suggestions created, by source (queued, initial, fresh, stale, fallback, random, grid, explicit). fresh: the model had every stored observation; stale: a spare or leftover of an older model.',
      labelNames: ['source'],
      registers,
    });
    this.refreshDuration = new Histogram({
      name: 'sextant_engine_refresh_duration_seconds',
      help: 'Duration of one optimizer refresh (load state, fit, optimize acquisition), by strategy and outcome.',
      labelNames: ['strategy', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.resourceExhaustion = new Counter({
      name: 'sextant_resource_exhaustion_total',
      help: 'Requests refused because the database ran out of a resource, by cause (disk_full, out_of_memory, too_many_connections).',
      labelNames: ['cause'],
      registers,
    });
    this.logBytes = new Counter({ name: 'sextant_log_bytes_total', help: 'Bytes of log output written by this process.', registers });
    this.settingsChanges = new Counter({
      name: 'sextant_settings_changes_total',
      help: 'Live setting changes seen by this process, by key.',
      labelNames: ['key'],
      registers,
    });
    this.profile = new Gauge({
      name: 'sextant_load_profile_active',
      help: 'The applied load profile (value 1; label profile, "none" when none).',
      labelNames: ['profile'],
      registers,
    });
    this.profile.set({ profile: 'none' }, 1);
    this.queryDuration = new Histogram({
      name: 'sextant_db_query_duration_seconds',
      help: 'Duration of repository statements (one store call; may span several SQL queries), by statement name.',
      labelNames: ['statement'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.slowQueries = new Counter({
      name: 'sextant_db_slow_queries_total',
      help: 'Repository statements that took at least database.slow_query_ms, by statement name.',
      labelNames: ['statement'],
      registers,
    });
    if (opts.refreshesInFlight) {
      const inFlight = opts.refreshesInFlight;
      new Gauge({
        name: 'sextant_engine_refreshes_in_flight',
        help: 'Optimizer refreshes running or waiting for an engine thread.',
        registers,
        collect() {
          this.set(inFlight());
        },
      });
    }
    this.cacheRequests = new Counter({
      name: 'sextant_cache_requests_total',
      help: 'Cache reads by kind (pool, generation, counter, auth, other) and result (hit: a value was there; miss: none). Hit ratio = hit / (hit + miss).',
      labelNames: ['kind', 'result'],
      registers,
    });
    for (const kind of CACHE_READ_KINDS) {
      for (const result of ['hit', 'miss'] as const) {
        const labels = Object.freeze({ kind, result });
        this.cacheLabels.set(`${kind}:${result}`, labels);
        // Start every series at 0 so ratios and rate() see both results from the first scrape.
        this.cacheRequests.inc(labels, 0);
      }
    }
    if (opts.queue) registerQueueGauges(opts.queue, registers);
    if (opts.workerHeartbeats) registerHeartbeatGauge(opts.workerHeartbeats, registers);
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Records one finished request. */
  observeRequest(s: RequestSample): void {
    const status = String(s.status);
    this.httpDuration.observe({ route: s.route, method: s.method, status }, s.seconds);
    if (s.requestBytes > 0) this.requestSize.observe({ route: s.route }, s.requestBytes);
    this.responseSize.observe({ route: s.route }, s.responseBytes);
    if (s.status >= 500) this.serverErrors.inc({ route: s.route });
  }

  /** Counts one created suggestion by its source. */
  countSuggestion(source: string): void {
    this.suggestions.inc({ source });
  }

  /** Records one engine refresh. */
  observeRefresh(strategy: string, seconds: number, failed: boolean): void {
    this.refreshDuration.observe({ strategy, outcome: failed ? 'error' : 'ok' }, seconds);
  }

  /**
   * Records one repository statement (name like `observations.listLive`, never parameters);
   * `slow` also counts it in sextant_db_slow_queries_total.
   */
  observeQuery(statement: string, seconds: number, slow: boolean): void {
    let labels = this.statementLabels.get(statement);
    if (!labels) {
      labels = { statement };
      this.statementLabels.set(statement, labels);
    }
    this.queryDuration.observe(labels, seconds);
    if (slow) this.slowQueries.inc(labels);
  }

  /** Counts one cache read that found (`hit`) or did not find a value. */
  countCacheRead(kind: CacheReadKind, hit: boolean): void {
    const labels = this.cacheLabels.get(`${kind}:${hit ? 'hit' : 'miss'}`);
    if (labels) this.cacheRequests.inc(labels);
  }

  /** Counts a request refused for an exhausted database resource. */
  countResourceExhaustion(cause: string): void {
    this.resourceExhaustion.inc({ cause });
  }

  /** Adds written log bytes. */
  countLogBytes(bytes: number): void {
    this.logBytes.inc(bytes);
  }

  /** Records changed settings and the applied profile. */
  settingsChanged(keys: readonly string[], profile: string | null): void {
    for (const key of keys) this.settingsChanges.inc({ key });
    this.profile.reset();
    this.profile.set({ profile: profile ?? 'none' }, 1);
  }

  /** Prometheus text exposition of this process. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * Queue gauges, read from the shared queue at each scrape. Every API process sees the same queue,
 * so a cluster merge takes the maximum instead of summing the processes' identical figures. A
 * failed read keeps the previous value (the cache's health shows on /ready).
 */
function registerQueueGauges(queue: QueueFigures, registers: Registry[]): void {
  new Gauge({
    name: 'sextant_queue_depth',
    help: 'Refresh jobs waiting or running in the shared job queue.',
    aggregator: 'max',
    registers,
    async collect() {
      const depth = await queue.depth().catch(() => null);
      if (depth !== null) this.set(depth);
    },
  });
  new Gauge({
    name: 'sextant_queue_oldest_job_age_seconds',
    help: 'How long the oldest refresh job still waiting for a worker has waited (0 when none waits).',
    aggregator: 'max',
    registers,
    async collect() {
      const ageMs = await queue.oldestWaitingAgeMs().catch(() => null);
      if (ageMs !== null) this.set(ageMs / 1000);
    },
  });
}

/**
 * One series per optimizer worker seen in the cache: its last heartbeat as unix seconds. A dead
 * worker keeps its last value until the registry drops it, so `time() - …` grows and the staleness
 * alert fires. Identical in every API process, hence the maximum in a cluster merge.
 */
function registerHeartbeatGauge(read: () => Promise<readonly WorkerLastSeen[]>, registers: Registry[]): void {
  new Gauge({
    name: 'sextant_worker_last_heartbeat_timestamp_seconds',
    help: 'Unix time of the last heartbeat of each optimizer worker recorded in the cache (distributed mode).',
    labelNames: ['worker'],
    aggregator: 'max',
    registers,
    async collect() {
      let workers: readonly WorkerLastSeen[];
      try {
        workers = await read();
      } catch {
        return; // Keep the previous values: a cache hiccup must not look like every worker vanishing.
      }
      this.reset();
      for (const w of workers) this.set({ worker: w.worker }, w.lastSeenSeconds);
    },
  });
}
