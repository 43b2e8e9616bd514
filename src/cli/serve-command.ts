import cluster from 'node:cluster';
import { nonNegativeInt, port, positiveInt } from './cli-arguments.ts';
import { stopOnSignals } from './stop-on-signals.ts';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Command } from '@commander-js/extra-typings';
import { InvalidSettingError } from '../config/setting-definition.ts';
import { startServer } from '../runtime/api-process.ts';
import { PROCESS_DEFAULTS } from '../config/settings-registry.ts';
import { readApiToken } from '../runtime/first-start.ts';
import { runApiCluster } from './api-cluster.ts';
import { deploymentSizing } from '../config/deployment-sizing.ts';
import { serveClusterMetrics } from '../observability/cluster-metrics.ts';

/** `sextant serve`: the API server, embedded PGlite unless --database-url is given. */
export function serveCommand() {
  return new Command('serve')
    .description('Run the API server (embedded PostgreSQL in --data-dir unless --database-url is given)')
    .option('--host <host>', 'address to listen on', PROCESS_DEFAULTS.host)
    .option('--port <port>', 'port to listen on', port, PROCESS_DEFAULTS.port)
    .option('--data-dir <dir>', 'embedded database and token files', process.env.SEXTANT_DATA_DIR ?? PROCESS_DEFAULTS.dataDir)
    .option('--database-url <url>', 'PostgreSQL URL (postgres://…) instead of the embedded database', process.env.SEXTANT_DATABASE_URL)
    .option('--redis-url <url>', 'Redis URL (redis://…): distributed mode, the engine runs in `sextant worker` processes', process.env.SEXTANT_REDIS_URL)
    .option('--redis-prefix <prefix>', 'Redis key prefix shared with the workers of this deployment', process.env.SEXTANT_REDIS_PREFIX)
    // No defaults below: an unset flag must not hide the config file or SEXTANT_* environment (docs/configuration.md).
    .option('--config <file>', 'JSON settings file ({"suggestion.wait_ms": 500, …})', process.env.SEXTANT_CONFIG)
    .option('--engine-threads <n>', 'optimizer worker threads (setting engine.threads)', positiveInt)
    .option('--suggestion-wait-ms <ms>', 'how long a suggestion waits for the model before a fallback point (setting suggestion.wait_ms)', nonNegativeInt)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (setting log.level)')
    .option(
      '--processes <n>',
      `API processes sharing the port (node:cluster; needs --database-url and --redis-url); SIGHUP rolls them (default: 1 embedded, ${deploymentSizing().apiProcesses} distributed on this machine, docs/capacity.md "Sizing a deployment")`,
      positiveInt,
    )
    .action(async (o) => {
      const processes = o.processes ?? (o.databaseUrl && o.redisUrl ? deploymentSizing().apiProcesses : 1);
      if (processes > 1 && cluster.isPrimary) {
        if (!o.databaseUrl || !o.redisUrl) {
          process.stderr.write('sextant serve: --processes > 1 needs --database-url and --redis-url (API processes share nothing else)\n');
          process.exit(2);
        }
        serveClusterMetrics();
        await runApiCluster({ processes, log: (line) => process.stdout.write(`${line}\n`) });
        return;
      }
      const started = Date.now();
      const server = await startServer({
        host: o.host,
        port: o.port,
        dataDir: o.dataDir,
        ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
        ...(o.redisUrl ? { redisUrl: o.redisUrl } : {}),
        ...(o.redisPrefix ? { redisPrefix: o.redisPrefix } : {}),
        ...(process.env.SEXTANT_API_TOKEN ? { apiToken: process.env.SEXTANT_API_TOKEN } : {}),
        ...(o.config ? { configFile: o.config } : {}),
        settings: {
          ...(o.engineThreads !== undefined ? { 'engine.threads': o.engineThreads } : {}),
          ...(o.suggestionWaitMs !== undefined ? { 'suggestion.wait_ms': o.suggestionWaitMs } : {}),
        },
        logger: o.logLevel !== undefined ? { level: o.logLevel } : true,
      }).catch((err: unknown) => {
        // A malformed setting names its file or variable; a stack trace would only hide that.
        if (!(err instanceof InvalidSettingError)) throw err;
        process.stderr.write(`sextant serve: ${err.message}\n`);
        process.exit(2);
      });
      const token = server.createdApiToken ?? (o.databaseUrl ? null : await readApiToken(o.dataDir));
      const where = (o.databaseUrl ? 'PostgreSQL' : `embedded PostgreSQL in ${o.dataDir}`) + (o.redisUrl ? ' + Redis, distributed mode' : '');
      process.stdout.write(`Sextant is listening on ${server.url} (${where}), ready in ${Date.now() - started} ms\n`);
      if (server.createdApiToken) {
        const saved = o.databaseUrl ? 'shown only now: store it safely' : `saved to ${o.dataDir}/api-token, mode 0600`;
        process.stdout.write(`First start: created a team and its API token (${saved}):\n`);
      }
      if (token) {
        process.stdout.write(`  SIGOPT_API_URL=${server.url}\n  SIGOPT_API_TOKEN=${token}\n`);
        if (server.developmentToken) process.stdout.write(`  development token: ${server.developmentToken}\n`);
      }
      stopOnSignals(
        (signal) => process.stdout.write(`${signal}: finishing in-flight requests and closing the database…\n`),
        async () => {
          if (cluster.isWorker) await drainConnections(server.app.server);
          await server.close();
        },
      );
    });
}

/**
 * Rolling restart of a cluster process: stop accepting connections (the primary routes new ones to
 * the other processes), answer requests still arriving on open keep-alive connections with
 * `Connection: close` so clients reconnect to the other processes, and close the app only when
 * the connections are gone (or after `maxMs`). Closing the app at once would answer those requests
 * with 503 while the replacement is already serving. Idle sockets are closed sparingly: a client
 * may be writing a request on one at that very moment (the usual keep-alive race).
 */
async function drainConnections(http: Server, maxMs = 10_000): Promise<void> {
  http.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  });
  await new Promise<void>((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      http.closeIdleConnections();
      if (Date.now() - started > maxMs) {
        clearInterval(timer);
        resolve();
      }
    }, 1000);
    http.close(() => {
      clearInterval(timer);
      resolve();
    });
  });
}
