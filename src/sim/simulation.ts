import { sourceShares } from './source-shares.ts';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createRng } from '../numerics/rng.ts';
import { type MetricsSnapshot, scrapeMetrics, serverFigures } from './metrics-scrape.ts';
import { RunControl } from './run-control.ts';
import { CYCLE, RunRecorder } from './run-recorder.ts';
import { SimHttpClient } from './sim-http-client.ts';
import { type LiveExperiment, SimulatedClient } from './simulated-client.ts';
import type { SimulationSettings } from './simulation-options.ts';
import type { SimulationReport, SourceMixOrigin } from './simulation-report.ts';
import { syntheticExperiment } from './synthetic-experiment.ts';

/** A live reading for the progress display. */
export interface SimulationProgress {
  readonly phase: 'setup' | 'running' | 'verifying';
  readonly elapsedSeconds: number;
  readonly limitSeconds: number;
  readonly experiments: number;
  readonly cycles: number;
  readonly maxCycles: number;
  readonly cyclesPerSecond: number;
  readonly recentCycleP99Ms: number;
  readonly errors: number;
}

/** Where and how to run. */
export interface SimulationTarget {
  readonly url: string;
  readonly token: string;
  /** Shown in the report: external, embedded, distributed. */
  readonly mode?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  /**
   * Exact suggestion counts by source for the run's experiments, read from the database (spawned
   * services); without it the mix comes from the /metrics counters.
   */
  sourceMix?(experimentIds: readonly string[]): Promise<Record<string, number>>;
}

/** Injected dependencies (tests). */
export interface SimulationHooks {
  /** Monotonic ms. */
  readonly now?: () => number;
  /** Called about once a second while running. */
  onProgress?(p: SimulationProgress): void;
  /** Aborts the run early (Ctrl-C): clients finish their cycle and the report is still written. */
  readonly signal?: AbortSignal;
}

/** Experiments created per client at a time during setup: bounded so setup cannot flood the server. */
const SETUP_ATTEMPTS = 5;
const VERIFY_CONCURRENCY = 8;
const VERIFY_ATTEMPTS = 6;

/**
 * Runs one load simulation: creates the experiments (setup, not measured), runs every simulated
 * client until the duration or cycle limit, reads back what the server stored, scrapes /metrics
 * before and after, and returns the report.
 */
