/**
 * Model quality under load (issues 5 and 11): 100 experiments, 100 clients, 200 ms evaluations
 * against a spawned deployment, load generator on the same machine. Reports the share of
 * post-initial suggestions that were fresh (their model had every stored observation; initial-
 * design and queued suggestions excluded), the model share (fresh + stale spares) and the
 * suggestion latency. Targets: fresh ≥ 95 %, suggestion p99 ≤ 50 ms. Usage (defaults shown):
 *   npx tsx bench/service/model-quality.ts [--modes distributed] [--profile default|high-load]
 *     [--experiments 100] [--clients 100] [--eval-ms 200] [--duration 60] [--seed 1]
 *     [--processes <serve default>] [--workers 1] [--worker-concurrency <worker default>]
 *     [--database-url postgres://postgres@127.0.0.1:5432/test] [--redis-url redis://127.0.0.1:6379]
 *     [--out bench/results/service-model-quality]
 * `--modes embedded,distributed` runs both. The profile's settings reach every spawned process as
 * SEXTANT_* environment variables. Ctrl-C stops the current run, cleans up and writes what was measured.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import type { SpawnOptions } from '../../src/sim/spawned-service.ts';
import {
  commitHash,
  handleInterrupt,
  loadNow,
  log,
  machine,
  freshShare,
  modelShare,
  numberOption,
  option,
  profileEnv,
  type RunCpu,
  spawnedRun,
} from './bench-common.ts';

const TARGET_FRESH_SHARE = 0.95;
const TARGET_SUGGESTION_P99_MS = 50;

/** The figures of one mode's run. */
interface ModeFigures {
  readonly mode: string;
  readonly error: string | null;
  readonly modelShare: number | null;
  readonly freshShare: number | null;
  readonly sources: Readonly<Record<string, number>>;
  readonly sourcesOrigin: string | null;
  readonly suggestionLatencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  readonly cyclesPerSecond: number | null;
  readonly cycleLatencyMs: { p50: number; p95: number; p99: number } | null;
  readonly errors: number | null;
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly verified: boolean | null;
  readonly cpu: RunCpu | null;
  /** From the scraped API process (/metrics); workers in distributed mode expose none, so 0 there. */
  readonly engineRefreshes: number | null;
  readonly engineRefreshMeanMs: number | null;
  readonly eventLoopLagP99Ms: number | null;
  readonly loadAverageAtStart: readonly number[];
  readonly meetsTargets: { freshShare: boolean; suggestionP99: boolean } | null;
}

function figures(mode: string, r: SimulationReport, cpu: RunCpu): ModeFigures {
  const sug = r.endpoints['suggestion.create']?.latency;
  const fresh = freshShare(r.sourceMix.counts);
  return {
    mode,
    error: null,
    modelShare: modelShare(r.sourceMix.counts),
    freshShare: fresh,
    sources: r.sourceMix.counts,
    sourcesOrigin: r.sourceMix.origin,
    suggestionLatencyMs: sug ? { p50: sug.p50, p95: sug.p95, p99: sug.p99, max: sug.max } : null,
    cyclesPerSecond: r.summary.cyclesPerSecond,
    cycleLatencyMs: { p50: r.summary.cycleLatency.p50, p95: r.summary.cycleLatency.p95, p99: r.summary.cycleLatency.p99 },
    errors: r.summary.errors,
    errorsByStatus: r.errorsByStatus,
    verified: r.verification.match,
    cpu,
    engineRefreshes: r.server?.engineRefreshes ?? null,
    engineRefreshMeanMs: r.server?.engineRefreshMeanMs ?? null,
    eventLoopLagP99Ms: r.server?.eventLoopLagP99Ms ?? null,
    loadAverageAtStart: r.environment.loadAverageAtStart,
    meetsTargets: {
      freshShare: fresh !== null && fresh >= TARGET_FRESH_SHARE,
      suggestionP99: sug !== undefined && sug.p99 <= TARGET_SUGGESTION_P99_MS,
    },
  };
}

