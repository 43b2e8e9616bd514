import { readFile, writeFile } from 'node:fs/promises';
import { DEFAULT_SERVER_URL, PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { Command, Option } from '@commander-js/extra-typings';
import { SextantClient, SextantError } from '../client/index.ts';
import { CliError, resolveConnection, type ConnectionOptions } from './admin-api-client.ts';
import { exportCsv, exportExperiment, importExperiment } from './experiments/experiment-transfer.ts';

/**
 * `sextant experiments export|import`: move an experiment with its history between deployments
 * (or keep an archive). JSON round-trips; CSV is for spreadsheets and pandas.
 */
export function experimentsCommand() {
  const experiments = new Command('experiments')
    .description('Export an experiment with its observations (JSON or CSV), or import a JSON export into this server')
    .option('--url <url>', 'server URL', process.env.SEXTANT_URL ?? process.env.SIGOPT_API_URL ?? DEFAULT_SERVER_URL)
    .option('--token <token>', 'API token (default: SEXTANT_API_TOKEN, then <data-dir>/api-token)')
    .option('--data-dir <dir>', 'where `sextant serve` wrote its api-token file', process.env.SEXTANT_DATA_DIR ?? PROCESS_DEFAULTS.dataDir);

  const client = async () => {
    const c = await resolveConnection(experiments.opts() as ConnectionOptions);
    return new SextantClient({ url: c.url, token: c.token });
  };
  const run = (fn: () => Promise<void>) =>
    fn().catch((err: unknown) => {
      process.stderr.write(
        `sextant experiments: ${err instanceof CliError || err instanceof SextantError || err instanceof Error ? err.message : String(err)}\n`,
      );
      process.exitCode = 1;
    });

  experiments
    .command('export')
    .description('the experiment and its observations (assignments, values, failure, metadata)')
    .argument('<experiment-id>')
    .addOption(new Option('--format <format>', 'json (re-importable) or csv').choices(['json', 'csv'] as const).default('json' as const))
    .option('--output <file>', 'write here instead of stdout')
    .action((id, o) =>
      run(async () => {
        const exported = await exportExperiment(await client(), id);
        const text = o.format === 'csv' ? exportCsv(exported) : `${JSON.stringify(exported, null, 2)}\n`;
        if (o.output) await writeFile(o.output, text);
        else process.stdout.write(text);
        if (o.output) process.stderr.write(`exported experiment ${id} with ${exported.observations.length} observations to ${o.output}\n`);
      }),
    );

  experiments
    .command('import')
    .description('recreate an exported experiment (JSON) with its observations; prints the new id')
    .argument('<file>')
    .action((file) =>
      run(async () => {
        let data: unknown;
        try {
          data = JSON.parse(await readFile(file, 'utf8'));
        } catch (err) {
          throw new CliError(`cannot read ${file} as JSON: ${(err as Error).message}`);
        }
        const { experiment, observations } = await importExperiment(await client(), data);
        process.stdout.write(`imported experiment ${experiment.id} "${experiment.name}" with ${observations} observations\n`);
      }),
    );
  return experiments;
}
