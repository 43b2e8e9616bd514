import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { InvalidSettingError } from '../config/setting-definition.ts';
import { DEFAULTS, readApiToken, startServer } from '../server/sextant-server.ts';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/** `sextant serve`: the API server, embedded PGlite unless --database-url is given. */
export function serveCommand() {
  return new Command('serve')
    .description('Run the API server (embedded PostgreSQL in --data-dir unless --database-url is given)')
    .option('--host <host>', 'address to listen on', DEFAULTS.host)
    .option('--port <port>', 'port to listen on', port, DEFAULTS.port)
    .option('--data-dir <dir>', 'embedded database and token files', process.env.SEXTANT_DATA_DIR ?? DEFAULTS.dataDir)
    .option('--database-url <url>', 'PostgreSQL URL (postgres://…) instead of the embedded database', process.env.SEXTANT_DATABASE_URL)
    .option('--redis-url <url>', 'Redis URL (redis://…): distributed mode, the engine runs in `sextant worker` processes', process.env.SEXTANT_REDIS_URL)
    .option('--redis-prefix <prefix>', 'Redis key prefix shared with the workers of this deployment', process.env.SEXTANT_REDIS_PREFIX)
    // No defaults below: an unset flag must not hide the config file or SEXTANT_* environment (docs/configuration.md).
    .option('--config <file>', 'JSON settings file ({"suggestion.wait_ms": 500, …})', process.env.SEXTANT_CONFIG)
    .option('--engine-threads <n>', 'optimizer worker threads (setting engine.threads)', positiveInt)
    .option('--suggestion-wait-ms <ms>', 'how long a suggestion waits for the model before a fallback point (setting suggestion.wait_ms)', positiveInt)
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (setting log.level)')
    .action(async (o) => {
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
        ...(o.engineThreads !== undefined ? { engineThreads: o.engineThreads } : {}),
        ...(o.suggestionWaitMs !== undefined ? { suggestionWaitMs: o.suggestionWaitMs } : {}),
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
        process.stdout.write(`First start: created a team and its API token (saved to ${o.dataDir}/api-token, mode 0600):\n`);
      }
      if (token) {
        process.stdout.write(`  SIGOPT_API_URL=${server.url}\n  SIGOPT_API_TOKEN=${token}\n`);
        if (server.developmentToken) process.stdout.write(`  development token: ${server.developmentToken}\n`);
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        process.stdout.write(`${signal}: finishing in-flight requests and closing the database…\n`);
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`shutdown failed: ${String(err)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
