import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import type { Principal } from '../domain/access/principal.ts';
import { apiError } from '../domain/errors.ts';
import { LockTimeoutError } from '../domain/ports/keyed-lock.ts';
import { buildApp } from './app.ts';
import { route, type PathParams, type RouteDef } from './http/route.ts';

const principal = { type: 'client-api', scope: 'all_endpoints' } as unknown as Principal;

const routes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/v1/things/{id}',
    name: 'get',
    handler: async (c) => ({ object: 'thing', id: c.params.id, name: 'a<b>&' }),
  }),
  route({ method: 'GET', path: '/v1/things/{id}/parts/{part:str}', name: 'part', handler: async (c) => ({ params: c.params }) }),
  { method: 'POST', path: '/v1/things', name: 'create', handler: async (c) => ({ object: 'thing', echo: c.body }) },
  { method: 'DELETE', path: '/v1/things/{id}', name: 'delete', handler: async () => undefined },
  {
    method: 'GET',
    path: '/v1/boom',
    name: 'boom',
    handler: async () => {
      throw new Error('kaput');
    },
  },
  {
    method: 'GET',
    path: '/v1/bad',
    name: 'bad',
    handler: async () => {
      throw apiError('INVALID_NAME', { name: 'nope' });
    },
  },
  { method: 'GET', path: '/v1/dev', allowDevelopment: true, name: 'dev', handler: async () => ({}) },
  {
    method: 'POST',
    path: '/v1/full',
    name: 'full',
    handler: async () => {
      // What PGlite throws when a write finds the disk full.
      throw Object.assign(new Error('could not extend file: No space left on device'), { name: 'ErrnoError', errno: 28 });
    },
  },
  {
    method: 'GET',
    path: '/v1/locked',
    name: 'locked',
    handler: async () => {
      throw new LockTimeoutError('suggest:1', 60_000);
    },
  },
];

const exhausted: string[] = [];
const app = buildApp({
  routes,
  bodyLimit: 1024,
  appUrl: 'http://x',
  onResourceExhausted: (resource) => exhausted.push(resource),
  authenticate: async (token) => {
    if (token === 'good') return principal;
    if (token === 'dev') return { ...principal, type: 'client-dev' } as Principal;
    throw apiError('API_TOKEN_REVOKED', { help: '' });
  },
});
const auth = (t = 'good') => ({ authorization: `Basic ${Buffer.from(`${t}:`).toString('base64')}` });

