import { describe, expect, it } from 'vitest';
import { SextantApiError, SextantNetworkError, SextantTimeoutError } from './api-error.ts';
import { HttpTransport, parseRetryAfter, type FetchLike, type TransportOptions } from './http-transport.ts';

/** One scripted answer of the fake server: a status with a JSON body, or a thrown network error. */
type Step = { status: number; body?: unknown; headers?: Record<string, string> } | 'reset' | 'hang';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly body: string | undefined;
  readonly headers: Record<string, string>;
}

/** A fetch that answers the steps in order (then 200 `{}`), recording each request. */
function fakeFetch(steps: Step[]): { fetch: FetchLike; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ method: init.method, url, body: init.body, headers: init.headers });
    const step = steps.shift() ?? { status: 200, body: {} };
    if (step === 'reset') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    if (step === 'hang') {
      return new Promise<Response>((_, reject) =>
        init.signal.addEventListener('abort', () => reject(init.signal.reason ?? new Error('aborted'))),
      );
    }
    return new Response(step.body === undefined ? null : JSON.stringify(step.body), {
      status: step.status,
      headers: { 'content-type': 'application/json', ...step.headers },
    });
  };
  return { fetch, calls };
}

function transport(fetch: FetchLike, sleeps: number[], extra: Partial<TransportOptions> = {}): HttpTransport {
  let clock = 0;
  return new HttpTransport({
    url: 'http://sextant.test/',
    token: 'tok',
    fetch,
    random: () => 0.5,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    retry: { baseMs: 100, capMs: 1000 },
    ...extra,
  });
}

