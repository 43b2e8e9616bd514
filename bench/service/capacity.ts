/**
 * Service capacity benchmark (issue 5): `sextant simulate` against a spawned Sextant in embedded
 * and/or distributed mode with the load generator on the same machine; writes
 * bench/results/service-capacity.json and .md. Usage (defaults = the capacity run):
 *   npx tsx bench/service/capacity.ts [--modes embedded,distributed] [--experiments 1000]
 *     [--clients 64] [--duration 30] [--eval-ms 0] [--database-url postgres://postgres@127.0.0.1:5432/test]
 *     [--redis-url redis://127.0.0.1:6379] [--workers 2] [--profile default|high-load] [--out bench/results/service-capacity]
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import { option, profileEnv, spawnedRun } from './bench-common.ts';

/** One line of the results table. */
export function tableRow(mode: string, r: SimulationReport): string {
  const s = r.summary;
  const sug = r.endpoints['suggestion.create']?.latency;
  const obs = r.endpoints['observation.create']?.latency;
  return `| ${mode} | ${s.cyclesPerSecond} | ${s.cycleLatency.p50} | ${s.cycleLatency.p95} | ${s.cycleLatency.p99} | ${sug?.p99 ?? '—'} | ${obs?.p99 ?? '—'} | ${s.errors} | ${r.server?.cpuUtilisation ?? '—'} | ${r.server?.eventLoopLagP99Ms ?? '—'} | ${r.verification.match ? 'yes' : 'NO'} | ${r.environment.loadAverageAtStart.join(' / ')} |`;
}

async function main(): Promise<void> {
  const modes = option('modes', 'embedded').split(',') as ('embedded' | 'distributed')[];
  const out = option('out', 'bench/results/service-capacity');
  const settings = resolveSimulationSettings({
    experiments: Number(option('experiments', '1000')),
    clients: Number(option('clients', '64')),
    durationSeconds: Number(option('duration', '30')),
    evalMs: Number(option('eval-ms', '0')),
    seed: Number(option('seed', '1')),
  });
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const runs: Record<string, SimulationReport> = {};
  for (const mode of modes) {
    process.stderr.write(`${mode}: starting…\n`);
    // The whole deployment is up before the clock starts, and is stopped and cleaned up after.
    const run = await spawnedRun(
      {
        mode,
        ...(mode === 'distributed'
          ? {
              databaseUrl: option('database-url', 'postgres://postgres@127.0.0.1:5432/test'),
              redisUrl: option('redis-url', 'redis://127.0.0.1:6379'),
              freshDatabase: true,
              workers: Number(option('workers', '2')),
            }
          : {}),
        env: profileEnv(option('profile', 'default')),
      },
      settings,
    );
    runs[mode] = run.report;
    const r = runs[mode]!;
    process.stderr.write(
      `${mode}: ${r.summary.cyclesPerSecond} cycles/s, cycle p99 ${r.summary.cycleLatency.p99} ms, ${r.summary.errors} errors\n`,
    );
  }
  const result = {
    benchmark: 'service-capacity',
    command: `npx tsx bench/service/capacity.ts ${process.argv.slice(2).join(' ')}`.trim(),
    commit,
    machine: {
      cpus: `${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}`,
      loadAverageAfter: loadavg().map((v) => Math.round(v * 100) / 100),
    },
    settings,
    runs,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `# Service capacity (${new Date().toISOString().slice(0, 10)}, commit ${commit})`,
    '',
    `\`${result.command}\` — ${settings.experiments} experiments, ${settings.clients} clients, ${settings.durationSeconds} s, eval ${settings.evalMs} ms, load generator on the same ${result.machine.cpus} machine.`,
    '',
    '| mode | cycles/s | cycle p50 ms | p95 | p99 | suggestion p99 | observation p99 | errors | server CPU (cores) | event-loop lag p99 ms | stored = acknowledged | load avg at start (1/5/15 min) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(runs).map(([mode, r]) => tableRow(mode, r)),
    '',
    'Suggestion sources: ' +
      Object.entries(runs)
        .map(([mode, r]) => `${mode} ${JSON.stringify(r.sourceMix.counts)}`)
        .join('; '),
    '',
    'Server mean handling time per route (ms, from /metrics): ' +
      Object.entries(runs)
        .map(([mode, r]) => `${mode} ${JSON.stringify(r.server?.serverMeanMsByRoute ?? {})}`)
        .join('; '),
    '',
  ].join('\n');
  await writeFile(`${out}.md`, md);
  process.stdout.write(md);
}

await main();
