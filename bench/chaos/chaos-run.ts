/**
 * The fault campaign of issue 7 as a program (results: bench/results/chaos.{json,md}).
 *
 *   npx tsx bench/chaos/chaos-run.ts [--duration 75] [--clients 8] [--experiments 3]
 *                                    [--postgres-down 5] [--redis-down 2] [--out bench/results]
 *                                    [--fleet-log FILE]   (the fleet's output; written anyway on failure)
 *
 * Starts a private PostgreSQL and Redis (never the machine's shared ones), `sextant serve
 * --processes 2` and 2 `sextant worker`s, runs the clients, injects the four faults mid-run,
 * checks the database and writes the results. Progress lines go to stderr. Exit code 1 when an
 * invariant failed. Needs initdb/pg_ctl (PostgreSQL server binaries) and redis-server.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runChaosCampaign } from './chaos-campaign.ts';
import { FULL_CAMPAIGN } from './chaos-options.ts';
import { renderChaosMarkdown } from './chaos-report.ts';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string' },
    clients: { type: 'string' },
    experiments: { type: 'string' },
    'postgres-down': { type: 'string' },
    'redis-down': { type: 'string' },
    out: { type: 'string', default: 'bench/results' },
    'fleet-log': { type: 'string' },
  },
});

function positive(v: string | undefined, name: string, fallback: number, scale = 1): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new Error(`--${name} must be a positive number, got ${v}`);
  return Math.round(n * scale);
}

const options = Object.freeze({
  ...FULL_CAMPAIGN,
  durationMs: positive(args.duration, 'duration', FULL_CAMPAIGN.durationMs, 1000),
  clients: positive(args.clients, 'clients', FULL_CAMPAIGN.clients),
  experiments: positive(args.experiments, 'experiments', FULL_CAMPAIGN.experiments),
  postgresDownMs: positive(args['postgres-down'], 'postgres-down', FULL_CAMPAIGN.postgresDownMs, 1000),
  redisDownMs: positive(args['redis-down'], 'redis-down', FULL_CAMPAIGN.redisDownMs, 1000),
});

const result = await runChaosCampaign(options, (line) => process.stderr.write(`${line}\n`));
let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
} catch {
  // not a checkout
}
const environment = `Commit ${commit}, Node ${process.version}, ${cpus().length} cores (load average ${loadavg()[0]?.toFixed(1)} at the end; shared machine).`;
const commandLine = `npx tsx bench/chaos/chaos-run.ts ${process.argv.slice(2).join(' ')}`.trim();
await mkdir(args.out, { recursive: true });
const { fleetLog, ...results } = result;
await writeFile(join(args.out, 'chaos.json'), `${JSON.stringify({ commit, commandLine, ...results }, null, 2)}\n`);
const logFile = args['fleet-log'] ?? (result.passed ? null : join(args.out, 'chaos-fleet.log'));
if (logFile) {
  await writeFile(logFile, fleetLog);
  process.stderr.write(`the fleet's output is in ${logFile}\n`);
}
await writeFile(join(args.out, 'chaos.md'), renderChaosMarkdown(result, commandLine, environment));
process.stderr.write(`wrote ${join(args.out, 'chaos.json')} and chaos.md\n`);
process.exitCode = result.passed ? 0 : 1;
