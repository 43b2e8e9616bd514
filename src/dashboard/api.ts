/**
 * A small fetch wrapper for the SigOpt v1 API, used until the project's typed client (src/client)
 * is available to the dashboard. It sends the token exactly as every SigOpt client does (HTTP
 * Basic, token as user name, empty password), so the page sees what the token may see and no more.
 */

/** An error answer of the API (docs/api-compatibility.md#errors-and-status-codes), or `status: 0` when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValue = string | number | boolean | null | undefined;

/** The calls the dashboard makes; one instance per signed-in token. */
export interface Api {
  get<T>(path: string, query?: Readonly<Record<string, QueryValue>>, signal?: AbortSignal): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** Builds the wrapper for a token; `base` is the server's origin (same origin by default). */
export function createApi(token: string, base = ''): Api {
  const authorization = `Basic ${base64(`${token}:`)}`;
  async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'The Sextant server cannot be reached. Is it running?');
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new ApiError(res.status, `Unexpected answer from the server (HTTP ${res.status}).`);
    }
    if (!res.ok) {
      const message = (parsed as { message?: unknown } | null)?.message;
      throw new ApiError(res.status, typeof message === 'string' ? message : `HTTP ${res.status}`);
    }
    return parsed as T;
  }
  return {
    get: (path, query, signal) => call('GET', path + queryString(query), undefined, signal),
    put: (path, body) => call('PUT', path, body),
    post: (path, body) => call('POST', path, body),
  };
}

function queryString(query: Readonly<Record<string, QueryValue>> | undefined): string {
  if (!query) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
