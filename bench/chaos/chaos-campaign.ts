import { performance } from 'node:perf_hooks';
import { SimHttpClient, type SimResponse } from '../../src/sim/sim-http-client.ts';
import { type ChaosExperiment, objective, runChaosClient } from './chaos-client.ts';
import { ChaosFleet, readyOnNewConnection, sleep } from './chaos-fleet.ts';
import { ChaosLedger, type FaultWindow, type WindowStats } from './chaos-ledger.ts';
import type { ChaosOptions } from './chaos-options.ts';
import { type ChaosVerdict, sourcesOf, verifyAgainstDatabase, violations } from './chaos-verify.ts';

/** A probe during the PostgreSQL outage that gets no answer within this long counts as a hang. */
const OUTAGE_PROBE_TIMEOUT_MS = 10_000;

/** One request made while PostgreSQL was down (no retry), to see what a client gets. */
export interface OutageProbe {
  readonly request: string;
  readonly status: number;
  readonly ms: number;
  readonly retryAfter: number | null;
  readonly message: string | null;
}

/** One phase of the load: before the first fault, during a fault, or between two. */
export interface PhaseThroughput {
  readonly phase: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly perSecond: number;
  readonly sources: Readonly<Record<string, number>>;
}

/** Whether the service came back by itself after the last fault. */
export interface RecoveryReport {
  /** /ready answered 200 on fresh connections (both API processes) after the load phase. */
  readonly ready: boolean;
  readonly apiProcessesAlive: number;
  readonly workersAlive: number;
  /** A model suggestion (fresh or stale) was made after the last fault (the worker fleet works again). */
  readonly modelSuggestionAfterFaults: boolean;
  /** suggest → observe steps it took (each acknowledged; in the ledger as client -1). */
  readonly recoverySteps: number;
}

/** Everything a campaign measured; bench/results/chaos.json is this object. */
export interface ChaosResult {
  readonly options: ChaosOptions;
  readonly startedAt: string;
  readonly wallMs: number;
  readonly faults: readonly (Omit<FaultWindow, 'endMs'> & { readonly endMs: number | null; readonly stats: WindowStats })[];
  readonly faultErrors: readonly string[];
  readonly attempts: number;
  readonly attemptsByStatus: Readonly<Record<string, number>>;
  readonly maxAttemptMs: number;
  readonly retriedRequests: number;
  readonly committedButUnacknowledged: number;
  readonly observationChecks: Readonly<{ stored: number; notStored: number; unknown: number }>;
  readonly abandonedObservations: number;
  readonly failedSuggestionRequests: number;
  readonly outageProbes: readonly OutageProbe[];
  /** Acknowledged suggestions per second and their sources, before, between and after the faults. */
  readonly throughput: readonly PhaseThroughput[];
  readonly recovery: RecoveryReport;
  readonly verdict: ChaosVerdict;
  readonly violations: readonly string[];
  readonly passed: boolean;
  /** The fleet's output (API processes, workers), for diagnosing a failure; not part of the results. */
  readonly fleetLog: string;
}

/**
 * The fault campaign of issue 7: a distributed deployment on private services under parallel
 * SigOpt-style clients; mid-run, one after the other, kill -9 of an API process, kill -9 of an
 * optimizer worker (a replacement is started, as a supervisor would), a Redis restart losing all
 * keys, and a PostgreSQL crash-restart. Afterwards the database is checked against what the
 * clients were told (every acknowledged observation stored exactly once, no suggestion handed out
 * twice, no identical continuous assignments served twice) and the service must have recovered
 * without any action. Bounded in time throughout; every process and temp dir is removed.
 */