export async function runSimulation(
  settings: SimulationSettings,
  target: SimulationTarget,
  hooks: SimulationHooks = {},
): Promise<SimulationReport> {
  const now = hooks.now ?? (() => performance.now());
  const startedAt = new Date().toISOString();
  const load = loadavg();
  const recorder = new RunRecorder({ now });
  const http = new SimHttpClient({
    url: target.url,
    token: target.token,
    maxSockets: settings.clients,
    timeoutMs: settings.requestTimeoutMs,
    now,
  });
  const verifyHttp = new SimHttpClient({
    url: target.url,
    token: target.token,
    maxSockets: VERIFY_CONCURRENCY,
    timeoutMs: settings.requestTimeoutMs,
    now,
  });
  const runLabel = `${startedAt.slice(0, 19)} seed ${settings.seed}`;
  const master = createRng(settings.seed);
  const plans = Array.from({ length: settings.experiments }, (_, i) =>
    syntheticExperiment(runLabel, i + 1, master.fork(), {
      multiMetricShare: settings.multiMetricShare,
      parallelShare: settings.parallelShare,
      observationBudget: settings.observationBudget,
    }),
  );
  let phase: SimulationProgress['phase'] = 'setup';
  const setupStarted = now();
  let control: RunControl | null = null;
  let measureStarted = 0;
  const progress = setInterval(() => {
    const elapsed = (now() - (phase === 'setup' ? setupStarted : measureStarted)) / 1000;
    hooks.onProgress?.({
      phase,
      elapsedSeconds: elapsed,
      limitSeconds: settings.durationSeconds,
      experiments: recorder.successes('experiment.create'),
      cycles: recorder.cycles,
      maxCycles: settings.maxCycles,
      cyclesPerSecond: phase === 'running' && elapsed > 0 ? recorder.cycles / elapsed : 0,
      recentCycleP99Ms: recorder.recentCycleP99(),
      errors: recorder.errors,
    });
  }, 1000);
  const abort = () => control?.stop('aborted');
  hooks.signal?.addEventListener('abort', abort);
  try {
    // Setup: each client creates its share of experiments; creation is recorded but not measured.
    const live: (LiveExperiment | null)[] = new Array(plans.length).fill(null);
    const setupErrors: string[] = [];
    await Promise.all(
      Array.from({ length: Math.min(settings.clients, plans.length) }, async (_, c) => {
        for (let i = c; i < plans.length && !hooks.signal?.aborted; i += settings.clients) {
          const plan = plans[i]!;
          for (let attempt = 0; attempt < SETUP_ATTEMPTS; attempt++) {
            const r = await http.send('POST', '/v1/experiments', plan.body);
            recorder.request('experiment.create', r.status, r.ms);
            if (r.status === 200 || r.status === 201) {
              live[i] = { id: (r.body as { id: string }).id, plan };
              break;
            }
            if (r.status !== 429 && r.status < 500 && r.status > 0) {
              setupErrors.push(`${r.status} ${JSON.stringify(r.body)}`);
              break;
            }
            await new Promise((res) => setTimeout(res, 100 * 2 ** attempt));
          }
        }
      }),
    );
    const experiments = live.filter((e): e is LiveExperiment => e !== null);
    if (experiments.length === 0) {
      throw new Error(`could not create any experiment at ${target.url}${setupErrors[0] ? `: ${setupErrors[0]}` : ''}`);
    }
    const setupSeconds = (now() - setupStarted) / 1000;

    const before = await scrapeMetrics(target.url);
    phase = 'running';
    measureStarted = now();
    const deadline = measureStarted + settings.durationSeconds * 1000;
    control = new RunControl(settings.maxCycles, deadline, now);
    const running = control;
    if (hooks.signal?.aborted) running.stop('aborted');
    const timer = setTimeout(() => running.stop('duration'), settings.durationSeconds * 1000);
    recorder.start();
    const clientRngs = Array.from({ length: settings.clients }, () => master.fork());
    await Promise.all(
      clientRngs.map((rng, c) => {
        // More experiments than clients: each client owns a share. Fewer: clients share experiments,
        // as parallel workers of one team do.
        const own =
          experiments.length >= settings.clients
            ? experiments.filter((_, i) => i % settings.clients === c)
            : [experiments[c % experiments.length]!];
        return new SimulatedClient(http, recorder, running, own, settings, rng).run();
      }),
    );
    clearTimeout(timer);
    recorder.stop();
    const measuredSeconds = recorder.measuredSeconds;

    phase = 'verifying';
    const stored = await storedObservations(verifyHttp, experiments);
    const after = before ? await scrapeMetrics(target.url) : null;
    const server = before && after ? serverFigures(before, after, measuredSeconds) : null;
    const mix = await sourceMix(target, experiments, server?.suggestionsBySource ?? null, before, after);

    const endpoints = recorder.endpointFigures();
    const errorsByStatus: Record<string, number> = {};
    let requests = 0;
    let errors = 0;
    for (const [name, e] of Object.entries(endpoints)) {
      if (name === CYCLE) continue;
      requests += e.requests;
      errors += e.errors;
      for (const [status, n] of Object.entries(e.statuses)) {
        if (!/^2\d\d$/.test(status)) errorsByStatus[status] = (errorsByStatus[status] ?? 0) + n;
      }
    }
    const acknowledged = recorder.successes('observation.create');
    const cycles = recorder.cycles;
    return {
      format: 'sextant-simulation/1',
      startedAt,
      target: { url: target.url, mode: target.mode ?? 'external', ...(target.details ? { details: target.details } : {}) },
      settings,
      environment: {
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        cpus: cpus().length,
        loadAverageAtStart: load.map((v) => Math.round(v * 100) / 100),
      },
      setup: {
        experimentsCreated: experiments.length,
        multiMetric: experiments.filter((e) => e.plan.body.metrics.length > 1).length,
        parallel: experiments.filter((e) => e.plan.bandwidth > 1).length,
        seconds: round(setupSeconds),
      },
      summary: {
        measuredSeconds: round(measuredSeconds),
        stoppedBy: running.stopReason ?? 'duration',
        cycles,
        cyclesPerSecond: round(cycles / Math.max(measuredSeconds, 1e-9)),
        cycleLatency: endpoints[CYCLE]?.latency ?? { count: 0, mean: 0, min: 0, p50: 0, p95: 0, p99: 0, max: 0 },
        requests,
        errors,
        errorRate: requests > 0 ? round(errors / requests, 6) : 0,
      },
      endpoints,
      errorsByStatus,
      sourceMix: mix,
      verification: {
        suggestionsAcknowledged: recorder.successes('suggestion.create'),
        observationsAcknowledged: acknowledged,
        observationsStored: stored,
        match: stored === null ? null : stored === acknowledged,
      },
      server,
      timeline: recorder.windowFigures(),
    };
  } finally {
    clearInterval(progress);
    hooks.signal?.removeEventListener('abort', abort);
    http.close();
    verifyHttp.close();
  }
}

/** Sum of progress.observation_count over the experiments, read back through the API. */
async function storedObservations(http: SimHttpClient, experiments: readonly LiveExperiment[]): Promise<number | null> {
  let total = 0;
  let failed = false;
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(VERIFY_CONCURRENCY, experiments.length) }, async () => {
      while (next < experiments.length && !failed) {
        const exp = experiments[next++]!;
        let r = await http.send('GET', `/v1/experiments/${exp.id}`);
        // Rate limited or briefly unavailable: wait (Retry-After when given) and ask again, a bounded number of times.
        for (let attempt = 0; attempt < VERIFY_ATTEMPTS && (r.status === 429 || r.status >= 500 || r.status <= 0); attempt++) {
          await new Promise((res) => setTimeout(res, Math.min(5000, (r.retryAfter ?? 0) * 1000 + 100 * 2 ** attempt)));
          r = await http.send('GET', `/v1/experiments/${exp.id}`);
        }
        const count = (r.body as { progress?: { observation_count?: number } | null } | null)?.progress?.observation_count;
        if (r.status !== 200) failed = true;
        else total += count ?? 0;
      }
    }),
  );
  return failed ? null : total;
}

async function sourceMix(
  target: SimulationTarget,
  experiments: readonly LiveExperiment[],
  fromMetrics: Readonly<Record<string, number>> | null,
  before: MetricsSnapshot | null,
  after: MetricsSnapshot | null,
): Promise<SimulationReport['sourceMix']> {
  let origin: SourceMixOrigin = 'unavailable';
  let counts: Record<string, number> = {};
  if (target.sourceMix) {
    try {
      counts = await target.sourceMix(experiments.map((e) => e.id));
      origin = 'database';
    } catch {
      origin = 'unavailable';
    }
  }
  if (origin === 'unavailable' && fromMetrics && before && after?.has('sextant_suggestions_total')) {
    counts = { ...fromMetrics };
    origin = 'metrics';
  }
  return { origin, counts, ...sourceShares(counts) };
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
