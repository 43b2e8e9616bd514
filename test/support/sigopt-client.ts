/**
 * Emulates exactly what the official `sigopt` Python client sends (its request driver): HTTP
 * Basic with the token as user name and an empty password, `Content-Type: application/json` on
 * every request, a `sigopt-python/…` User-Agent, GET/DELETE parameters in the query string with
 * lists and dicts JSON-encoded and booleans as `True`/`False`, POST/PUT parameters as a JSON body,
 * and `iterate_pages()` following `paging.before` until it is null.
 */
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class SigoptClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly userAgent = 'sigopt-python/8.8.3',
  ) {}

  async request<T = any>(method: string, path: string, data?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    let target = `${this.url}${path}`;
    let body: string | undefined;
    if (method === 'GET' || method === 'DELETE') {
      const qs = serializeParams(data ?? {});
      if (qs) target += `?${qs}`;
    } else {
      body = JSON.stringify(data ?? {});
    }
    const res = await fetch(target, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${this.token}:`).toString('base64')}`,
        'content-type': 'application/json',
        'user-agent': this.userAgent,
        'x-sigopt-python-version': '8.8.3',
        ...headers,
      },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers };
  }

  /** Like the client's `iterate_pages()`: all items of a list, newest first. */
  async iteratePages<T = any>(path: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const out: T[] = [];
    let before: string | null = null;
    for (let i = 0; i < 10_000; i++) {
      const res: ApiResponse = await this.request('GET', path, { ...params, ...(before !== null ? { before } : {}) });
      if (res.status !== 200) throw new Error(`iteratePages ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      out.push(...(res.body.data as T[]));
      before = res.body.paging.before;
      if (before === null) return out;
    }
    throw new Error('iteratePages did not terminate');
  }
}

function serializeParams(params: Record<string, unknown>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object') qs.set(k, JSON.stringify(v));
    else if (typeof v === 'boolean') qs.set(k, v ? 'True' : 'False');
    else qs.set(k, String(v));
  }
  return qs.toString();
}
