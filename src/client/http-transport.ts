import { backoffDelay } from '../common/backoff.ts';
import { SextantApiError, SextantError, SextantNetworkError, SextantTimeoutError, type RequestDescription } from './api-error.ts';

/** How often and how long a call is retried after 429, 5xx, network errors and timeouts. */
export interface RetryOptions {
  /** Attempts in total, the first one included (1 = never retry). */
  readonly maxAttempts: number;
  /** No retry starts if its wait would end later than this many ms after the first attempt. */
  readonly maxElapsedMs: number;
  /** Full-jitter schedule: the n-th wait is uniform in [0, min(capMs, baseMs·2^n)). */
  readonly baseMs: number;
  readonly capMs: number;
  /** A server's Retry-After is honoured up to this many ms (a misconfigured proxy cannot park us for hours). */
  readonly maxRetryAfterMs: number;
}

/** Defaults: 5 attempts within a minute, first retry within 200 ms, waits never above 5 s plus Retry-After. */
export const DEFAULT_RETRY: RetryOptions = Object.freeze({
  maxAttempts: 5,
  maxElapsedMs: 60_000,
  baseMs: 200,
  capMs: 5_000,
  maxRetryAfterMs: 30_000,
});

/** The fetch signature the client needs (the global fetch of Node 20 and browsers fits). */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<Response>;

/** Connection settings shared by every call of a client. */
export interface TransportOptions {
  /** Server root, e.g. `http://127.0.0.1:8080` (the client adds `/v1/…`). */
  readonly url: string;
  /** API token (sent as the Basic-auth user with an empty password, as SigOpt clients do). */
  readonly token?: string;
  /** Per-attempt time limit in ms (default 30 s); 0 disables it. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryOptions>;
  /** Injected for tests and special agents; default the global fetch. */
  readonly fetch?: FetchLike;
  /** Uniform [0, 1) source of the retry jitter (seeded in tests). */
  readonly random?: () => number;
  /** Waits between retries; injected so tests need no timers. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Millisecond clock for the retry time budget. */
  readonly now?: () => number;
  /** Extra headers on every request (e.g. a User-Agent in Node). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Per-call options every client method takes. */
export interface CallOptions {
  /** Cancels the call, including retry waits; the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /** Per-attempt time limit in ms for this call (overrides the client's). */
  readonly timeoutMs?: number;
  /** Retry settings for this call; false sends exactly once. */
  readonly retry?: Partial<RetryOptions> | false;
}

/** Query values: undefined is left out, arrays become comma lists (SigOpt's `id=1,2`). */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** One request as the resources describe it. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
}

/**
 * Runs before a failed write is sent again. It answers with what the server stored after all
 * (`{stored}`: the call returns it and nothing is resent) or 'resend'. It may throw to give up.
 */
export type ResendCheck<T> = (failure: SextantError, attempt: number) => Promise<{ readonly stored: T } | 'resend'>;

/** 429, any 5xx, network errors and timeouts are worth another attempt; other answers are final. */
export function isRetryable(error: unknown): error is SextantError {
  if (error instanceof SextantNetworkError || error instanceof SextantTimeoutError) return true;
  return error instanceof SextantApiError && (error.status === 429 || error.status >= 500);
}

/**
 * Parses Retry-After: delta seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

/**
 * The HTTP layer of the client: JSON over fetch, Basic auth, per-attempt timeouts, AbortSignal
 * and full-jitter retries that honour Retry-After within a bounded count and time. It has no
 * node: imports so the same code serves Node 20 and browsers.
 */
