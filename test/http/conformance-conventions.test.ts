import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import {
  createExperiment,
  expectError,
  expectStandardHeaders,
  minimalExperiment,
  ok,
  raw,
  useServer,
} from '../support/conformance.ts';

/**
 * Routing, responses and `fields` (docs/api-compatibility.md#routing, docs/api-compatibility.md#responses,
 * docs/api-compatibility.md#field-selection), through a real socket.
 */
describe.each(httpBackends())('conventions on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  describe('routing', () => {
    test.skipIf(skip)('health answers GET, HEAD and POST without a token', async () => {
      for (const method of ['GET', 'POST']) {
        const res = await raw(ctx.srv.url, method, '/health');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({});
        expectStandardHeaders(res.headers);
      }
      const head = await fetch(`${ctx.srv.url}/health`, { method: 'HEAD' });
      expect(head.status).toBe(200);
    });

    test.skipIf(skip)('root welcomes any valid token', async () => {
      const res = await ctx.api.request('GET', '/');
      expect(ok(res).message).toMatch(/^Welcome to the SigOpt API!/);
      const dev = await ctx.dev.request('GET', '/');
      expect(ok(dev).message).toMatch(/^Welcome to the SigOpt API!/);
    });

    test.skipIf(skip)('unknown route under /v1 is a 404 with the path', async () => {
      expectError(await ctx.api.request('GET', '/v1/x'), 404, 'Endpoint not found: /v1/x');
      expectError(await ctx.api.request('POST', '/v1/experiments/1/nope'), 404, 'Endpoint not found: /v1/experiments/1/nope');
    });

    test.skipIf(skip)('unknown route outside /v1 explains the prefix, also for wrong methods', async () => {
      expectError(await ctx.api.request('GET', '/x'), 404, 'Endpoint not found: /x. (Endpoint paths must begin with /v1)');
      expectError(await ctx.api.request('DELETE', '/health'), 404, 'Endpoint not found: /health. (Endpoint paths must begin with /v1)');
    });

    test.skipIf(skip)('a non-integer id segment is no such route', async () => {
      expectError(await ctx.api.request('GET', '/v1/experiments/abc'), 404, 'Endpoint not found: /v1/experiments/abc');
      expectError(await ctx.api.request('GET', '/v1/experiments/1.5/suggestions'), 404, 'Endpoint not found: /v1/experiments/1.5/suggestions');
      expectError(await ctx.api.request('GET', '/v1/clients/x/projects'), 404, 'Endpoint not found: /v1/clients/x/projects');
    });

    test.skipIf(skip)('an integer id beyond 64 bits is a missing object, not a server error', async () => {
      expectError(await ctx.api.request('GET', '/v1/experiments/99999999999999999999'), 404, /^(Endpoint not found|The requested resource could not be found)/);
      expectError(await ctx.api.request('GET', '/v1/experiments/9999999999999999999'), 404, 'The requested resource could not be found');
    });

    test.skipIf(skip)('known route with a wrong method is a 405 listing the methods', async () => {
      const res = await ctx.api.request('PATCH', '/v1/experiments');
      expectError(res, 405, /^This endpoint accepts only the following methods: \[/);
      expect(res.body.message).toContain('GET');
      expect(res.body.message).toContain('POST');
      const one = await ctx.api.request('POST', '/v1/experiments/1/best_assignments');
      expectError(one, 405, /^This endpoint accepts only the following methods: \[GET\]$/);
      const put = await ctx.api.request('PUT', '/v1/experiments/1/queued_suggestions/2');
      expectError(put, 405, /^This endpoint accepts only the following methods: \[/);
      expect(put.body.message).toContain('DELETE');
      expect(put.body.message).not.toContain('PUT');
    });

    test.skipIf(skip)('OPTIONS answers any route with 200 {} and the headers, without a token', async () => {
      for (const path of ['/v1/experiments', '/v1/experiments/1/suggestions', '/v1/anything/at/all', '/health']) {
        const res = await raw(ctx.srv.url, 'OPTIONS', path, { headers: { origin: 'http://example.org', 'access-control-request-method': 'POST' } });
        expect(res.status, path).toBe(200);
        expect(res.body).toEqual({});
        expectStandardHeaders(res.headers);
      }
    });

    test.skipIf(skip)('a trailing slash reaches the same route', async () => {
      const res = await ctx.api.request('GET', '/v1/experiments/');
      expect(ok(res).object).toBe('pagination');
    });

    test.skipIf(skip)('importances and pki_sessions (client-only routes) answer 404', async () => {
      const exp = await createExperiment(ctx.api);
      expect((await ctx.api.request('GET', `/v1/experiments/${exp.id}/importances`)).status).toBe(404);
      expect((await ctx.api.request('POST', '/v1/pki_sessions')).status).toBe(404);
    });
  });

  describe('responses', () => {
    test.skipIf(skip)('success and error responses carry the standard headers', async () => {
      const good = await raw(ctx.srv.url, 'GET', '/v1/experiments', { token: ctx.srv.token });
      expect(good.status).toBe(200);
      expectStandardHeaders(good.headers);
      for (const [method, path, token] of [
        ['GET', '/v1/experiments', null],
        ['GET', '/v1/experiments', 'nope-nope-nope'],
        ['GET', '/v1/experiments/123456789', ctx.srv.token],
        ['PATCH', '/v1/experiments', ctx.srv.token],
        ['GET', '/elsewhere', ctx.srv.token],
      ] as const) {
        const res = await raw(ctx.srv.url, method, path, { token });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expectStandardHeaders(res.headers);
        expect(Object.keys(res.body).sort()).toEqual(expect.arrayContaining(['message', 'status']));
      }
    });

    test.skipIf(skip)('401 may announce Basic auth', async () => {
      const res = await raw(ctx.srv.url, 'GET', '/v1/experiments');
      expect(res.status).toBe(401);
      const www = res.headers.get('www-authenticate');
      if (www !== null) expect(www).toBe('Basic realm="SigOpt API"');
    });

    test.skipIf(skip)('JSON is indented by 2 with a trailing newline and escapes & < >', async () => {
      const exp = await raw(ctx.srv.url, 'POST', '/v1/experiments', {
        token: ctx.srv.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(minimalExperiment({ name: 'a&b <c> d' })),
      });
      expect(exp.status).toBe(200);
      expect(exp.text.endsWith('\n')).toBe(true);
      expect(exp.text).toMatch(/^\{\n {2}"/);
      expect(exp.text).toContain('a\\u0026b \\u003Cc\\u003E d');
      expect(exp.text).not.toMatch(/[<>&]/);
      expect(exp.body.name).toBe('a&b <c> d');
    });

    test.skipIf(skip)('creates answer 200 (never 201) and deletes answer 200 {}', async () => {
      const created = await ctx.api.request('POST', '/v1/experiments', minimalExperiment());
      expect(created.status).toBe(200);
      const del = await ctx.api.request('DELETE', `/v1/experiments/${created.body.id}`);
      expect(del.status).toBe(200);
      expect(del.body).toEqual({});
    });

    test.skipIf(skip)('X-Response-Content: skip answers 204 with an empty body, and the action still happens', async () => {
      const res = await raw(ctx.srv.url, 'POST', '/v1/experiments', {
        token: ctx.srv.token,
        headers: { 'content-type': 'application/json', 'x-response-content': 'skip' },
        body: JSON.stringify(minimalExperiment({ name: 'skipped body' })),
      });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const list = await ctx.api.request('GET', '/v1/experiments', { search: 'skipped body' });
      expect(ok(list).count).toBe(1);
      const get = await raw(ctx.srv.url, 'GET', '/v1/experiments', { token: ctx.srv.token, headers: { 'x-response-content': 'skip' } });
      expect(get.status).toBe(204);
      expect(get.text).toBe('');
    });

    test.skipIf(skip)('X-Response-Content: skip leaves errors unaffected', async () => {
      const res = await raw(ctx.srv.url, 'POST', '/v1/experiments', {
        token: ctx.srv.token,
        headers: { 'content-type': 'application/json', 'x-response-content': 'skip' },
        body: JSON.stringify({ parameters: [] }),
      });
      expectError(res, 400, /^Missing required json key "name" in: /);
    });

    test.skipIf(skip)('ids are strings, timestamps integers, every nested object has an object key', async () => {
      const exp = await createExperiment(ctx.api, {
        name: 'shape',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: [{ name: 'm' }],
      });
      expect(exp.id).toMatch(/^\d+$/);
      expect(exp.client).toMatch(/^\d+$/);
      expect(Number.isInteger(exp.created)).toBe(true);
      const walk = (v: unknown, path: string): void => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
        else if (v !== null && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          const isMap = path.endsWith('.conditions') || path.endsWith('.metadata');
          if (!isMap) expect(typeof o.object, `${path}.object`).toBe('string');
          for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`);
        }
      };
      walk(exp, '');
    });
  });

  describe('fields', () => {
    test.skipIf(skip)('GET reduces an object to exactly the listed keys', async () => {
      const exp = await createExperiment(ctx.api);
      const res = await ctx.api.request('GET', `/v1/experiments/${exp.id}`, { fields: 'id,name' });
      expect(ok(res)).toEqual({ id: exp.id, name: 'conformance' });
      const withObject = await ctx.api.request('GET', `/v1/experiments/${exp.id}`, { fields: 'object,state' });
      expect(ok(withObject)).toEqual({ object: 'experiment', state: 'active' });
    });

    test.skipIf(skip)('on a list each element is reduced; the envelope stays', async () => {
      const exp = await createExperiment(ctx.api);
      const res = ok(await ctx.api.request('GET', '/v1/experiments', { fields: 'id', limit: 1 }));
      expect(res.object).toBe('pagination');
      expect(res.count).toBeGreaterThanOrEqual(1);
      expect(res.data).toEqual([{ id: exp.id }]);
      expect(Object.keys(res.paging).sort()).toEqual(['after', 'before']);
    });

    test.skipIf(skip)('the python client sends a JSON-encoded list; it is accepted too', async () => {
      const exp = await createExperiment(ctx.api);
      const res = await ctx.api.request('GET', `/v1/experiments/${exp.id}`, { fields: ['id', 'type'] });
      expect(ok(res)).toEqual({ id: exp.id, type: 'offline' });
    });

    test.skipIf(skip)('unknown field is a 400 naming the object type', async () => {
      const exp = await createExperiment(ctx.api);
      expectError(await ctx.api.request('GET', `/v1/experiments/${exp.id}`, { fields: 'id,nope' }), 400, 'Could not find the field `nope` in `experiment`');
      expectError(await ctx.api.request('GET', '/v1/experiments', { fields: 'nope' }), 400, 'Could not find the field `nope` in `experiment`');
    });

    test.skipIf(skip)('POST takes fields as a string in the body', async () => {
      const res = await ctx.api.request('POST', '/v1/experiments', { ...minimalExperiment(), fields: 'id,name' });
      const body = ok(res);
      expect(Object.keys(body).sort()).toEqual(['id', 'name']);
      const s = await ctx.api.request('POST', `/v1/experiments/${body.id}/suggestions`, { fields: 'state' });
      expect(ok(s)).toEqual({ state: 'open' });
    });

    test.skipIf(skip)('fields applies uniformly to suggestions, queued suggestions and tokens (fix F5)', async () => {
      const exp = await createExperiment(ctx.api);
      const s = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/suggestions/${s.id}`, { fields: 'id' }))).toEqual({ id: s.id });
      const q = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/queued_suggestions`, { assignments: { x: 0.5 } }));
      expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/queued_suggestions/${q.id}`, { fields: 'assignments' }))).toEqual({
        assignments: { x: 0.5 },
      });
      expect(ok(await ctx.api.request('GET', '/v1/tokens/self', { fields: 'token_type' }))).toEqual({ token_type: 'client-api' });
    });

    test.skipIf(skip)('fields is ignored on PUT and DELETE', async () => {
      const exp = await createExperiment(ctx.api);
      const put = ok(
        await raw(ctx.srv.url, 'PUT', `/v1/experiments/${exp.id}?fields=id`, {
          token: ctx.srv.token,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'renamed' }),
        }),
      );
      expect(put.name).toBe('renamed');
      expect(put.object).toBe('experiment');
      const del = await ctx.api.request('DELETE', `/v1/experiments/${exp.id}`, { fields: 'id' });
      expect(ok(del)).toEqual({});
    });
  });
});
