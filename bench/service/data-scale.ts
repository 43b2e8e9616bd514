/**
 * Data scale (issue 5): cycle latency on an empty database (phase A) and on one holding ≥ 10^6
 * observations (phase B), same seeded workload, distributed mode, load generator on the same
 * machine. Target: p50 cycle latency of B within 1.25× of A. Usage (defaults shown):
 *   npx tsx bench/service/data-scale.ts [--experiments 100] [--clients 32] [--eval-ms 0] [--duration 30] [--seed 1]
 *     [--observations 1000000] [--bulk-experiments 10000] [--hot-observations 100000] [--suggestions 200000]
 *     [--sim-history 500] [--sim-hot 4] [--sim-hot-observations 20000] [--baseline-history 0]
 *     [--processes <serve default>] [--workers 1] [--database-url postgres://postgres@127.0.0.1:5432/test]
 *     [--redis-url redis://127.0.0.1:6379] [--out bench/results/service-data-scale]
 * Phase B's database is filled with set-based SQL (test/support/kits/bulk-load.ts): `--observations`
 * over `--bulk-experiments` experiments of the simulator's own tenant with real specs (one holding
 * `--hot-observations`), then ANALYZE. The simulator's own experiments carry a history too: a trigger
 * on experiments gives each one it creates that has a double parameter `--sim-history` observations,
 * and the first `--sim-hot` of them `--sim-hot-observations`, so the workload runs its hot paths on
 * big experiments, not only next to a big table. Those experiments skip the initial design, so phase B
 * runs the model path where phase A (still in its initial design on a slow machine) may not:
 * `--baseline-history N` gives phase A's experiments the same N-observation history (no hot ones),
 * so the phases differ only in the database's size and the few hot experiments. Ctrl-C cancels the load or run, cleans up, writes what was measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import pg from 'pg';
import { validateExperimentCreate } from '../../src/domain/validation/experiment-create.ts';
import type { JsonObject } from '../../src/domain/validation/schema.ts';
import { createRng } from '../../src/numerics/rng.ts';
import type { ExperimentSpec } from '../../src/optimizer/experiment-spec.ts';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SpawnedService, SpawnOptions } from '../../src/sim/spawned-service.ts';
import { syntheticExperiment } from '../../src/sim/synthetic-experiment.ts';
import { bulkLoadStatements, randomAssignmentsSql, randomValuesSql } from '../../test/support/kits/bulk-load.ts';
import { commitHash, handleInterrupt, loadNow, log, machine, numberOption, option, round, spawnedRun } from './bench-common.ts';
import { type PhaseFigures, phaseFigures, scaleMarkdown, TARGET_P50_RATIO } from './data-scale-report.ts';

const int = (name: string, fallback: number) => {
  const v = numberOption(name, fallback);
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`--${name} takes a non-negative integer`);
  return v;
};

/** Real specs for the bulk experiments: the simulator's own generator, validated like a create request. */
function realisticSpecs(count: number): ExperimentSpec[] {
  const rng = createRng(4242);
  return Array.from({ length: count }, (_, i) => {
    const body = syntheticExperiment('bulk', i + 1, rng.fork()).body;
    return validateExperimentCreate(body as unknown as JsonObject, { maxOptimizedMetrics: 2 }).spec;
  });
}

/** Gives every experiment the simulator creates a history (see the header); records it in bench_history. */
function historyTrigger(history: number, hot: number, hotObservations: number): string[] {
  return [
    'CREATE TABLE bench_history (experiment_id bigint PRIMARY KEY, observations int NOT NULL)',
    'CREATE SEQUENCE bench_history_seq',
    `CREATE FUNCTION bench_history() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE k bigint; n int;
     BEGIN
       -- Only the simulator's experiments, and only spaces a long random history cannot exhaust.
       IF NEW.name NOT LIKE 'sim %' OR NOT EXISTS (
         SELECT 1 FROM jsonb_array_elements(NEW.spec->'parameters') p WHERE p->>'type' = 'double') THEN RETURN NULL; END IF;
       k := nextval('bench_history_seq');
       n := CASE WHEN k <= ${hot} THEN ${hotObservations} ELSE ${history} END;
       IF n = 0 THEN RETURN NULL; END IF;
       INSERT INTO observations (experiment_id, suggestion_id, assignments, task, "values", failed, deleted, created)
         SELECT NEW.id, NULL, ${randomAssignmentsSql('NEW.spec')}, NULL, ${randomValuesSql('NEW.spec')}, false, false, NEW.created - n + i
         FROM generate_series(1, n) i;
       INSERT INTO bench_history VALUES (NEW.id, n);
       RETURN NULL;
     END $$`,
    'CREATE TRIGGER bench_history AFTER INSERT ON experiments FOR EACH ROW EXECUTE FUNCTION bench_history()',
  ];
}