beforeAll(async () => {
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

describe('HTTP conventions', () => {
  test('success: 200, indented JSON with escapes and standard headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/things/12', headers: auth() });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-store');
    expect(res.headers.expires).toBe('Sat, 01 Jan 2000 00:00:00 GMT');
    expect(res.body).toContain('\\u003Cb\\u003E\\u0026');
    expect(res.body.endsWith('}\n')).toBe(true);
    expect(res.json()).toEqual({ object: 'thing', id: '12', name: 'a<b>&' });
  });

  test('path parameters are typed from the path template and all present', async () => {
    expectTypeOf<PathParams<'/v1/things/{id}/parts/{part:str}'>>().toEqualTypeOf<{ readonly id: string; readonly part: string }>();
    expectTypeOf<PathParams<'/v1/things'>>().toEqualTypeOf<{}>();
    const res = await app.inject({ method: 'GET', url: '/v1/things/7/parts/a%20b', headers: auth() });
    expect(res.json()).toEqual({ params: { id: '7', part: 'a b' } });
  });

  test('non-integer id segment is an unknown route; wrong method is 405', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/things/abc', headers: auth() })).json()).toEqual({
      message: 'Endpoint not found: /v1/things/abc',
      status: 404,
    });
    const res = await app.inject({ method: 'PUT', url: '/v1/things/1', headers: auth() });
    expect(res.statusCode).toBe(405);
    expect(res.json().message).toMatch(/^This endpoint accepts only the following methods: \[/);
    expect(res.json().message).toContain('GET');
    expect(res.json().message).toContain('DELETE');
    const outside = await app.inject({ method: 'GET', url: '/nope' });
    expect(outside.json()).toEqual({ message: 'Endpoint not found: /nope. (Endpoint paths must begin with /v1)', status: 404 });
  });

  test('auth errors', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/things/1' });
    expect(none.statusCode).toBe(401);
    expect(none.json().message).toMatch(/^No API token provided/);
    const garbage = await app.inject({ method: 'GET', url: '/v1/things/1', headers: { authorization: 'Bearer x' } });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().message).toMatch(/^Could not parse API token\. /);
    const bad = await app.inject({ method: 'GET', url: '/v1/things/1', headers: auth('bad') });
    expect(bad.json()).toMatchObject({ status: 403, token_status: 'revoked' });
    const dev = await app.inject({ method: 'GET', url: '/v1/things/1', headers: auth('dev') });
    expect(dev.json()).toEqual({ message: 'Development tokens cannot access this endpoint.', status: 403 });
    expect((await app.inject({ method: 'GET', url: '/v1/dev', headers: auth('dev') })).statusCode).toBe(200);
  });

  test('body parsing per content type', async () => {
    const post = (payload: string, ct?: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/things',
        headers: { ...auth(), ...(ct === undefined ? {} : { 'content-type': ct }) },
        payload,
      });
    expect((await post('{"a":1}', 'application/json')).json().echo).toEqual({ a: 1 });
    expect((await post('{"a":1}', 'application/x-www-form-urlencoded')).json().echo).toEqual({ a: 1 });
    expect((await post('{"a":1}')).json().echo).toEqual({ a: 1 });
    expect((await post('{"a":1}', 'text/plain')).json().echo).toEqual({});
    expect((await post('', 'application/json')).json().echo).toEqual({});
    expect((await post('[1]', 'application/json')).json()).toEqual({ message: 'Request body must be a JSON object', status: 400 });
    expect((await post('{"a":1,"a":2}', 'application/json')).json().message).toMatch(/^Malformed json in request body/);
    expect((await post('{"a":NaN}', 'application/json')).json().message).toMatch(/^Malformed json in request body/);
    expect((await post(`{"a":"${'x'.repeat(2000)}"}`, 'application/json')).statusCode).toBe(413);
  });

  test('fields, skip, empty results and errors', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/things/3?fields=id', headers: auth() })).json()).toEqual({ id: '3' });
    expect((await app.inject({ method: 'GET', url: '/v1/things/3?fields=zz', headers: auth() })).json().message).toBe(
      'Could not find the field `zz` in `thing`',
    );
    const skip = await app.inject({ method: 'GET', url: '/v1/things/3', headers: { ...auth(), 'x-response-content': 'skip' } });
    expect(skip.statusCode).toBe(204);
    expect(skip.body).toBe('');
    expect(
      (await app.inject({ method: 'DELETE', url: '/v1/things/3', headers: { ...auth(), 'content-type': 'application/json' } })).json(),
    ).toEqual({});
    expect((await app.inject({ method: 'GET', url: '/v1/boom', headers: auth() })).json()).toEqual({
      message: 'An unexpected server error has occurred.',
      status: 500,
    });
    const bad = await app.inject({ method: 'GET', url: '/v1/bad', headers: auth() });
    expect(bad.json()).toEqual({ message: 'Invalid name: nope', status: 400 });
    expect(bad.headers['x-sextant-error-code']).toBe('INVALID_NAME');
    // A full disk: 507 naming the cause, Retry-After, counted; the body keeps SigOpt's shape.
    const full = await app.inject({ method: 'POST', url: '/v1/full', headers: auth() });
    expect([full.statusCode, full.headers['x-sextant-error-code'], full.headers['retry-after']]).toEqual([507, 'DISK_FULL', '30']);
    expect(Object.keys(full.json())).toEqual(['message', 'status']);
    expect(exhausted).toEqual(['disk_full']);
    // A lock that could not be had is the port's error; the HTTP layer answers 503 with Retry-After.
    const locked = await app.inject({ method: 'GET', url: '/v1/locked', headers: auth() });
    expect(locked.statusCode).toBe(503);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json()).toEqual({ message: 'The service is temporarily unavailable. Please retry shortly.', status: 503 });
    expect((await app.inject({ method: 'GET', url: '/v1/things/3?x=%00', headers: auth() })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/v1/things/%00', headers: auth() })).statusCode).toBe(400);
  });

  test('OPTIONS and health need no token', async () => {
    const opt = await app.inject({ method: 'OPTIONS', url: '/v1/things/1' });
    expect(opt.statusCode).toBe(200);
    expect(opt.headers['access-control-allow-methods']).toBe('GET, POST, PUT, MERGE, DELETE, OPTIONS');
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({});
    expect((await app.inject({ method: 'POST', url: '/health' })).statusCode).toBe(200);
  });
});