export async function runChaosCampaign(
  opts: ChaosOptions,
  log: (line: string) => void,
  hooks: {
    /** Sees the fleet once started (a test's afterAll stops it should the test time out). */ started?(fleet: ChaosFleet): void;
  } = {},
): Promise<ChaosResult> {
  const t0 = performance.now();
  const now = () => Math.round(performance.now() - t0);
  const say = (line: string) => log(`[chaos ${(now() / 1000).toFixed(1)}s] ${line}`);
  const ledger = new ChaosLedger(now);
  const fleet = await ChaosFleet.start({ ...opts, log: say });
  hooks.started?.(fleet);
  const clients: SimHttpClient[] = [];
  const newClient = (maxAttempts = opts.maxAttempts, timeoutMs = opts.requestTimeoutMs) => {
    const c = new SimHttpClient({
      url: fleet.url,
      token: fleet.token,
      maxSockets: 1,
      timeoutMs,
      now: () => performance.now(),
      retry: { backoff: { baseMs: 100, capMs: 4000 }, maxAttempts },
    });
    clients.push(c);
    return c;
  };
  try {
    const experiments = await createExperiments(newClient(), opts);
    say(`${experiments.length} experiments; ${opts.clients} clients start`);
    let stopped = false;
    const loops = Array.from({ length: opts.clients }, (_, client) =>
      runChaosClient({ client, experiment: experiments[client % experiments.length]!, http: newClient(), ledger, stopped: () => stopped }),
    );
    const loadStart = now();
    const progress = setInterval(
      () =>
        say(
          `${ledger.suggestions.length} suggestions, ${ledger.observations.length} observations acknowledged; ${ledger.attempts} attempts`,
        ),
      10_000,
    );

    const outageProbes: OutageProbe[] = [];
    const faultErrors: string[] = [];
    const steps: [string, () => Promise<FaultWindow>][] = [
      ['kill -9 an API process', () => fleet.killApiProcess(ledger)],
      ['kill -9 a worker', () => fleet.killWorker(ledger)],
      ['restart Redis', () => fleet.restartRedis(ledger, opts.redisDownMs)],
      [
        'crash-restart PostgreSQL',
        () =>
          fleet.restartPostgres(ledger, opts.postgresDownMs, () =>
            probeOutage(newClient(1, OUTAGE_PROBE_TIMEOUT_MS), fleet.url, experiments[0]!, outageProbes),
          ),
      ],
    ];
    for (const [k, [what, inject]] of steps.entries()) {
      await sleep(Math.max(0, loadStart + opts.durationMs * (0.15 + 0.18 * k) - now()));
      say(`fault: ${what}`);
      try {
        const w = await inject();
        const restarted = w.restartedMs === undefined ? '' : `, running again after ${w.restartedMs - w.startMs} ms`;
        say(`  ${w.detail}${restarted}; service whole again after ${w.endMs - w.startMs} ms`);
      } catch (err) {
        faultErrors.push(`${what}: ${(err as Error).message.slice(0, 2000)}`);
        say(`  FAILED: ${(err as Error).message.slice(0, 300)}`);
      }
    }
    const lastFaultEnd = now();
    const maxSuggestionIdBefore = maxId(ledger.suggestions.map((s) => s.id));
    await sleep(Math.max(0, loadStart + opts.durationMs - now(), 5000));
    stopped = true;
    const lastLoadMs = now();
    say('load over; clients deliver their last observations');
    clearInterval(progress);
    // Bounded: a client's last observation is retried at most maxAttempts times (the timer must not keep the process alive).
    let drainTimer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(loops), new Promise((r) => (drainTimer = setTimeout(r, opts.requestTimeoutMs * opts.maxAttempts)))]);
    clearTimeout(drainTimer);

    const recovery = await checkRecovery(fleet, opts, newClient(), ledger, experiments[0]!, maxSuggestionIdBefore);
    say(`recovery: ${JSON.stringify(recovery)} (last fault over at ${(lastFaultEnd / 1000).toFixed(1)}s)`);
    const throughput = await phaseThroughput(fleet.postgres.url, ledger, loadStart, lastLoadMs);
    const verdict = await verifyAgainstDatabase(
      fleet.postgres.url,
      ledger,
      experiments.map((e) => e.id),
    );
    const problems = [...violations(verdict), ...faultErrors];
    if (!recovery.ready) problems.push('not ready again after the faults');
    if (recovery.apiProcessesAlive < opts.apiProcesses)
      problems.push(`${recovery.apiProcessesAlive} of ${opts.apiProcesses} API processes alive`);
    if (recovery.workersAlive < opts.workers) problems.push(`${recovery.workersAlive} of ${opts.workers} workers alive`);
    if (!recovery.modelSuggestionAfterFaults) problems.push('no model suggestion after the faults (optimizer fleet not back)');
    const hung = outageProbes.filter((p) => p.status <= 0);
    if (hung.length > 0) problems.push(`${hung.length} requests during the PostgreSQL outage got no answer`);
    if (outageProbes.some((p) => p.request !== 'GET /ready' && p.status !== 503))
      problems.push('a request during the PostgreSQL outage did not answer 503');
    say(problems.length === 0 ? 'PASSED: every invariant holds' : `FAILED: ${problems.join('; ')}`);
    return {
      options: opts,
      startedAt: new Date(Date.now() - now()).toISOString(),
      wallMs: now(),
      faults: ledger.faults.map((f, i) => ({ ...f, endMs: Number.isFinite(f.endMs) ? f.endMs : null, stats: ledger.windowStats[i]! })),
      faultErrors,
      attempts: ledger.attempts,
      attemptsByStatus: ledger.attemptsByStatus,
      maxAttemptMs: Math.round(ledger.maxAttemptMs),
      retriedRequests: ledger.retriedRequests,
      committedButUnacknowledged: ledger.committedButUnacknowledged,
      observationChecks: { ...ledger.observationChecks },
      abandonedObservations: ledger.abandonedObservations,
      failedSuggestionRequests: ledger.failedSuggestionRequests,
      outageProbes,
      throughput,
      recovery,
      verdict,
      violations: problems,
      passed: problems.length === 0,
      fleetLog: fleet.diagnostics(),
    };
  } finally {
    for (const c of clients) c.close();
    await fleet.stop();
    say('fleet stopped, private services removed');
  }
}