interface LoadFigures {
  readonly seconds: number;
  readonly observations: number;
  readonly experiments: number;
  readonly statements: { label: string; seconds: number }[];
}

/** Fills the service's fresh database (set-based, bounded: every statement has a timeout); cancellable with Ctrl-C. */
/** What to put in a phase's database before its run. */
interface Preload {
  /** The bulk load (phase B). */
  readonly bulk: boolean;
  /** History of the simulator's experiments (0 and 0: no trigger). */
  readonly history: number;
  readonly hot: number;
  readonly hotObservations: number;
}

const usesTrigger = (p: Preload) => p.history > 0 || (p.hot > 0 && p.hotObservations > 0);

async function preload(
  service: SpawnedService,
  databaseUrl: string,
  signal: AbortSignal,
  plan: Preload,
  figures: { load?: LoadFigures },
): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = `/${String(service.details.database)}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  // Ctrl-C cancels the running statement; the service's stop then drops the database.
  const cancel = () => {
    const admin = new pg.Client({ connectionString: url.toString() });
    void admin
      .connect()
      .then(() => admin.query('SELECT pg_cancel_backend($1)', [backend]))
      .catch(() => {})
      .finally(() => void admin.end().catch(() => {}));
  };
  signal.addEventListener('abort', cancel);
  const started = performance.now();
  const statements: { label: string; seconds: number }[] = [];
  try {
    await client.query(`SET statement_timeout = '900s'`);
    const tenant = plan.bulk
      ? (
          await client.query<{ client_id: string; user_id: string | null }>(
            'SELECT client_id, user_id FROM tokens WHERE client_id IS NOT NULL ORDER BY id LIMIT 1',
          )
        ).rows[0]
      : undefined;
    if (plan.bulk && !tenant) throw new Error('no API token with a client in the fresh database: cannot tell the simulator’s tenant');
    const steps = [
      ...(tenant
        ? bulkLoadStatements({
            experiments: int('bulk-experiments', 10_000),
            observations: int('observations', 1_000_000),
            hotObservations: int('hot-observations', 100_000),
            suggestions: int('suggestions', 200_000),
            hotSuggestions: Math.round(int('suggestions', 200_000) / 10),
            tenant: { clientId: tenant.client_id, userId: tenant.user_id },
            specs: realisticSpecs(32),
            chunk: 100_000,
          })
        : []),
      ...(usesTrigger(plan) ? historyTrigger(plan.history, plan.hot, plan.hotObservations) : []).map((sql) => ({
        label: 'history trigger',
        sql,
      })),
    ];
    for (const [i, step] of steps.entries()) {
      if (signal.aborted) throw new Error('interrupted');
      const t = performance.now();
      await client.query(step.sql);
      const seconds = round((performance.now() - t) / 1000, 1);
      statements.push({ label: step.label, seconds });
      log(`  load [${i + 1}/${steps.length}] ${step.label}: ${seconds} s (total ${round((performance.now() - started) / 1000, 1)} s)`);
    }
    if (!plan.bulk) return;
    const counts = await client.query<{ o: string; e: string }>(
      'SELECT (SELECT count(*) FROM observations) AS o, (SELECT count(*) FROM experiments) AS e',
    );
    figures.load = {
      seconds: round((performance.now() - started) / 1000, 1),
      observations: Number(counts.rows[0]!.o),
      experiments: Number(counts.rows[0]!.e),
      statements,
    };
    log(`  loaded ${figures.load.observations} observations over ${figures.load.experiments} experiments in ${figures.load.seconds} s`);
  } finally {
    signal.removeEventListener('abort', cancel);
    await client.end().catch(() => {});
  }
}

/** What the trigger preloaded into the simulator's experiments (read before the database is dropped). */
async function historyFigures(
  service: SpawnedService,
  databaseUrl: string,
): Promise<{ experiments: number; observations: number; largest: number }> {
  const url = new URL(databaseUrl);
  url.pathname = `/${String(service.details.database)}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const r = await client.query<{ n: string; total: string | null; largest: number | null }>(
      'SELECT count(*) AS n, sum(observations) AS total, max(observations) AS largest FROM bench_history',
    );
    return { experiments: Number(r.rows[0]!.n), observations: Number(r.rows[0]!.total ?? 0), largest: r.rows[0]!.largest ?? 0 };
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const signal = handleInterrupt();
  if (option('modes', 'distributed') !== 'distributed')
    throw new RangeError(
      'data-scale runs in distributed mode only: the embedded data directory belongs to the running server, so it cannot be bulk-loaded from outside',
    );
  const out = option('out', 'bench/results/service-data-scale');
  const databaseUrl = option('database-url', 'postgres://postgres@127.0.0.1:5432/test');
  const settings = resolveSimulationSettings({
    experiments: int('experiments', 100),
    clients: int('clients', 32),
    durationSeconds: numberOption('duration', 30),
    evalMs: numberOption('eval-ms', 0),
    seed: int('seed', 1),
  });
  const processes = option('processes', '');
  const spawn: SpawnOptions = {
    mode: 'distributed',
    databaseUrl,
    redisUrl: option('redis-url', 'redis://127.0.0.1:6379'),
    freshDatabase: true,
    workers: int('workers', 1),
    ...(processes ? { processes: Number(processes) } : {}),
  };
  const loadAtStart = loadNow();
  log(
    `data scale: ${settings.experiments} experiments, ${settings.clients} clients, ${settings.evalMs} ms evaluations, ${settings.durationSeconds} s per phase; load ${loadAtStart.join(' / ')}`,
  );
  const phases: PhaseFigures[] = [];
  const reports: Record<string, unknown> = {};
  for (const phase of ['empty', 'loaded'] as const) {
    if (signal.aborted) break;
    log(`phase ${phase === 'empty' ? 'A (empty database)' : 'B (preloaded database)'}: starting (load ${loadNow().join(' / ')})`);
    const extra: { load?: LoadFigures; history?: { experiments: number; observations: number; largest: number } } = {};
    try {
      const plan: Preload =
        phase === 'loaded'
          ? { bulk: true, history: int('sim-history', 500), hot: int('sim-hot', 4), hotObservations: int('sim-hot-observations', 20_000) }
          : { bulk: false, history: int('baseline-history', 0), hot: 0, hotObservations: 0 };
      const run = await spawnedRun(
        spawn,
        settings,
        plan.bulk || usesTrigger(plan) ? (service) => preload(service, databaseUrl, signal, plan, extra) : undefined,
        usesTrigger(plan)
          ? async (service) => {
              extra.history = await historyFigures(service, databaseUrl);
            }
          : undefined,
      );
      reports[phase] = run.report;
      const f = phaseFigures(phase, run.report, run.cpu, extra.load ?? null, extra.history ?? null);
      phases.push(f);
      log(
        `phase ${phase}: cycle p50/p95/p99 ${f.cycleLatencyMs?.p50}/${f.cycleLatencyMs?.p95}/${f.cycleLatencyMs?.p99} ms, ${f.cyclesPerSecond} cycles/s, ${f.errors} errors, verified ${f.verified}`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`phase ${phase}: FAILED ${message}`);
      phases.push(phaseFigures(phase, null, null, extra.load ?? null, extra.history ?? null, message));
    }
  }
  const command = `npx tsx bench/service/data-scale.ts ${process.argv.slice(2).join(' ')}`.trim();
  const commit = commitHash();
  const m = machine();
  const a = phases.find((p) => p.phase === 'empty')?.cycleLatencyMs?.p50;
  const b = phases.find((p) => p.phase === 'loaded')?.cycleLatencyMs?.p50;
  const ratio = a && b ? round(b / a) : null;
  const result = {
    benchmark: 'service-data-scale',
    date: new Date().toISOString(),
    command,
    commit,
    machine: { ...m, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadNow() },
    interrupted: signal.aborted,
    settings,
    target: { p50Ratio: TARGET_P50_RATIO },
    p50Ratio: ratio,
    meetsTarget: ratio === null ? null : ratio <= TARGET_P50_RATIO,
    phases,
    reports,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = scaleMarkdown({ ...result, machine: { ...result.machine } });
  await writeFile(`${out}.md`, md);
  process.stdout.write(md);
}

await main();
