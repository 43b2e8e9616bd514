import { mkdtemp, rm } from 'node:fs/promises';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { SextantClient, SextantError } from '../client/index.ts';
import { CliError, resolveConnection } from './admin-api-client.ts';
import { positiveInt } from './cli-arguments.ts';
import { readExperimentFile } from './optimize/experiment-file.ts';
import { bestTable, createOptimizeProgress } from './optimize/optimize-progress.ts';
import { runOptimize } from './optimize/optimize-run.ts';

const HELP_AFTER = `
The command after -- is run once per suggestion. It receives the assignments as
  {name} placeholders in its arguments          --lr {learning_rate}
  SEXTANT_PARAM_<NAME> environment variables    SEXTANT_PARAM_LEARNING_RATE=0.01
  a JSON file named by SEXTANT_ASSIGNMENTS_FILE {"learning_rate": 0.01, ...}
and reports its metrics in its last line of output, as JSON ({"accuracy": 0.91}) or
name=value pairs (accuracy=0.91 loss=0.3), or as JSON written to SEXTANT_METRICS_FILE.
A non-zero exit, a --timeout or missing metrics record a failed observation, with the
reason in the observation's metadata (failure_reason). Ctrl-C stops the running
evaluations and deletes their suggestions; --resume <id> continues later.

Without --url (or SEXTANT_URL / SIGOPT_API_URL) it starts an embedded server in --data-dir.

Example:
  sextant optimize --experiment exp.yml --parallel 2 -- python train.py --lr {lr} --depth {depth}
See docs/optimize.md.`;

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

/** `sextant optimize`: tunes any command against a running or an embedded server. */
export function optimizeCommand() {
  return new Command('optimize')
    .description('Tune a command: run it for each suggestion and report the metrics it prints (docs/optimize.md)')
    .argument('<command...>', 'the command to tune, after --, with {name} placeholders')
    .option('--experiment <file>', 'experiment file (YAML or JSON): name, parameters, metrics, conditionals, linear_constraints, budget')
    .option('--resume <experiment-id>', 'continue this experiment instead of creating one')
    .option('--parallel <n>', 'evaluations at once (a new experiment gets parallel_bandwidth N)', positiveInt, 1)
    .option('--budget <n>', 'observations to reach (overrides the file’s budget)', positiveInt)
    .option('--timeout <seconds>', 'kill an evaluation after this long and record it as failed', seconds)
    .option('--url <url>', 'server URL (default: SEXTANT_URL, SIGOPT_API_URL, else an embedded server)')
    .option('--token <token>', 'API token (default: SEXTANT_API_TOKEN, then <data-dir>/api-token)')
    .option(
      '--data-dir <dir>',
      'the embedded server’s data directory (and where its api-token file is)',
      process.env.SEXTANT_DATA_DIR ?? PROCESS_DEFAULTS.dataDir,
    )
    .addHelpText('after', HELP_AFTER)
    .action(async (command, o) => {
      try {
        process.exitCode = await optimize(command, o);
      } catch (err) {
        const message =
          err instanceof CliError || err instanceof SextantError
            ? err.message
            : err instanceof Error
              ? (err.stack ?? err.message)
              : String(err);
        process.stderr.write(`sextant optimize: ${message}\n`);
        process.exitCode = 1;
      }
    });
}

interface OptimizeFlags {
  experiment?: string;
  resume?: string;
  parallel: number;
  budget?: number;
  timeout?: number;
  url?: string;
  token?: string;
  dataDir: string;
}

async function optimize(command: string[], o: OptimizeFlags): Promise<number> {
  if (command.length === 0) throw new CliError('give the command to tune after --');
  if (!o.experiment === !o.resume) throw new CliError('give exactly one of --experiment <file> and --resume <experiment-id>');
  const create = o.experiment ? await readExperimentFile(o.experiment) : null;
  const url = o.url ?? process.env.SEXTANT_URL ?? process.env.SIGOPT_API_URL;
  const server = url ? null : await startEmbedded(o.dataDir);
  const workRoot = await mkdtemp(join(tmpdir(), 'sextant-optimize-'));
  const cancel = new AbortController();
  const progress = createOptimizeProgress(process.stderr, create?.metrics?.length === 1 ? metricName(create.metrics[0]) : null);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (++signals > 1) process.exit(130);
    progress.note(`${signal}: stopping the running evaluations and deleting their suggestions (again to quit at once)…`);
    cancel.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const connection =
      server ?? (await resolveConnection({ url: url!, ...(o.token !== undefined ? { token: o.token } : {}), dataDir: o.dataDir }));
    const client = new SextantClient({ url: connection.url, token: connection.token, headers: { 'user-agent': 'sextant-optimize/0.1' } });
    const result = await runOptimize({
      client,
      command,
      experiment: create ? { create } : { resume: o.resume! },
      parallel: o.parallel,
      ...(o.budget !== undefined ? { budget: o.budget } : {}),
      ...(o.timeout !== undefined ? { timeoutSeconds: o.timeout } : {}),
      signal: cancel.signal,
      progress,
      workRoot,
    });
    progress.close();
    const count = result.experiment.progress?.observation_count ?? 0;
    process.stdout.write(
      `${result.cancelled ? 'Stopped' : 'Done'}: experiment ${result.experiment.id}, ${count}/${result.experiment.observation_budget ?? '?'} observations (${result.completed} in this run, ${result.failed} failed).\n`,
    );
    process.stdout.write(bestTable(result.best));
    if (result.cancelled)
      process.stdout.write(
        `Continue with: sextant optimize --resume ${result.experiment.id}${url ? ` --url ${url}` : ''} -- ${command.join(' ')}\n`,
      );
    return result.cancelled ? 130 : 0;
  } finally {
    progress.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await rm(workRoot, { recursive: true, force: true });
    await server?.close();
  }
}

function metricName(m: unknown): string | null {
  return typeof m === 'string'
    ? m
    : typeof m === 'object' && m !== null && typeof (m as { name?: unknown }).name === 'string'
      ? (m as { name: string }).name
      : null;
}

/** An embedded server on a free local port, so tuning a script is one command on a fresh machine. */
async function startEmbedded(dataDir: string): Promise<{ url: string; token: string; close(): Promise<void> }> {
  // Loaded only here: against a remote server the command needs nothing but the client.
  const { startServer } = await import('../runtime/api-process.ts');
  const { readApiToken } = await import('../runtime/first-start.ts');
  const server = await startServer({ host: '127.0.0.1', port: 0, dataDir, logger: false }).catch((err: unknown) => {
    throw new CliError(
      `cannot start an embedded server in ${dataDir} (${err instanceof Error ? err.message : String(err)}); if \`sextant serve\` is using it, pass --url`,
    );
  });
  const token = server.createdApiToken ?? (await readApiToken(dataDir));
  if (!token) {
    await server.close();
    throw new CliError(`no API token in ${dataDir}/api-token`);
  }
  process.stderr.write(
    `Embedded server on ${server.url} (data in ${dataDir}; \`sextant serve --data-dir ${dataDir}\` shows the results later)\n`,
  );
  return { url: server.url, token, close: () => server.close() };
}
