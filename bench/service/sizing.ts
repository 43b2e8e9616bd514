/**
 * Process and thread sizing benchmark (issue 4 item 9): runs one fixed, seeded simulator workload
 * against a fresh distributed deployment (PostgreSQL database + Redis prefix per run) for every cell
 * of API processes × worker processes × engine threads per worker, and writes a table with a
 * mechanically chosen recommendation. The defaults of `serve --processes` / `worker --concurrency`
 * (src/config/deployment-sizing.ts) follow that table. Usage (defaults shown):
 *   npx tsx bench/service/sizing.ts [--processes 1,2,3] [--workers 1,2] [--threads 1,2] [--repeat 1]
 *     [--experiments 100] [--clients 32] [--duration 25] [--eval-ms 50] [--seed 1]
 *     [--database-url postgres://postgres@127.0.0.1:5432/test] [--redis-url redis://127.0.0.1:6379]
 *     [--p99-tolerance 1.2] [--min-model-share 0.9] [--out bench/results/service-sizing]
 * Repeats run the whole matrix again (cells interleaved, so a change in machine load spreads over
 * all cells) and the table shows medians. Ctrl-C ends the current run, stops its processes and
 * writes what was measured.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { deploymentSizing } from '../../src/config/deployment-sizing.ts';
import { runSimulation } from '../../src/sim/simulation.ts';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import { spawnService } from '../../src/sim/spawned-service.ts';
import { type CpuReading, cores, loadNow, log, option, readCpu } from './bench-common.ts';
import {
  cellLabel,
  markdownTable,
  recommend,
  type SizingCell,
  type SizingRun,
  summarizeCells,
} from './sizing-report.ts';

function positiveList(name: string, fallback: string): number[] {
  const xs = option(name, fallback).split(',').map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1 || x > 64))
    throw new RangeError(`--${name} takes comma-separated integers 1-64`);
  return xs;
}

function figures(cell: SizingCell, repeat: number, r: SimulationReport, cpu: [CpuReading | null, CpuReading | null]): SizingRun {
  return {
    cell,
    repeat,
    error: null,
    cyclesPerSecond: r.summary.cyclesPerSecond,
    cycleP50Ms: r.summary.cycleLatency.p50,
    cycleP99Ms: r.summary.cycleLatency.p99,
    suggestionP99Ms: r.endpoints['suggestion.create']?.latency.p99 ?? null,
    modelShare: r.sourceMix.modelShare,
    sources: r.sourceMix.counts,
    errors: r.summary.errors,
    verified: r.verification.match,
    apiCpuCores: cores(cpu[0], cpu[1], 'api'),
    workerCpuCores: cores(cpu[0], cpu[1], 'workers'),
    loadGeneratorCpuCores: cores(cpu[0], cpu[1], 'generator'),
    loadAverageAtStart: r.environment.loadAverageAtStart,
  };
}

function failed(cell: SizingCell, repeat: number, error: unknown, load: readonly number[]): SizingRun {
  const none = { cyclesPerSecond: null, cycleP50Ms: null, cycleP99Ms: null, suggestionP99Ms: null, modelShare: null };
  return {
    cell,
    repeat,
    error: error instanceof Error ? error.message : String(error),
    ...none,
    sources: {},
    errors: null,
    verified: null,
    apiCpuCores: null,
    workerCpuCores: null,
    loadGeneratorCpuCores: null,
    loadAverageAtStart: load,
  };
}

async function main(): Promise<void> {
  const processes = positiveList('processes', '1,2,3');
  const workers = positiveList('workers', '1,2');
  const threads = positiveList('threads', '1,2');
  const repeats = positiveList('repeat', '1')[0]!;
  const out = option('out', 'bench/results/service-sizing');
  const databaseUrl = option('database-url', 'postgres://postgres@127.0.0.1:5432/test');
  const redisUrl = option('redis-url', 'redis://127.0.0.1:6379');
  const rule = { p99Tolerance: Number(option('p99-tolerance', '1.2')), minModelShare: Number(option('min-model-share', '0.9')) };
  const settings = resolveSimulationSettings({
    experiments: Number(option('experiments', '100')),
    clients: Number(option('clients', '32')),
    durationSeconds: Number(option('duration', '25')),
    evalMs: Number(option('eval-ms', '50')),
    seed: Number(option('seed', '1')),
  });
  const cells: SizingCell[] = processes.flatMap((p) => workers.flatMap((w) => threads.map((t) => ({ processes: p, workers: w, threads: t }))));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const loadAtStart = loadNow();
  const total = cells.length * repeats;
  log(`sizing: ${cells.length} cells × ${repeats} repeat(s), about ${Math.ceil((total * (settings.durationSeconds + 15)) / 60)} min; load ${loadAtStart.join(' / ')}`);

  const abort = new AbortController();
  const onSigint = () => {
    log('interrupted: finishing the current run, then writing what was measured');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  const runs: SizingRun[] = [];
  for (let rep = 1; rep <= repeats && !abort.signal.aborted; rep++) {
    for (const [i, cell] of cells.entries()) {
      if (abort.signal.aborted) break;
      const n = (rep - 1) * cells.length + i + 1;
      log(`[${n}/${total}] ${cellLabel(cell)} (repeat ${rep}): starting, load ${loadNow().join(' / ')}`);
      let childLines = 0;
      try {
        const service = await spawnService({
          mode: 'distributed',
          databaseUrl,
          redisUrl,
          freshDatabase: true,
          waitUntilReady: true,
          processes: cell.processes,
          workers: cell.workers,
          workerConcurrency: cell.threads,
          engineThreads: cell.threads,
          // Child output is diagnostics only; a misbehaving cell must not flood the progress lines.
          log: (line) => {
            if (!line.includes('slow ') && childLines++ < 20) log(`  ${line}`);
          },
        });
        if (abort.signal.aborted) {
          await service.stop();
          break;
        }
        const serverPid = service.details.serverPid as number;
        const workerPids = service.details.workerPids as number[];
        const cpu: [CpuReading | null, CpuReading | null] = [null, null];
        try {
          const report = await runSimulation(
            settings,
            { url: service.url, token: service.token, mode: 'distributed', details: service.details, ...(service.sourceMix ? { sourceMix: service.sourceMix } : {}) },
            {
              signal: abort.signal,
              // The measured phase is bracketed by the first progress tick of 'running' and of 'verifying' (±1 s).
              onProgress: (p) => {
                if (p.phase === 'running' && !cpu[0]) cpu[0] = readCpu(serverPid, workerPids);
                if (p.phase === 'verifying' && !cpu[1]) cpu[1] = readCpu(serverPid, workerPids);
              },
            },
          );
          cpu[1] ??= readCpu(serverPid, workerPids);
          const run = figures(cell, rep, report, cpu);
          runs.push(run);
          log(
            `[${n}/${total}] ${cellLabel(cell)}: ${run.cyclesPerSecond} cycles/s, cycle p99 ${run.cycleP99Ms} ms, ` +
              `model share ${run.modelShare ?? '—'}, ${run.errors} errors, API ${run.apiCpuCores ?? '—'} / workers ${run.workerCpuCores ?? '—'} cores`,
          );
        } finally {
          await service.stop();
        }
      } catch (error) {
        // An interrupted run is not a failed cell: leave it out of the table.
        if (abort.signal.aborted) break;
        runs.push(failed(cell, rep, error, loadNow()));
        log(`[${n}/${total}] ${cellLabel(cell)}: FAILED ${String(error)}`);
      }
    }
  }
  process.off('SIGINT', onSigint);

  const summaries = summarizeCells(runs);
  const recommendation = recommend(summaries, rule);
  const sizing = deploymentSizing();
  const command = `npx tsx bench/service/sizing.ts ${process.argv.slice(2).join(' ')}`.trim();
  const machine = {
    cpus: `${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadNow(),
  };
  const result = {
    benchmark: 'service-sizing',
    date: new Date().toISOString(),
    command,
    commit,
    machine,
    interrupted: abort.signal.aborted,
    settings,
    selectionRule: rule,
    recommendation,
    currentDefaults: sizing,
    cells: summaries,
    runs,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const chosen = recommendation.cell;
  const agrees =
    chosen && chosen.processes === sizing.apiProcesses && chosen.workers === 1 && chosen.threads === sizing.workerConcurrency;
  const md = [
    `# Service sizing (${result.date.slice(0, 10)}, commit ${commit}${result.interrupted ? ', INTERRUPTED' : ''})`,
    '',
    `\`${command}\``,
    '',
    `Machine: ${machine.cpus}, ${machine.memoryGiB} GiB; load average ${loadAtStart.join(' / ')} at start, ${machine.loadAverageAtEnd.join(' / ')} at end ` +
      '(1/5/15 min; numbers from a loaded machine are not comparable with an idle one). Load generator on the same machine.',
    '',
    `Workload per run: ${settings.experiments} experiments, ${settings.clients} clients, ${settings.durationSeconds} s, ` +
      `${settings.evalMs} ms evaluations, seed ${settings.seed}; a fresh PostgreSQL database and Redis prefix per run. ` +
      `Threads = each worker's \`--concurrency\` and \`--engine-threads\`. ${repeats > 1 ? `Medians of ${repeats} runs per cell.` : 'One run per cell.'}`,
    '',
    ...markdownTable(summaries, chosen),
    '',
    'Model share = model / (model + fallback) suggestions, i.e. the post-initial-design suggestions that came from the model. ' +
      'CPU = cores used during the measured phase by the API process tree / all worker processes (/proc) / the load generator (this process, which shares the machine).',
    '',
    '## Recommended defaults for this machine',
    '',
    `Rule: ${recommendation.rule}.${recommendation.note ? ` Note: ${recommendation.note}.` : ''}`,
    '',
    chosen
      ? `Recommended: \`sextant serve --processes ${chosen.processes}\` and ${chosen.workers} × \`sextant worker --concurrency ${chosen.threads}\` ` +
        `(${cellLabel(chosen)}).`
      : 'No recommendation: no cell completed a verified run.',
    '',
    `Defaults of this build on ${sizing.cores} cores (src/config/deployment-sizing.ts): \`--processes ${sizing.apiProcesses}\`, ` +
      `one worker with \`--concurrency ${sizing.workerConcurrency}\` — ${chosen ? (agrees ? 'agree with the table' : '**differ from the table: adjust the rule or explain why**') : 'not checked'}.`,
    '',
  ].join('\n');
  await writeFile(`${out}.md`, md);
  process.stdout.write(md);
}

await main();
