import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino replaces with "[redacted]" wherever they occur in a log object. Request lines never
 * carry headers or raw URLs in the first place (see request-observer.ts); this is the second
 * line of defence for objects someone logs later (a request, a principal, a config object).
 */
export const REDACTED_PATHS: readonly string[] = Object.freeze([
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.authorization',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'api_token',
  '*.api_token',
  'password',
  '*.password',
  'principal.value',
  '*.principal.value',
  'databaseUrl',
  '*.databaseUrl',
]);

/** Options of createLogger. */
export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; default stdout through pino's asynchronous SonicBoom writer. */
  readonly destination?: DestinationStream;
  /** Told the byte count of every written line (feeds sextant_log_bytes_total). */
  onBytes?(bytes: number): void;
}

/**
 * The process logger: structured JSON lines (pino), secrets redacted, no hostname/pid in every line
 * (they are the same for the whole stream and cost bytes at scale; the collector adds them).
 */
export function createLogger(opts: LoggerOptions): Logger {
  const target = opts.destination ?? pino.destination({ dest: 1, sync: false });
  const onBytes = opts.onBytes;
  const stream: DestinationStream = onBytes
    ? {
        write(line: string) {
          onBytes(Buffer.byteLength(line));
          return target.write(line);
        },
      }
    : target;
  return pino(
    {
      level: opts.level,
      base: null,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.epochTime,
    },
    stream,
  );
}