describe('HttpTransport', () => {
  it('sends Basic auth with the token as user, JSON bodies and comma-joined query lists', async () => {
    const { fetch, calls } = fakeFetch([{ status: 200, body: { id: '1' } }]);
    const t = transport(fetch, []);
    const body = await t.send({
      method: 'POST',
      path: '/v1/experiments',
      query: { id: ['1', '2'], limit: 5, skip: undefined },
      body: { name: 'x' },
    });
    expect(body).toEqual({ id: '1' });
    expect(calls[0]?.url).toBe('http://sextant.test/v1/experiments?id=1%2C2&limit=5');
    expect(calls[0]?.headers.authorization).toBe(`Basic ${btoa('tok:')}`);
    expect(calls[0]?.body).toBe('{"name":"x"}');
  });

  it('retries 429 after Retry-After plus full jitter, and 503 and other 5xx with full jitter alone', async () => {
    const { fetch, calls } = fakeFetch([
      { status: 429, body: { message: 'slow down', status: 429 }, headers: { 'retry-after': '2' } },
      { status: 503, body: {} },
      { status: 500, body: {} },
      { status: 200, body: { ok: true } },
    ]);
    const sleeps: number[] = [];
    await expect(transport(fetch, sleeps).send({ method: 'GET', path: '/v1/experiments' })).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(4);
    // random() = 0.5: half of min(cap, base·2^n) on top of the Retry-After floor.
    expect(sleeps).toEqual([2000 + 50, 100, 200]);
  });

  it('retries network errors and gives up after maxAttempts with the last error', async () => {
    const { fetch, calls } = fakeFetch(['reset', 'reset', 'reset']);
    const err = await transport(fetch, [], { retry: { maxAttempts: 3, baseMs: 100, capMs: 1000 } })
      .send({ method: 'GET', path: '/v1/experiments/1' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SextantNetworkError);
    expect((err as SextantNetworkError).status).toBe(0);
    expect((err as Error).message).toContain('ECONNRESET');
    expect(calls).toHaveLength(3);
  });

  it('stops retrying when the next wait would pass maxElapsedMs', async () => {
    const { fetch, calls } = fakeFetch([
      { status: 429, body: {}, headers: { 'retry-after': '20' } },
      { status: 429, body: {}, headers: { 'retry-after': '20' } },
    ]);
    const sleeps: number[] = [];
    const err = await transport(fetch, sleeps, { retry: { maxElapsedMs: 30_000 } })
      .send({ method: 'GET', path: '/v1/x' })
      .catch((e: unknown) => e);
    expect((err as SextantApiError).status).toBe(429);
    expect(calls).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('caps an absurd Retry-After at maxRetryAfterMs', async () => {
    const { fetch } = fakeFetch([{ status: 503, body: {}, headers: { 'retry-after': '86400' } }]);
    const sleeps: number[] = [];
    await transport(fetch, sleeps, { retry: { maxRetryAfterMs: 5000, maxElapsedMs: 60_000, baseMs: 100 } }).send({
      method: 'GET',
      path: '/v1/x',
    });
    expect(sleeps).toEqual([5000 + 50]);
  });

  it('does not retry 4xx answers and carries the server status and message', async () => {
    const { fetch, calls } = fakeFetch([{ status: 400, body: { message: 'Invalid limit: -1', status: 400 } }]);
    const err = (await transport(fetch, [])
      .send({ method: 'GET', path: '/v1/experiments', query: { limit: -1 } })
      .catch((e: unknown) => e)) as SextantApiError;
    expect(err).toBeInstanceOf(SextantApiError);
    expect(err.status).toBe(400);
    expect(err.message).toBe('Invalid limit: -1');
    expect(err.body).toEqual({ message: 'Invalid limit: -1', status: 400 });
    expect(err.request).toEqual({ method: 'GET', path: '/v1/experiments' });
    expect(calls).toHaveLength(1);
  });

  it('retry: false sends exactly once', async () => {
    const { fetch, calls } = fakeFetch([{ status: 503, body: {} }]);
    await expect(transport(fetch, []).send({ method: 'GET', path: '/v1/x' }, { retry: false })).rejects.toBeInstanceOf(SextantApiError);
    expect(calls).toHaveLength(1);
  });

  it('times an attempt out, then retries it', async () => {
    const { fetch, calls } = fakeFetch(['hang', { status: 200, body: { ok: 1 } }]);
    await expect(transport(fetch, []).send({ method: 'GET', path: '/v1/x' }, { timeoutMs: 20 })).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(2);
  });

  it('a timeout on the last attempt is a SextantTimeoutError', async () => {
    const { fetch } = fakeFetch(['hang']);
    const err = await transport(fetch, [])
      .send({ method: 'GET', path: '/v1/x' }, { timeoutMs: 20, retry: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SextantTimeoutError);
    expect((err as SextantTimeoutError).timeoutMs).toBe(20);
  });

  it('an AbortSignal cancels an attempt in flight with the signal’s reason and is not retried', async () => {
    const { fetch, calls } = fakeFetch(['hang']);
    const controller = new AbortController();
    const pending = transport(fetch, []).send({ method: 'GET', path: '/v1/x' }, { signal: controller.signal, timeoutMs: 0 });
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(calls).toHaveLength(1);
  });

  it('an AbortSignal during a retry wait stops the retries', async () => {
    const { fetch, calls } = fakeFetch([{ status: 503, body: {} }]);
    const controller = new AbortController();
    const t = new HttpTransport({
      url: 'http://sextant.test',
      fetch,
      sleep: async () => controller.abort(new Error('stop')),
    });
    await expect(t.send({ method: 'GET', path: '/v1/x' }, { signal: controller.signal })).rejects.toThrow('stop');
    expect(calls).toHaveLength(1);
  });

  it('204 (X-Response-Content: skip) is undefined; a non-JSON success is an error', async () => {
    const { fetch } = fakeFetch([{ status: 204 }]);
    await expect(transport(fetch, []).send({ method: 'DELETE', path: '/v1/x' })).resolves.toBeUndefined();
    const html: FetchLike = async () => new Response('<html>', { status: 200 });
    await expect(transport(html, []).send({ method: 'GET', path: '/v1/x' })).rejects.toThrow(/not JSON/);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', 0)).toBe(3);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
  });
});
