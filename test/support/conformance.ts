import { afterAll, beforeAll, expect } from 'vitest';
import { type CatalogEntry, ERROR_CATALOG, type ErrorCode } from '../../src/domain/error-catalog.ts';
import { type ApiResponse, SigoptClient } from './sigopt-client.ts';
import { type Backend, startTestServer, type TestServer } from './server.ts';

/**
 * Shared pieces of the HTTP conformance suite (test/http/conformance-*.test.ts): one server per
 * backend and file, request helpers for bodies the python client cannot send, exact error checks
 * and the smallest valid experiment bodies the rule tables start from.
 */

/** The server of one describe block, started in beforeAll and closed in afterAll. */
export interface ConformanceContext {
  srv: TestServer;
  /** The client's root API token, as the python client sends it. */
  api: SigoptClient;
  /** The owner's development token. */
  dev: SigoptClient;
}

/**
 * Registers beforeAll/afterAll hooks that start one server for a describe block; the returned
 * object is filled once the hooks ran (read it inside tests only).
 */
export function useServer(backend: Backend, skip: string | false): ConformanceContext {
  const ctx = {} as ConformanceContext;
  beforeAll(async () => {
    if (skip) return;
    ctx.srv = await startTestServer(backend);
    ctx.api = new SigoptClient(ctx.srv.url, ctx.srv.token);
    ctx.dev = new SigoptClient(ctx.srv.url, ctx.srv.devToken);
  }, 60_000);
  afterAll(async () => {
    await ctx.srv?.close();
  });
  return ctx;
}

/** `Authorization` header value for a token, as the python client builds it. */
export function basic(token: string): string {
  return `Basic ${Buffer.from(`${token}:`).toString('base64')}`;
}

/** A raw response: status, headers, the exact body text and its JSON (null when empty / not JSON). */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

/** Sends exactly the given body bytes (for malformed JSON, content types, odd headers). */
export async function raw(
  url: string,
  method: string,
  path: string,
  opts: { token?: string | null; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = basic(opts.token);
  const res = await fetch(`${url}${path}`, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.text();
  let body: any = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body };
}

/**
 * Asserts a SigOpt error: status, `{"message","status"}` shape and the message (exact string, or a
 * RegExp for documented prefixes / interpolated dumps). Every error also names its catalog code
 * (docs/errors.md) in X-Sextant-Error-Code: the code must be `code` when given, and in any case an
 * entry of that status whose template the message fills.
 */
export function expectError(res: ApiResponse | RawResponse, status: number, message: string | RegExp, code?: ErrorCode): void {
  const ctx = JSON.stringify(res.body);
  expect(res.status, ctx).toBe(status);
  expect(res.body, ctx).toBeTypeOf('object');
  expect(res.body.status, ctx).toBe(status);
  if (typeof message === 'string') expect(res.body.message, ctx).toBe(message);
  else expect(res.body.message, ctx).toMatch(message);
  const sent = res.headers.get('x-sextant-error-code');
  if (code !== undefined) expect(sent, ctx).toBe(code);
  expect(sent !== null && sent in ERROR_CATALOG, `${ctx}: error code ${String(sent)}`).toBe(true);
  const entry: CatalogEntry = ERROR_CATALOG[sent as ErrorCode];
  if (sent !== 'HTTP_CLIENT_ERROR') expect(entry.status, `${ctx}: ${String(sent)}`).toBe(status);
  expect(res.body.message, `${ctx}: ${String(sent)}`).toMatch(templatePattern(entry.message));
}

/** A catalog template as a RegExp: placeholders match anything; a batch item's prefix is allowed. */
function templatePattern(template: string): RegExp {
  const parts = template.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^(Error in observation \\d+/\\d+: )?${parts.join('[\\s\\S]*')}$`);
}

/** Asserts a 200 and returns the body (the response text in the failure message). */
export function ok<T = any>(res: ApiResponse<T> | RawResponse): T {
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as T;
}

/** Escapes a literal for use inside a RegExp (documented message prefixes). */
export function prefix(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}

/** A RegExp matching a string that contains `text` literally. */
export function contains(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/** The smallest valid experiment: one double parameter, one unnamed metric. */
export function minimalExperiment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'conformance', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }], ...extra };
}

/** A double parameter with the given name and bounds. */
export function double(name: string, min = 0, max = 1, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'double', bounds: { min, max }, ...extra };
}

/** An int parameter. */
export function int(name: string, min = 0, max = 10, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'int', bounds: { min, max }, ...extra };
}

/** A categorical parameter. */
export function categorical(name: string, values: string[] = ['a', 'b'], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, type: 'categorical', categorical_values: values, ...extra };
}

/** Creates an experiment through the API and returns its rendered body (asserting a 200). */
export async function createExperiment(client: SigoptClient, body: Record<string, unknown> = minimalExperiment()): Promise<any> {
  const res = await client.request('POST', '/v1/experiments', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Creates an observation with one unnamed value at the given assignments (asserting a 200). */
export async function observe(client: SigoptClient, experimentId: string, body: Record<string, unknown>): Promise<any> {
  const res = await client.request('POST', `/v1/experiments/${experimentId}/observations`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The standard headers of docs/api-compatibility.md#responses that every JSON response (success or error) carries. */
export const STANDARD_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-cache, no-store',
  expires: 'Sat, 01 Jan 2000 00:00:00 GMT',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-allow-methods': 'GET, POST, PUT, MERGE, DELETE, OPTIONS',
  'access-control-max-age': '300',
});

/** Asserts the standard headers of docs/api-compatibility.md#responses on a response. */
export function expectStandardHeaders(headers: Headers): void {
  for (const [k, v] of Object.entries(STANDARD_HEADERS)) expect(headers.get(k), k).toBe(v);
}

/** Everything stored about an experiment that a rejected request must leave unchanged. */
export async function snapshot(client: SigoptClient, experimentId: string): Promise<unknown> {
  const base = `/v1/experiments/${experimentId}`;
  const [exp, suggestions, deletedSuggestions, observations, deletedObservations, queued] = await Promise.all([
    client.request('GET', base),
    client.request('GET', `${base}/suggestions`),
    client.request('GET', `${base}/suggestions`, { deleted: true }),
    client.request('GET', `${base}/observations`),
    client.request('GET', `${base}/observations`, { deleted: true }),
    client.request('GET', `${base}/queued_suggestions`),
  ]);
  return {
    experiment: exp.body,
    suggestions: suggestions.body,
    deletedSuggestions: deletedSuggestions.body,
    observations: observations.body,
    deletedObservations: deletedObservations.body,
    queued: queued.body,
  };
}
