import { Command } from '@commander-js/extra-typings';
import { adminCommand } from './admin-command.ts';
import { configCommand } from './config-command.ts';
import { experimentsCommand } from './experiments-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { optimizeCommand } from './optimize-command.ts';
import { serveCommand } from './serve-command.ts';
import { simulateCommand } from './simulate-command.ts';
import { workerCommand } from './worker-command.ts';

/** `sextant` — the one binary: serve, migrate (worker, simulate, config come with later issues). */
const program = new Command()
  .name('sextant')
  .description('Self-hosted Bayesian optimization service speaking the SigOpt v1 REST API')
  .version('0.1.0')
  .addCommand(serveCommand())
  .addCommand(simulateCommand())
  .addCommand(migrateCommand())
  .addCommand(configCommand())
  .addCommand(adminCommand())
  .addCommand(workerCommand())
  .addCommand(optimizeCommand())
  .addCommand(experimentsCommand());

await program.parseAsync(process.argv);
