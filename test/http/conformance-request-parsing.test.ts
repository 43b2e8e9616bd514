import { describe, expect, test } from 'vitest';
import { httpBackends } from '../support/server.ts';
import { createExperiment, expectError, minimalExperiment, ok, prefix, raw, useServer } from '../support/conformance.ts';

/** Request parsing (docs/api-compatibility.md#request-parsing): content types, bodies, strict JSON, query values, NUL bytes, sizes. */
describe.each(httpBackends())('request parsing on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  const post = (path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    raw(ctx.srv.url, 'POST', path, { token: ctx.srv.token, body, headers });
  const MALFORMED = prefix('Malformed json in request body');

  test.skipIf(skip)('JSON is parsed for application/json, form-urlencoded, an empty or absent content type', async () => {
    // A Buffer body: fetch adds no content type of its own (a string body would get text/plain).
    const body = Buffer.from(JSON.stringify(minimalExperiment({ name: 'ctype' })));
    for (const headers of [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'APPLICATION/JSON' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': '' },
      {},
    ]) {
      const res = await post('/v1/experiments', body, headers as Record<string, string>);
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(res.body.name).toBe('ctype');
    }
  });

  test.skipIf(skip)('any other mimetype: the body is ignored (params = {})', async () => {
    const body = JSON.stringify(minimalExperiment());
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
      expectError(await post('/v1/experiments', body, { 'content-type': type }), 400, /^Missing required json key "name" in: \{\}$/);
    }
  });

  test.skipIf(skip)('the charset of the header is honoured', async () => {
    const latin1 = Buffer.from(JSON.stringify(minimalExperiment({ name: 'caf\u00e9' })), 'latin1');
    const res = await post('/v1/experiments', latin1, { 'content-type': 'application/json; charset=latin1' });
    expect(ok(res).name).toBe('caf\u00e9');
    const utf8 = await post('/v1/experiments', Buffer.from(JSON.stringify(minimalExperiment({ name: '\u6e2c\u8a66 \u{1f680}' }))), { 'content-type': 'application/json' });
    expect(ok(utf8).name).toBe('\u6e2c\u8a66 \u{1f680}');
  });

  test.skipIf(skip)('an empty body is {}', async () => {
    const exp = await createExperiment(ctx.api);
    const res = await post(`/v1/experiments/${exp.id}/suggestions`, '');
    expect(ok(res).object).toBe('suggestion');
    expectError(await post('/v1/experiments', ''), 400, /^Missing required json key "name" in: \{\}$/);
    expectError(await post('/v1/experiments', '   \n'), 400, /^Missing required json key "name" in: \{\}$/);
  });

  test.skipIf(skip)('malformed, duplicate-key, NaN/Infinity, overflowing and NUL-carrying JSON is a 400', async () => {
    const exp = await createExperiment(ctx.api);
    const bodies = [
      '{',
      '{"name": }',
      "{'name': 'single quotes'}",
      '{"a":1,}',
      '{"a":1} trailing',
      '{"name":"a","name":"b"}',
      '{"parameters":[{"name":"x","name":"y"}]}',
      '{"v":NaN}',
      '{"v":Infinity}',
      '{"v":-Infinity}',
      '{"v":1e400}',
      '{"v":-1e999}',
      '{"name":"a\\u0000b"}',
      '{"na\\u0000me":"a"}',
      `{"name":"a${'\u0000'}b"}`,
      '{"v":01}',
      '{"v":.5}',
      '{"v":"\\x41"}',
      '[1,2',
    ];
    for (const body of bodies) {
      const res = await post(`/v1/experiments/${exp.id}/suggestions`, body);
      expectError(res, 400, MALFORMED, 'MALFORMED_JSON');
    }
    const dup = await post('/v1/experiments', '{"name":"a","name":"b"}');
    expect(dup.body.message).toMatch(/^Malformed json in request body(: .*name.*)?$/);
    expect(ok(await ctx.api.request('GET', `/v1/experiments/${exp.id}/suggestions`)).count).toBe(0);
  });

  test.skipIf(skip)('valid JSON that is not an object is a 400', async () => {
    for (const body of ['[]', '[1]', '1', '"string"', 'null', 'true']) {
      expectError(await post('/v1/experiments', body), 400, 'Request body must be a JSON object');
    }
  });

  test.skipIf(skip)('deeply nested JSON is rejected without a stack overflow', async () => {
    const deep = `{"metadata":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expectError(await post('/v1/experiments', deep), 400, MALFORMED, 'MALFORMED_JSON');
    const deepObjects = `{"name":"d","parameters":[{"name":"x","type":"double","bounds":{"min":0,"max":1}}],"metadata":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}`;
    const res = await post('/v1/experiments', deepObjects);
    expect(res.status).toBe(400);
  });

  test.skipIf(skip)('a multi-megabyte integer literal fails fast with a 400 (batch route, large body limit)', async () => {
    const exp = await createExperiment(ctx.api);
    const huge = `{"observations":[{"assignments":{"x":${'9'.repeat(4_000_000)}},"values":[{"value":1}]}]}`;
    const res = await post(`/v1/experiments/${exp.id}/observations/batch`, huge);
    expectError(res, 400, MALFORMED, 'MALFORMED_JSON');
    const small = `{"assignments":${'1'.repeat(500_000)}}`;
    expectError(await post(`/v1/experiments/${exp.id}/suggestions`, small), 400, MALFORMED, 'MALFORMED_JSON');
  }, 60_000);

  test.skipIf(skip)('bodies over the limit are 413 with a JSON error', async () => {
    const big = JSON.stringify({ ...minimalExperiment(), metadata: { k: 'x'.repeat(2 * 1024 * 1024) } });
    const res = await post('/v1/experiments', big);
    expect(res.status).toBe(413);
    expect(res.body.status).toBe(413);
    expect(typeof res.body.message).toBe('string');
  });

  test.skipIf(skip)('NUL bytes in the path, a query key or value: 400 Invalid string parameter', async () => {
    for (const path of ['/v1/experiments/%00', '/v1/experiments?search=a%00b', '/v1/experiments?se%00arch=a', '/v1/clients/1/projects/p%00q']) {
      expectError(await raw(ctx.srv.url, 'GET', path, { token: ctx.srv.token }), 400, prefix('Invalid string parameter: '));
    }
  });

  test.skipIf(skip)('boolean query values: 1/true/0/false in any case; others are 400', async () => {
    const exp = await createExperiment(ctx.api);
    const path = `/v1/experiments/${exp.id}/observations`;
    for (const v of ['1', 'true', 'True', 'TRUE', '0', 'false', 'False', 'fAlSe']) {
      expect((await raw(ctx.srv.url, 'GET', `${path}?ascending=${v}&deleted=${v}`, { token: ctx.srv.token })).status, v).toBe(200);
    }
    for (const v of ['yes', '2', '', 'null']) {
      expectError(await raw(ctx.srv.url, 'GET', `${path}?deleted=${v}`, { token: ctx.srv.token }), 400, `Invalid boolean value: ${v}`);
    }
    expectError(await ctx.api.request('GET', '/v1/experiments', { development: 'maybe' }), 400, 'Invalid boolean value: maybe');
  });

  test.skipIf(skip)('integer query values: decimal strings only', async () => {
    expectError(await ctx.api.request('GET', '/v1/experiments', { user: 'me' }), 400, 'Invalid type for user: "me" - expected type integer_string');
    expectError(await ctx.api.request('GET', '/v1/experiments', { period_start: '1e3' }), 400, 'Invalid type for period_start: "1e3" - expected type integer_string');
    expect(ok(await ctx.api.request('GET', '/v1/experiments', { limit: '5' })).object).toBe('pagination');
  });

  test.skipIf(skip)('ids in JSON bodies: integer or decimal string', async () => {
    const exp = await createExperiment(ctx.api);
    const s1 = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
    const s2 = ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/suggestions`, {}));
    expect(ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: Number(s1.id), values: [{ value: 1 }] })).suggestion).toBe(s1.id);
    expect(ok(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: s2.id, values: [{ value: 1 }] })).suggestion).toBe(s2.id);
    expectError(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: true, values: [{ value: 1 }] }), 400, /true/);
    expectError(await ctx.api.request('POST', `/v1/experiments/${exp.id}/observations`, { suggestion: 1.5, values: [{ value: 1 }] }), 400, /1\.5/);
  });

  test.skipIf(skip)('X-Request-Id is accepted (logging only)', async () => {
    const res = await raw(ctx.srv.url, 'GET', '/v1/experiments', { token: ctx.srv.token, headers: { 'x-request-id': 'abc-123' } });
    expect(res.status).toBe(200);
    const weird = await raw(ctx.srv.url, 'GET', '/v1/experiments', { token: ctx.srv.token, headers: { 'x-request-id': 'x'.repeat(500) } });
    expect(weird.status).toBe(200);
  });
});
