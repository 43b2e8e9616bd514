import { Agent, request } from 'node:http';
import { type BackoffPolicy, backoffDelay } from '../common/backoff.ts';

/** One answered (or failed) request. status 0 = no response (network error), -1 = timed out. */
export interface SimResponse {
  readonly status: number;
  readonly body: unknown;
  readonly ms: number;
  /** Retry-After header in seconds, when the server sent one (429, 503). */
  readonly retryAfter?: number;
}

/** Options of {@link SimHttpClient}. */
export interface SimHttpClientOptions {
  readonly url: string;
  readonly token: string;
  /** Sockets kept open (one per simulated client is what real clients do). */
  readonly maxSockets: number;
  /** Per-request time limit (ms); a request that outlives it counts as a timeout. */
  readonly timeoutMs: number;
  /** Monotonic ms clock for latency measurement. */
  readonly now: () => number;
  /** Opt-in retries for {@link SimHttpClient.sendWithRetry}; without it that method sends once. */
  readonly retry?: SimRetryPolicy;
}

/** When and how long {@link SimHttpClient.sendWithRetry} retries. */
export interface SimRetryPolicy {
  /** Full-jitter exponential schedule (src/common/backoff.ts). */
  readonly backoff: BackoffPolicy;
  /** Attempts in total, first one included. */
  readonly maxAttempts: number;
  /** Uniform [0, 1) source of the jitter (seeded in tests and benchmarks). */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Per-call hooks of {@link SimHttpClient.sendWithRetry}. */
export interface SendWithRetryOptions {
  /** Sees every attempt's answer (503 counts, outage latency). */
  onAttempt?(response: SimResponse, attempt: number): void;
  /**
   * Runs before each retry of a failed attempt. A non-retry-safe request (an observation POST:
   * the SigOpt API has no idempotency key) checks here whether the lost attempt was committed
   * after all, and returns the answer to use instead of retrying; undefined retries.
   */
  beforeRetry?(failed: SimResponse, attempt: number): Promise<SimResponse | undefined>;
}

/** 429, 5xx, no answer (0) and timeouts (-1) are worth retrying; other statuses are final. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500 || status <= 0;
}

/**
 * A lean JSON client for the load generator. It uses node:http with a keep-alive agent instead of
 * fetch: the generator shares the machine with the server it measures, and undici's fetch costs
 * noticeably more CPU per request, which would be taken from the server. Requests carry exactly
 * what the official python client sends (Basic auth with the token as user, JSON body, JSON content
 * type on every request). Only http:// targets are supported (a simulator talks to a local or
 * private-network service).
 */
export class SimHttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly opts: SimHttpClientOptions) {
    const u = new URL(opts.url);
    if (u.protocol !== 'http:') throw new Error(`only http:// URLs are supported, got ${opts.url}`);
    this.host = u.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(u.port || 80);
    this.basePath = u.pathname.replace(/\/$/, '');
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets });
    this.headers = Object.freeze({
      authorization: `Basic ${Buffer.from(`${opts.token}:`).toString('base64')}`,
      'content-type': 'application/json',
      'user-agent': 'sextant-simulate/0.1 (sigopt-python/8.8.3 compatible)',
    });
  }

  /** Sends one request; never throws (failures come back as status 0 or -1). */
  send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<SimResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = this.opts.now();
    return new Promise((resolve) => {
      let settled = false;
      const done = (r: Omit<SimResponse, 'ms'>) => {
        if (settled) return;
        settled = true;
        resolve({ ...r, ms: this.opts.now() - started });
      };
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path: this.basePath + path,
          agent: this.agent,
          headers: payload === undefined ? this.headers : { ...this.headers, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => done({ status: 0, body: null }));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = null;
            try {
              parsed = text === '' ? null : JSON.parse(text);
            } catch {
              parsed = text;
            }
            const ra = Number(res.headers['retry-after']);
            done({ status: res.statusCode ?? 0, body: parsed, ...(Number.isFinite(ra) && ra >= 0 ? { retryAfter: ra } : {}) });
          });
        },
      );
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy();
        done({ status: -1, body: null });
      });
      req.on('error', () => done({ status: 0, body: null }));
      req.end(payload);
    });
  }

  /**
   * Sends, and with the client's `retry` policy retries 429/5xx/network failures after a
   * full-jitter backoff delay (added to the server's Retry-After, if any), up to `maxAttempts`.
   * Returns the last answer; `attempts` says how many were made.
   */
  async sendWithRetry(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    hooks: SendWithRetryOptions = {},
  ): Promise<SimResponse & { readonly attempts: number }> {
    const policy = this.opts.retry;
    const maxAttempts = policy?.maxAttempts ?? 1;
    const sleep = policy?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      const r = await this.send(method, path, body);
      hooks.onAttempt?.(r, attempt);
      if (!policy || !isRetryableStatus(r.status) || attempt + 1 >= maxAttempts) return { ...r, attempts: attempt + 1 };
      const jitter = backoffDelay(attempt, policy.backoff, policy.random);
      // Retry-After is a floor; the jitter on top keeps clients told the same second apart.
      await sleep(Math.min(10_000, (r.retryAfter ?? 0) * 1000) + jitter);
      const resolved = await hooks.beforeRetry?.(r, attempt);
      if (resolved) return { ...resolved, attempts: attempt + 1 };
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}