export class HttpTransport {
  private readonly base: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly retry: RetryOptions;
  private readonly fetchFn: FetchLike;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly opts: TransportOptions) {
    this.base = opts.url.replace(/\/+$/, '');
    this.headers = Object.freeze({
      accept: 'application/json',
      'content-type': 'application/json',
      ...(opts.token !== undefined ? { authorization: `Basic ${btoa(`${opts.token}:`)}` } : {}),
      ...opts.headers,
    });
    this.retry = Object.freeze({ ...DEFAULT_RETRY, ...opts.retry });
    this.fetchFn = opts.fetch ?? ((url, init) => fetch(url, init));
    this.sleep = opts.sleep ?? abortableSleep;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  /** The server root this transport talks to. */
  get url(): string {
    return this.base;
  }

  /**
   * Sends a request, retrying what is worth retrying. Before a resend, `resendCheck` (writes
   * that must not be stored twice) decides whether the lost attempt already took effect; a 429
   * skips the check because the server refused the request before handling it.
   */
  async send<T>(req: HttpRequest, call: CallOptions = {}, resendCheck?: ResendCheck<T>): Promise<T> {
    const retry: RetryOptions = call.retry === false ? { ...this.retry, maxAttempts: 1 } : { ...this.retry, ...call.retry };
    const started = this.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.once(req, call)) as T;
      } catch (error) {
        if (!isRetryable(error) || attempt + 1 >= retry.maxAttempts) throw error;
        const retryAfterMs =
          error instanceof SextantApiError && error.retryAfterSeconds !== undefined
            ? Math.min(retry.maxRetryAfterMs, error.retryAfterSeconds * 1000)
            : 0;
        // Retry-After is a floor; full jitter on top keeps clients told "1 second" from returning together.
        const wait = retryAfterMs + backoffDelay(attempt, retry, this.random);
        if (this.now() + wait - started > retry.maxElapsedMs) throw error;
        await this.sleep(wait, call.signal);
        if (call.signal?.aborted) throw call.signal.reason;
        if (resendCheck && error.status !== 429) {
          const verdict = await resendCheck(error, attempt);
          if (verdict !== 'resend') return verdict.stored;
        }
      }
    }
  }

  /** One attempt: throws SextantApiError / SextantNetworkError / SextantTimeoutError or the abort reason. */
  private async once(req: HttpRequest, call: CallOptions): Promise<unknown> {
    const description: RequestDescription = { method: req.method, path: req.path };
    const outer = call.signal;
    if (outer?.aborted) throw outer.reason;
    const controller = new AbortController();
    const timeoutMs = call.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;
    const onAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener('abort', onAbort, { once: true });
    try {
      let res: Response;
      let text: string;
      try {
        res = await this.fetchFn(this.base + req.path + queryString(req.query), {
          method: req.method,
          headers: this.headers,
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
          signal: controller.signal,
        });
        text = await res.text();
      } catch (cause) {
        if (outer?.aborted) throw outer.reason;
        if (timedOut) throw new SextantTimeoutError(timeoutMs, description);
        throw new SextantNetworkError(
          `${req.method} ${req.path}: no answer from ${this.base} (${describeCause(cause)})`,
          description,
          cause,
        );
      }
      return this.interpret(res, text, description);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    }
  }

  private interpret(res: Response, text: string, description: RequestDescription): unknown {
    let body: unknown = undefined;
    let parsed = true;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        parsed = false;
      }
    }
    if (res.ok) {
      // 204 answers X-Response-Content: skip; every other success is JSON (docs/api-compatibility.md#responses).
      if (res.status === 204 || text === '') return undefined;
      if (!parsed)
        throw new SextantApiError(
          res.status,
          `${description.method} ${description.path}: the server answered ${res.status} with a body that is not JSON`,
          description,
          body,
        );
      return body;
    }
    const serverMessage =
      typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
        ? (body as { message: string }).message
        : undefined;
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'), this.now());
    throw new SextantApiError(
      res.status,
      serverMessage ?? `HTTP ${res.status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`,
      description,
      body,
      retryAfter,
    );
  }
}

function queryString(query: HttpRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

/** undici hides the useful part (ECONNREFUSED, ECONNRESET) in `cause`. */
function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
