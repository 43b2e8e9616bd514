/**
 * Peer comparison (issues 5 and 11): Optuna (Debian's python3-optuna, ask/tell, N worker processes
 * with one study each) on its RDBStorage on the local PostgreSQL and on its journal storage in
 * Redis, against Sextant with N simulated clients doing the same loop (single-metric experiments,
 * one open suggestion, instant evaluations, no dashboard reads), in the same run on the same
 * machine. Sextant's rows show the suggestion p99 and the share of post-design suggestions that
 * were fresh. Writes bench/results/service-peer.json and .md.
 *   npx tsx bench/service/peer-comparison.ts [--workers 8] [--duration 30] [--modes embedded,distributed]
 *     [--database-url postgres://postgres@127.0.0.1:5432/test] [--redis-url redis://127.0.0.1:6379] [--profile default|high-load]
 *     [--sextant-workers 1]
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import pg from 'pg';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import { deleteRedisPrefix } from '../../src/sim/spawned-service.ts';

import { option, profileEnv, spawnedRun } from './bench-common.ts';

interface OptunaResult {
  readonly optuna: string;
  readonly storage: 'rdb' | 'journal-redis';
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

function runOptunaPeer(storage: string, workers: number, duration: number, extra: readonly string[] = []): OptunaResult {
  const r = spawnSync('/usr/bin/python3', ['bench/service/optuna_peer.py', '--storage', storage, '--workers', String(workers), '--duration', String(duration), ...extra], {
    encoding: 'utf8',
    timeout: (duration + 300) * 1000,
  });
  if (r.status !== 0) throw new Error(`optuna_peer.py failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as OptunaResult;
}

/** Optuna on RDBStorage in a database of its own (created and dropped here). */
async function runOptunaRdb(databaseUrl: string, workers: number, duration: number): Promise<OptunaResult> {
  const name = `optuna_peer_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await admin(databaseUrl, `CREATE DATABASE ${name}`);
  try {
    const u = new URL(databaseUrl);
    return runOptunaPeer(`postgresql+psycopg2://${u.username || 'postgres'}@${u.hostname}:${u.port || '5432'}/${name}`, workers, duration);
  } finally {
    await admin(databaseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

/** Optuna on its journal storage in Redis, under a key prefix of its own (emptied here). */
async function runOptunaRedis(redisUrl: string, workers: number, duration: number): Promise<OptunaResult> {
  const prefix = `optuna-peer-${Date.now()}-${randomBytes(3).toString('hex')}:`;
  try {
    return runOptunaPeer(redisUrl, workers, duration, ['--redis-prefix', prefix]);
  } finally {
    await deleteRedisPrefix(redisUrl, prefix);
  }
}

async function main(): Promise<void> {
  const workers = Number(option('workers', '8'));
  const duration = Number(option('duration', '30'));
  const databaseUrl = option('database-url', 'postgres://postgres@127.0.0.1:5432/test');
  const redisUrl = option('redis-url', 'redis://127.0.0.1:6379');
  const modes = option('modes', 'embedded,distributed').split(',') as ('embedded' | 'distributed')[];
  const sextantWorkers = Number(option('sextant-workers', '1'));
  const out = option('out', 'bench/results/service-peer');
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const loadBefore = loadavg().map((v) => Math.round(v * 100) / 100);
  const optuna: OptunaResult[] = [];
  for (const [what, run] of [
    ['RDBStorage', () => runOptunaRdb(databaseUrl, workers, duration)],
    ['journal storage in Redis', () => runOptunaRedis(redisUrl, workers, duration)],
  ] as const) {
    process.stderr.write(`optuna ${what}: ${workers} workers, ${duration} s…\n`);
    const r = await run();
    optuna.push(r);
    process.stderr.write(`optuna ${what}: ${r.trials_per_second} trials/s, p99 ${r.latency_ms.p99} ms\n`);
  }
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
        ...(mode === 'distributed' ? { databaseUrl, redisUrl, freshDatabase: true, workers: sextantWorkers } : {}),
        env: profileEnv(option('profile', 'default')),
      },
      settings,
    );
    sextant[mode] = run.report;
    process.stderr.write(`sextant ${mode}: ${sextant[mode]!.summary.cyclesPerSecond} cycles/s, fresh ${sextant[mode]!.sourceMix.freshShare}\n`);
  }
  const [rdb, journal] = optuna as [OptunaResult, OptunaResult];
  const result = {
    benchmark: 'service-peer',
    command: `npx tsx bench/service/peer-comparison.ts ${process.argv.slice(2).join(' ')}`.trim(),
    commit,
    machine: {
      cpus: `${cpus()[0]?.model.trim() ?? 'unknown'} × ${cpus().length}`,
      loadAverageBefore: loadBefore,
      loadAverageAfter: loadavg().map((v) => Math.round(v * 100) / 100),
    },
    optuna: rdb,
    optunaJournalRedis: journal,
    sextant,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.json`, `${JSON.stringify(result, null, 2)}\n`);
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
  const optunaRow = (r: OptunaResult, what: string) =>
    `| Optuna ${r.optuna} ${what}, TPE, ${workers} processes | ${r.trials_per_second} | ${r.latency_ms.p50} | ${r.latency_ms.p99} | — | — | ${r.errors} | ${(r.trials_per_second / rdb.trials_per_second).toFixed(2)}× | ${(r.trials_per_second / journal.trials_per_second).toFixed(2)}× |`;
  const lines = [
    `# Peer comparison: Sextant vs Optuna (${new Date().toISOString().slice(0, 10)}, commit ${commit})`,
    '',
    `\`${result.command}\` — ${workers} concurrent loops for ${duration} s each, instant evaluations, load generator and all services on the same ${result.machine.cpus} machine (load average before ${loadBefore.join(' / ')}). Sextant distributed runs 1 API process and ${sextantWorkers} worker process(es). Cycle = suggestion + observation (Optuna: ask + tell). "fresh" = post-design suggestions whose model had every stored observation.`,
    '',
    '| system | cycles (trials)/s | cycle p50 ms | cycle p99 ms | suggestion p99 ms | fresh | errors | × Optuna RDB | × Optuna journal/Redis |',
    '|---|---|---|---|---|---|---|---|---|',
    optunaRow(rdb, 'RDBStorage (PostgreSQL)'),
    optunaRow(journal, 'JournalRedisStorage'),
    ...Object.entries(sextant).map(([mode, r]) => {
      const s = r.summary;
      const suggestP99 = r.endpoints['suggestion.create']?.latency.p99 ?? null;
      return `| Sextant ${mode}, ${workers} clients | ${s.cyclesPerSecond} | ${s.cycleLatency.p50} | ${s.cycleLatency.p99} | ${suggestP99 ?? '—'} | ${pct(r.sourceMix.freshShare)} | ${s.errors} | ${(s.cyclesPerSecond / rdb.trials_per_second).toFixed(2)}× | ${(s.cyclesPerSecond / journal.trials_per_second).toFixed(2)}× |`;
    }),
    '',
  ];
  await writeFile(`${out}.md`, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

await main();