const show = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '—' : String(Math.round(v * 10 ** digits) / 10 ** digits));
const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10} %`);
const yes = (v: boolean | undefined) => (v === undefined ? '—' : v ? 'yes' : '**no**');

function row(f: ModeFigures): string {
  if (f.error) return `| ${f.mode} | FAILED: ${f.error} ||||||||||||`;
  const s = f.suggestionLatencyMs;
  return (
    `| ${f.mode} | ${pct(f.freshShare)} (${yes(f.meetsTargets?.freshShare)}) | ${pct(f.modelShare)} | ${show(s?.p50)} / ${show(s?.p95)} / ${show(s?.p99)} (${yes(f.meetsTargets?.suggestionP99)}) | ` +
    `${show(f.cyclesPerSecond, 1)} | ${show(f.cycleLatencyMs?.p50)} / ${show(f.cycleLatencyMs?.p99)} | ${JSON.stringify(f.sources)} | ${show(f.errors)} | ` +
    `${f.verified === null ? '—' : f.verified ? 'yes' : 'NO'} | ${show(f.cpu?.apiCpuCores, 2)} / ${show(f.cpu?.workerCpuCores, 2)} / ${show(f.cpu?.loadGeneratorCpuCores, 2)} | ` +
    `${show(f.engineRefreshes)} (${show(f.engineRefreshMeanMs)} ms) | ${f.loadAverageAtStart.join(' / ')} |`
  );
}

async function main(): Promise<void> {
  const signal = handleInterrupt();
  const modes = option('modes', 'distributed').split(',') as ('embedded' | 'distributed')[];
  if (modes.some((m) => m !== 'embedded' && m !== 'distributed')) throw new RangeError('--modes takes embedded and/or distributed');
  const profile = option('profile', 'default');
  const env = profileEnv(profile);
  const out = option('out', 'bench/results/service-model-quality');
  const settings = resolveSimulationSettings({
    experiments: numberOption('experiments', 100),
    clients: numberOption('clients', 100),
    durationSeconds: numberOption('duration', 60),
    evalMs: numberOption('eval-ms', 200),
    seed: numberOption('seed', 1),
  });
  const processes = option('processes', '');
  const workerConcurrency = option('worker-concurrency', '');
  const loadAtStart = loadNow();
  log(`model quality: ${modes.join(', ')}, profile ${profile}, ${settings.experiments} experiments, ${settings.clients} clients, ` +
    `${settings.evalMs} ms evaluations, ${settings.durationSeconds} s per mode; load ${loadAtStart.join(' / ')}`);
  const results: ModeFigures[] = [];
  const reports: Record<string, SimulationReport> = {};
  for (const mode of modes) {
    if (signal.aborted) break;
    const spawn: SpawnOptions = {
      mode,
      env,
      ...(mode === 'distributed'
        ? {
            databaseUrl: option('database-url', 'postgres://postgres@127.0.0.1:5432/test'),
            redisUrl: option('redis-url', 'redis://127.0.0.1:6379'),
            freshDatabase: true,
            workers: numberOption('workers', 1),
            ...(processes ? { processes: Number(processes) } : {}),
            ...(workerConcurrency ? { workerConcurrency: Number(workerConcurrency) } : {}),
          }
        : {}),
    };
    log(`${mode}: starting (load ${loadNow().join(' / ')})`);
    try {
      const run = await spawnedRun(spawn, settings);
      reports[mode] = run.report;
      const f = figures(mode, run.report, run.cpu);
      results.push(f);
      log(
        `${mode}: fresh ${pct(f.freshShare)}, model share ${pct(f.modelShare)} ${JSON.stringify(f.sources)}, suggestion p50/p99 ${show(f.suggestionLatencyMs?.p50)}/${show(f.suggestionLatencyMs?.p99)} ms, ` +
          `${f.cyclesPerSecond} cycles/s, ${f.errors} errors, API ${show(f.cpu?.apiCpuCores, 2)} / workers ${show(f.cpu?.workerCpuCores, 2)} cores`,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`${mode}: FAILED ${message}`);
      results.push({
        mode, error: message, modelShare: null, freshShare: null, sources: {}, sourcesOrigin: null, suggestionLatencyMs: null, cyclesPerSecond: null,
        cycleLatencyMs: null, errors: null, errorsByStatus: {}, verified: null, cpu: null, engineRefreshes: null,
        engineRefreshMeanMs: null, eventLoopLagP99Ms: null, loadAverageAtStart: loadNow(), meetsTargets: null,
      });
    }
  }
  const command = `npx tsx bench/service/model-quality.ts ${process.argv.slice(2).join(' ')}`.trim();
  const commit = commitHash();
  const m = machine();
  const result = {
    benchmark: 'service-model-quality',
    date: new Date().toISOString(),
    command,
    commit,
    machine: { ...m, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadNow() },
    interrupted: signal.aborted,
    profile,
    profileEnvironment: env,
    targets: { freshShare: TARGET_FRESH_SHARE, suggestionP99Ms: TARGET_SUGGESTION_P99_MS },
    settings,
    results,
    reports,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Model quality under load (${result.date.slice(0, 10)}, commit ${commit}${result.interrupted ? ', INTERRUPTED' : ''})`,
    '',
    `\`${command}\``,
    '',
    `Machine: ${m.cpus}, ${m.memoryGiB} GiB; load average ${loadAtStart.join(' / ')} at start, ${result.machine.loadAverageAtEnd.join(' / ')} at end ` +
      '(1/5/15 min; numbers from a loaded machine are not comparable with an idle one). Load generator on the same machine.',
    '',
    `Workload: ${settings.experiments} experiments, ${settings.clients} clients, ${settings.evalMs} ms evaluations (±50 %), ${settings.durationSeconds} s, ` +
      `seed ${settings.seed}; load profile \`${profile}\`${Object.keys(env).length > 0 ? ` (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}.`,
    `Targets: fresh ≥ ${TARGET_FRESH_SHARE * 100} %, suggestion p99 ≤ ${TARGET_SUGGESTION_P99_MS} ms.`,
    '',
    '| mode | fresh (target met) | model share | suggestion p50 / p95 / p99 ms (target met) | cycles/s | cycle p50 / p99 ms | suggestions by source | errors | stored = acknowledged | CPU cores: API / workers / load gen. | engine refreshes in the API process (mean) | load avg at start |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    'Fresh = fresh / (fresh + stale + fallback): of the suggestions after the initial design (initial and queued ones excluded), the share whose model had every observation stored when the request arrived. ' +
      'Model share = (fresh + stale) / (fresh + stale + fallback): stale spares of an earlier refresh count as model. Sources are exact counts from PostgreSQL in distributed mode, the /metrics counters in embedded mode. ' +
      'Engine refreshes are counted by the scraped API process only: in distributed mode they run in `sextant worker` processes (no /metrics), so read the worker CPU instead.',
    '',
  ].join('\n');
  await writeFile(`${out}.md`, md);
  process.stdout.write(md);
}

await main();
