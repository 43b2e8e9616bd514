/**
 * Peer comparison (issue 5): Optuna (Debian's python3-optuna, RDBStorage on the local PostgreSQL,
 * ask/tell, N worker processes with one study each) against Sextant with N simulated clients doing
 * the same loop (single-metric experiments, one open suggestion, instant evaluations, no dashboard
 * reads), in the same run on the same machine. Writes bench/results/service-peer.json and .md.
 *   npx tsx bench/service/peer-comparison.ts [--workers 8] [--duration 30] [--modes embedded,distributed]
 *     [--database-url postgres://postgres@127.0.0.1:5432/test] [--redis-url redis://127.0.0.1:6379] [--profile default|high-load]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import pg from 'pg';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';

import { option, profileEnv, spawnedRun } from './bench-common.ts';

interface OptunaResult {
  readonly optuna: string;
  readonly trials: number;
  readonly trials_per_second: number;
  readonly errors: number;
  readonly latency_ms: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
}

async function admin(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

async function runOptuna(databaseUrl: string, workers: number, duration: number): Promise<OptunaResult> {
  const name = `optuna_peer_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(databaseUrl, `CREATE DATABASE ${name}`);
  try {
    const u = new URL(databaseUrl);
    const storage = `postgresql+psycopg2://${u.username || 'postgres'}@${u.hostname}:${u.port || '5432'}/${name}`;
    const r = spawnSync(
      '/usr/bin/python3',
      ['bench/service/optuna_peer.py', '--storage', storage, '--workers', String(workers), '--duration', String(duration)],
      {
        encoding: 'utf8',
        timeout: (duration + 300) * 1000,
      },
    );
    if (r.status !== 0) throw new Error(`optuna_peer.py failed (${r.status}): ${r.stderr.slice(-2000)}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as OptunaResult;
  } finally {
    await admin(databaseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function main(): Promise<void> {
  const workers = Number(option('workers', '8'));
  const duration = Number(option('duration', '30'));
  const databaseUrl = option('database-url', 'postgres://postgres@127.0.0.1:5432/test');
  const modes = option('modes', 'embedded,distributed').split(',') as ('embedded' | 'distributed')[];
  const out = option('out', 'bench/results/service-peer');
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  process.stderr.write(`optuna: ${workers} workers, ${duration} s…\n`);
  const loadBefore = loadavg().map((v) => Math.round(v * 100) / 100);
  const optuna = await runOptuna(databaseUrl, workers, duration);
  process.stderr.write(`optuna: ${optuna.trials_per_second} trials/s, p99 ${optuna.latency_ms.p99} ms\n`);
  const settings = resolveSimulationSettings({
    experiments: workers,
    clients: workers,
    durationSeconds: duration,
    multiMetricShare: 0,
    parallelShare: 0,
    dashboardRate: 0,
  });
  const sextant: Record<string, SimulationReport> = {};
  for (const mode of modes) {
    process.stderr.write(`sextant ${mode}: ${workers} clients, ${duration} s…\n`);
    const run = await spawnedRun(
      {
        mode,
        ...(mode === 'distributed'
          ? { databaseUrl, redisUrl: option('redis-url', 'redis://127.0.0.1:6379'), freshDatabase: true, workers: 2 }
          : {}),
        env: profileEnv(option('profile', 'default')),
      },
      settings,
    );
    sextant[mode] = run.report;
    process.stderr.write(`sextant ${mode}: ${sextant[mode]!.summary.cyclesPerSecond} cycles/s\n`);
  }
  const result = {
    benchmark: 'service-peer',
    command: `npx tsx bench/service/peer-comparison.ts ${process.argv.slice(2).join(' ')}`.trim(),
    commit,
    machine: {
      cpus: `${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}`,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg().map((v) => Math.round(v * 100) / 100),
    },
    optuna,
    sextant,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const lines = [
    `# Peer comparison: Sextant vs Optuna (${new Date().toISOString().slice(0, 10)}, commit ${commit})`,
    '',
    `\`${result.command}\` — ${workers} concurrent loops for ${duration} s each, instant evaluations, load generator and both services on the same ${result.machine.cpus} machine (load average before ${loadBefore.join(' / ')}).`,
    '',
    '| system | cycles (trials)/s | p50 ms | p95 ms | p99 ms | errors | ratio to Optuna |',
    '|---|---|---|---|---|---|---|',
    `| Optuna ${optuna.optuna} RDBStorage (PostgreSQL), TPE, ${workers} processes | ${optuna.trials_per_second} | ${optuna.latency_ms.p50} | ${optuna.latency_ms.p95} | ${optuna.latency_ms.p99} | ${optuna.errors} | 1.00× |`,
    ...Object.entries(sextant).map(([mode, r]) => {
      const s = r.summary;
      return `| Sextant ${mode}, ${workers} clients | ${s.cyclesPerSecond} | ${s.cycleLatency.p50} | ${s.cycleLatency.p95} | ${s.cycleLatency.p99} | ${s.errors} | ${(s.cyclesPerSecond / optuna.trials_per_second).toFixed(2)}× |`;
    }),
    '',
  ];
  await writeFile(`${out}.md`, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

await main();
