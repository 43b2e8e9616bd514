import { readFile, writeFile } from 'node:fs/promises';
import { nonNegative, positiveInt } from './cli-arguments.ts';
import { Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { compareReports, formatComparison } from '../sim/compare-reports.ts';
import { renderHtmlReport } from '../sim/html-report.ts';
import { createProgressDisplay } from '../sim/progress-display.ts';
import { runSimulation, type SimulationTarget } from '../sim/simulation.ts';
import { type SimulationProfile, isSimulationProfile, resolveSimulationSettings, SIMULATION_PROFILES } from '../sim/simulation-options.ts';
import type { SimulationReport } from '../sim/simulation-report.ts';
import { type SpawnedService, spawnService } from '../sim/spawned-service.ts';

function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('must be between 0 and 1');
  return n;
}
function profile(value: string): SimulationProfile {
  if (!isSimulationProfile(value)) throw new InvalidArgumentError(`one of ${Object.keys(SIMULATION_PROFILES).join(', ')}`);
  return value;
}

/** The one-line result summary printed after a run. */
export function summaryLine(r: SimulationReport): string {
  const s = r.summary;
  const mix = Object.entries(r.sourceMix.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return (
    `${s.cycles} cycles in ${s.measuredSeconds} s = ${s.cyclesPerSecond} cycles/s; cycle p50 ${s.cycleLatency.p50} ms, ` +
    `p95 ${s.cycleLatency.p95} ms, p99 ${s.cycleLatency.p99} ms, max ${s.cycleLatency.max} ms; ${s.errors} errors` +
    `${
      Object.keys(r.errorsByStatus).length
        ? ` (${Object.entries(r.errorsByStatus)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')})`
        : ''
    }; ` +
    `observations acknowledged ${r.verification.observationsAcknowledged}, stored ${r.verification.observationsStored ?? '?'}; ` +
    `sources (${r.sourceMix.origin}): ${mix || 'n/a'}` +
    (r.sourceMix.freshShare != null ? `; fresh ${(r.sourceMix.freshShare * 100).toFixed(1)} % of post-design suggestions` : '')
  );
}

/** `sextant simulate`: the repeatable load simulator, and `sextant simulate compare a.json b.json`. */
export function simulateCommand() {
  const cmd = new Command('simulate')
    .description('Simulate SigOpt API users against a Sextant (or --spawn one) and write a JSON + HTML report')
    .option('--url <url>', 'API base URL of a running server', process.env.SIGOPT_API_URL)
    .option('--token <token>', 'API token (with --spawn: installed at first start)', process.env.SIGOPT_API_TOKEN)
    .addOption(
      new Option('--spawn [mode]', 'start a local server for the run: embedded (default) or distributed').choices([
        'embedded',
        'distributed',
      ] as const),
    )
    .option('--database-url <url>', '--spawn distributed: PostgreSQL URL', process.env.SEXTANT_DATABASE_URL)
    .option('--redis-url <url>', '--spawn distributed: Redis URL', process.env.SEXTANT_REDIS_URL)
    .option('--fresh-database', '--spawn distributed: create a new database on that server for the run (dropped afterwards)')
    .option('--processes <n>', '--spawn distributed: API processes', positiveInt)
    .option('--workers <n>', '--spawn distributed: optimizer worker processes', positiveInt)
    .option('--worker-concurrency <k>', '--spawn distributed: refresh jobs per worker', positiveInt)
    .option('--engine-threads <n>', '--spawn: engine threads (embedded server, or each worker)', positiveInt)
    .option(
      '--server-node-args <args>',
      '--spawn: node arguments of the API process, space separated (e.g. "--cpu-prof --cpu-prof-dir=prof")',
    )
    .option('--server-args <args>', '--spawn: extra `sextant serve` arguments, space separated (e.g. "--suggestion-wait-ms 500")')
    .option(
      '--server-env <KEY=VALUE...>',
      '--spawn: environment of the spawned processes (default: rate limits off, SEXTANT_RATE_LIMIT_*_PER_SECOND=0)',
    )
    .option('--keep', '--spawn: keep the data directory / fresh database afterwards')
    .addOption(
      new Option(
        '--profile <name>',
        `load profile scaling experiments and clients (${Object.keys(SIMULATION_PROFILES).join(', ')})`,
      ).argParser(profile),
    )
    .option('--experiments <n>', 'experiments to create (default: from the profile)', positiveInt)
    .option('--clients <n>', 'concurrent simulated clients (default: from the profile)', positiveInt)
    .option('--duration <s>', 'length of the measured phase in seconds (default 30; 600 with --cycles)', nonNegative)
    .option('--cycles <n>', 'stop after this many cycles (suggestion + observation)', positiveInt)
    .option('--seed <n>', 'seed of experiments, objectives and client behaviour', positiveInt)
    .option('--eval-ms <ms>', 'mean evaluation time per suggestion', nonNegative)
    .option('--failure-rate <p>', 'share of evaluations reported as failed', share)
    .option('--noise <sd>', 'standard deviation of noise added to metric values', nonNegative)
    .option('--dashboard-rate <p>', 'share of cycles followed by dashboard reads', share)
    .option('--parallel-share <p>', 'share of experiments with parallel_bandwidth 2-4', share)
    .option('--multi-metric-share <p>', 'share of experiments with two metrics', share)
    .option('--out <file>', 'JSON report path (the HTML report goes next to it)', 'simulation-report.json')
    .option('--quiet', 'no progress display and no summary line')
    .action(async (o) => {
      let settings;
      try {
        settings = resolveSimulationSettings({
          ...(o.profile !== undefined ? { profile: o.profile } : {}),
          ...(o.experiments !== undefined ? { experiments: o.experiments } : {}),
          ...(o.clients !== undefined ? { clients: o.clients } : {}),
          ...(o.duration !== undefined ? { durationSeconds: o.duration } : {}),
          ...(o.cycles !== undefined ? { cycles: o.cycles } : {}),
          ...(o.seed !== undefined ? { seed: o.seed } : {}),
          ...(o.evalMs !== undefined ? { evalMs: o.evalMs } : {}),
          ...(o.failureRate !== undefined ? { failureRate: o.failureRate } : {}),
          ...(o.noise !== undefined ? { noise: o.noise } : {}),
          ...(o.dashboardRate !== undefined ? { dashboardRate: o.dashboardRate } : {}),
          ...(o.parallelShare !== undefined ? { parallelShare: o.parallelShare } : {}),
          ...(o.multiMetricShare !== undefined ? { multiMetricShare: o.multiMetricShare } : {}),
        });
      } catch (err) {
        process.stderr.write(`sextant simulate: ${(err as Error).message}\n`);
        process.exit(2);
      }
      const say = (line: string) => {
        if (!o.quiet) process.stderr.write(`${line}\n`);
      };
      let spawned: SpawnedService | null = null;
      let target: SimulationTarget;
      if (o.spawn) {
        const mode = o.spawn === true ? 'embedded' : o.spawn;
        say(`starting a ${mode} Sextant…`);
        spawned = await spawnService({
          mode,
          ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
          ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}),
          ...(o.freshDatabase ? { freshDatabase: true } : {}),
          ...(o.processes !== undefined ? { processes: o.processes } : {}),
          ...(o.workers !== undefined ? { workers: o.workers } : {}),
          ...(o.workerConcurrency !== undefined ? { workerConcurrency: o.workerConcurrency } : {}),
          ...(o.engineThreads !== undefined ? { engineThreads: o.engineThreads } : {}),
          ...(o.serverNodeArgs ? { nodeArgs: o.serverNodeArgs.split(/\s+/).filter(Boolean) } : {}),
          ...(o.serverArgs ? { serverArgs: o.serverArgs.split(/\s+/).filter(Boolean) } : {}),
          ...(o.token ? { token: o.token } : {}),
          ...(o.serverEnv
            ? { env: Object.fromEntries(o.serverEnv.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) }
            : {}),
          ...(o.keep ? { keep: true } : {}),
          log: (line) => say(line),
        });
        target = {
          url: spawned.url,
          token: spawned.token,
          mode: spawned.mode,
          details: spawned.details,
          ...(spawned.sourceMix ? { sourceMix: spawned.sourceMix } : {}),
        };
        say(`${mode} Sextant at ${spawned.url}`);
      } else {
        if (!o.url || !o.token) {
          process.stderr.write('sextant simulate needs --url and --token (or SIGOPT_API_URL / SIGOPT_API_TOKEN), or --spawn\n');
          process.exit(2);
        }
        target = { url: o.url, token: o.token, mode: 'external' };
      }
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      const progress = createProgressDisplay(process.stderr);
      let report: SimulationReport;
      try {
        report = await runSimulation(settings, target, {
          ...(o.quiet ? {} : { onProgress: (p) => progress.update(p) }),
          signal: controller.signal,
        });
      } finally {
        progress.done();
        process.removeListener('SIGINT', onSigint);
        await spawned?.stop();
      }
      const htmlPath = o.out.replace(/\.json$/i, '') + '.html';
      await writeFile(o.out, `${JSON.stringify(report, null, 2)}\n`);
      await writeFile(htmlPath, renderHtmlReport(report));
      if (!o.quiet) process.stdout.write(`${summaryLine(report)}\nreport: ${o.out}, ${htmlPath}\n`);
    });
  cmd
    .command('compare')
    .description('Print the differences of two simulation reports with ratios (b/a)')
    .argument('<a>', 'baseline report (JSON)')
    .argument('<b>', 'new report (JSON)')
    .action(async (a, b) => {
      const [ra, rb] = await Promise.all([a, b].map(async (p) => JSON.parse(await readFile(p, 'utf8')) as SimulationReport));
      if (ra?.format !== 'sextant-simulation/1' || rb?.format !== 'sextant-simulation/1') {
        process.stderr.write('sextant simulate compare: both files must be sextant simulation reports (format sextant-simulation/1)\n');
        process.exit(2);
      }
      process.stdout.write(
        `a: ${a} (${ra.startedAt}, ${ra.target.mode}, ${ra.settings.experiments} experiments, ${ra.settings.clients} clients)\n`,
      );
      process.stdout.write(
        `b: ${b} (${rb.startedAt}, ${rb.target.mode}, ${rb.settings.experiments} experiments, ${rb.settings.clients} clients)\n\n`,
      );
      process.stdout.write(`${formatComparison(compareReports(ra, rb))}\n`);
    });
  return cmd;
}