async function createExperiments(http: SimHttpClient, opts: ChaosOptions): Promise<ChaosExperiment[]> {
  const out: ChaosExperiment[] = [];
  for (let e = 0; e < opts.experiments; e++) {
    const bandwidth = Array.from({ length: opts.clients }, (_, c) => c % opts.experiments).filter((x) => x === e).length;
    const parameters = ['x0', 'x1'];
    const r = await http.sendWithRetry('POST', '/v1/experiments', {
      name: `chaos ${e}`,
      parameters: parameters.map((name) => ({ name, type: 'double', bounds: { min: 0, max: 1 } })),
      metrics: [{ name: 'f', objective: 'maximize' }],
      observation_budget: 100_000,
      parallel_bandwidth: Math.max(1, bandwidth),
    });
    const id = (r.body as { id?: string } | null)?.id;
    if (r.status !== 200 || !id) throw new Error(`experiment creation failed: ${r.status} ${JSON.stringify(r.body)}`);
    out.push({ id, parameters });
  }
  return out;
}

/** While PostgreSQL is down: single attempts (no retry) at a read, a suggestion and /ready. */
async function probeOutage(http: SimHttpClient, url: string, exp: ChaosExperiment, out: OutageProbe[]): Promise<void> {
  await sleep(300);
  const record = (request: string, r: SimResponse) => {
    const message = (r.body as { message?: string } | null)?.message ?? (r.body === null ? null : JSON.stringify(r.body).slice(0, 200));
    out.push({ request, status: r.status, ms: Math.round(r.ms), retryAfter: r.retryAfter ?? null, message });
  };
  for (let i = 0; i < 2; i++) {
    record('GET /v1/experiments/{id}', await http.send('GET', `/v1/experiments/${exp.id}`));
    record('POST /v1/experiments/{id}/suggestions', await http.send('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
    record(
      'POST /v1/experiments/{id}/observations',
      await http.send('POST', `/v1/experiments/${exp.id}/observations`, {
        assignments: { x0: 0.5, x1: 0.5 },
        values: [{ name: 'f', value: 0 }],
      }),
    );
  }
  const ready = await readyOnNewConnection(url);
  out.push({ request: 'GET /ready', status: ready.status, ms: ready.ms, retryAfter: null, message: ready.body.slice(0, 200) });
}

async function checkRecovery(
  fleet: ChaosFleet,
  opts: ChaosOptions,
  http: SimHttpClient,
  ledger: ChaosLedger,
  exp: ChaosExperiment,
  maxSuggestionIdBefore: bigint,
): Promise<RecoveryReport> {
  const deadline = Date.now() + opts.recoveryWithinMs;
  const ready = await fleet.waitReady().then(
    () => true,
    () => false,
  );
  let model = false;
  let steps = 0;
  while (ready && !model && Date.now() < deadline && steps < 60) {
    steps++;
    const s = await http.sendWithRetry('POST', `/v1/experiments/${exp.id}/suggestions`, {}, { onAttempt: (r) => ledger.attempt(r) });
    const body = s.body as { id?: string; assignments?: Record<string, unknown> } | null;
    if (s.status !== 200 || !body?.id || !body.assignments) continue;
    ledger.suggestions.push({ id: body.id, experimentId: exp.id, client: -1, assignments: body.assignments, atMs: ledger.elapsed() });
    const o = await http.sendWithRetry('POST', `/v1/experiments/${exp.id}/observations`, {
      suggestion: body.id,
      values: [{ name: 'f', value: objective(body.assignments) }],
    });
    const obs = o.body as { id?: string } | null;
    if (o.status === 200 && obs?.id)
      ledger.observations.push({ id: obs.id, suggestionId: body.id, experimentId: exp.id, client: -1, recovered: false });
    model = await hasModelSuggestionAfter(fleet.postgres.url, exp.id, maxSuggestionIdBefore);
    if (!model) await sleep(500);
  }
  return {
    ready,
    apiProcessesAlive: fleet.api.apiPids().length,
    workersAlive: fleet.workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length,
    modelSuggestionAfterFaults: model,
    recoverySteps: steps,
  };
}

async function hasModelSuggestionAfter(databaseUrl: string, experimentId: string, afterId: bigint): Promise<boolean> {
  const pg = (await import('pg')).default;
  const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await db.connect();
    const r = await db.query(`SELECT 1 FROM suggestions WHERE experiment_id = $1 AND id > $2 AND source IN ('fresh', 'stale') LIMIT 1`, [
      experimentId,
      afterId.toString(),
    ]);
    return r.rowCount !== null && r.rowCount > 0;
  } catch {
    return false;
  } finally {
    await db.end().catch(() => {});
  }
}

function maxId(ids: readonly string[]): bigint {
  return ids.reduce((m, id) => (BigInt(id) > m ? BigInt(id) : m), 0n);
}

/** Throughput and suggestion sources in each phase of the load (before, during and after each fault). */
async function phaseThroughput(databaseUrl: string, ledger: ChaosLedger, loadStart: number, loadEnd: number): Promise<PhaseThroughput[]> {
  const bounds = [loadStart, ...ledger.faults.flatMap((f) => [f.startMs, Number.isFinite(f.endMs) ? f.endMs : f.startMs]), loadEnd];
  const names = ['before the faults', ...ledger.faults.flatMap((f) => [`during ${f.kind}`, `after ${f.kind}`])];
  const sources = await sourcesOf(
    databaseUrl,
    ledger.suggestions.map((s) => s.id),
  );
  const out: PhaseThroughput[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [from, to] = [bounds[i]!, bounds[i + 1]!];
    if (to - from < 500) continue;
    const inPhase = ledger.suggestions.filter((s) => s.client >= 0 && s.atMs >= from && s.atMs < to);
    const bySource: Record<string, number> = {};
    for (const s of inPhase) {
      const src = sources.get(s.id) ?? 'unknown';
      bySource[src] = (bySource[src] ?? 0) + 1;
    }
    out.push({
      phase: names[i]!,
      fromMs: from,
      toMs: to,
      perSecond: Math.round((inPhase.length / ((to - from) / 1000)) * 10) / 10,
      sources: bySource,
    });
  }
  return out;
}
