import { Command } from '@commander-js/extra-typings';
import pino from 'pino';
import { port, positiveInt } from './cli-arguments.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import { deploymentSizing } from '../config/deployment-sizing.ts';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { startOptimizerWorker } from '../runtime/worker-process.ts';

/** `sextant worker`: an optimizer worker of a distributed deployment. */
export function workerCommand() {
  return new Command('worker')
    .description('Run an optimizer worker: consumes refresh jobs from Redis and fills candidate pools (distributed mode)')
    .option('--database-url <url>', 'PostgreSQL URL (postgres://…)', process.env.SEXTANT_DATABASE_URL)
    .option('--redis-url <url>', 'Redis URL (redis://…)', process.env.SEXTANT_REDIS_URL)
    .option('--redis-prefix <prefix>', 'key prefix shared with the API processes', process.env.SEXTANT_REDIS_PREFIX ?? PROCESS_DEFAULTS.redisPrefix)
    .option(
      '--concurrency <k>',
      'refresh jobs run at once (different experiments); default: the cores the API processes leave on this machine (docs/capacity.md "Sizing a deployment")',
      positiveInt,
      deploymentSizing().workerConcurrency,
    )
    .option('--engine-threads <n>', 'engine worker threads (default: --concurrency)', positiveInt)
    .option('--job-lock-ms <ms>', "job lease; a dead worker's job is retried elsewhere after about this long", positiveInt, PROCESS_DEFAULTS.jobLockMs)
    .option('--config <file>', 'JSON settings file')
    .option('--metrics-port <port>', 'serve /metrics, /ready and /health on this port (0: any free port); default: no listener', port)
    .option('--metrics-host <host>', 'interface of the metrics listener (no token: keep it private)', PROCESS_DEFAULTS.workerMetricsHost)
    .action(async (o) => {
      if (!o.databaseUrl || !o.redisUrl) {
        process.stderr.write('sextant worker needs --database-url and --redis-url (or SEXTANT_DATABASE_URL / SEXTANT_REDIS_URL)\n');
        process.exit(2);
      }
      const worker = await startOptimizerWorker({
        databaseUrl: o.databaseUrl,
        redisUrl: o.redisUrl,
        redisPrefix: o.redisPrefix,
        concurrency: o.concurrency,
        ...(o.engineThreads !== undefined ? { engineThreads: o.engineThreads } : {}),
        lockDurationMs: o.jobLockMs,
        ...(o.config ? { configFile: o.config } : {}),
        // JSON lines on stderr (stdout keeps the one human-readable readiness line).
        logDestination: pino.destination({ dest: 2, sync: false }),
        ...(o.metricsPort !== undefined ? { metricsPort: o.metricsPort, metricsHost: o.metricsHost } : {}),
      });
      const metrics = worker.metricsUrl ? `; metrics on ${worker.metricsUrl}/metrics` : '';
      process.stdout.write(
        `Sextant worker ${worker.id} is consuming refresh jobs (concurrency ${o.concurrency}, engine threads ${o.engineThreads ?? o.concurrency})${metrics}\n`,
      );
      stopOnSignals(
        (signal) => worker.logger.info({ signal }, 'finishing running jobs'),
        () => worker.close(),
      );
    });
}
