import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SextantMetrics } from './sextant-metrics.ts';

/** The live settings request logging reads on every request (a memory read each). */
export interface RequestLogSettings {
  readonly successSampleRate: number;
  readonly clientErrorSampleRate: number;
  readonly slowRequestMs: number;
  readonly requestSizes: boolean;
}

/** Options of createRequestObserver. */
export interface RequestObserverOptions {
  readonly metrics?: SextantMetrics;
  /** Current values (called per request, so live changes apply to the next request). */
  settings(): RequestLogSettings;
  /**
   * Extra time a route may take by design before it counts as slow: suggestion creation waits up
   * to `suggestion.wait_ms` for the model, and the fallback share metric already reports that.
   */
  allowanceMs?(route: string): number;
  /** Uniform [0, 1); injected so sampling is exact in tests. Default Math.random. */
  random?(): number;
}

/** Called once per finished request with its route name. */
export type RequestObserver = (req: FastifyRequest, reply: FastifyReply, route: string) => void;

/**
 * Metrics for every request, one log line for some: server errors (`error`), slow requests
 * (`warn`), a sample of 4xx and a smaller sample of successes (`info`, with the `sample` rate so
 * counts can be scaled back). Lines carry the route name and numeric path ids, never the raw URL
 * or headers: URLs can hold project names and tokens, headers hold credentials.
 */
export function createRequestObserver(opts: RequestObserverOptions): RequestObserver {
  const random = opts.random ?? Math.random;
  return (req, reply, route) => {
    const ms = reply.elapsedTime;
    const status = reply.statusCode;
    const requestBytes = Number(req.headers['content-length'] ?? 0) || 0;
    const responseBytes = Number(reply.getHeader('content-length') ?? 0) || 0;
    opts.metrics?.observeRequest({ route, method: req.method, status, seconds: ms / 1000, requestBytes, responseBytes });

    const s = opts.settings();
    let level: 'error' | 'warn' | 'info';
    let sample = 1;
    if (status >= 500) level = 'error';
    else if (ms >= s.slowRequestMs + (opts.allowanceMs?.(route) ?? 0)) level = 'warn';
    else {
      level = 'info';
      sample = status >= 400 ? s.clientErrorSampleRate : s.successSampleRate;
      if (sample <= 0 || (sample < 1 && random() >= sample)) return;
    }
    const line: Record<string, unknown> = { route, method: req.method, status, ms: Math.round(ms * 10) / 10 };
    // The error catalog's code (docs/errors.md), set by the HTTP layer on every error response.
    const code = reply.getHeader('x-sextant-error-code');
    if (code !== undefined) line.code = String(code);
    const ids = numericParams(req.params);
    if (ids) line.ids = ids;
    if (sample < 1) line.sample = sample;
    if (s.requestSizes) {
      line.reqBytes = requestBytes;
      line.resBytes = responseBytes;
    }
    req.log[level](line, level === 'info' ? 'request' : level === 'warn' ? 'slow request' : 'request failed');
  };
}

/** Path parameters that are ids (digits only): useful to diagnose, never secret. */
function numericParams(params: unknown): Record<string, string> | null {
  if (!params || typeof params !== 'object') return null;
  let out: Record<string, string> | null = null;
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (typeof v === 'string' && /^\d{1,19}$/.test(v)) (out ??= {})[k] = v;
  }
  return out;
}
