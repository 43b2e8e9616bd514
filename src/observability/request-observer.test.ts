import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createRequestObserver, type RequestLogSettings } from './request-observer.ts';
import { SextantMetrics } from './sextant-metrics.ts';

interface Logged {
  level: string;
  obj: Record<string, unknown>;
  msg: string;
}

function fakeRequest(status: number, ms: number, logged: Logged[]): [FastifyRequest, FastifyReply] {
  const log = Object.fromEntries(
    ['error', 'warn', 'info'].map((level) => [level, (obj: Record<string, unknown>, msg: string) => logged.push({ level, obj, msg })]),
  );
  const req = { method: 'GET', headers: { 'content-length': '12', authorization: 'Basic c2VjcmV0Og==' }, params: { id: '42', projectId: 'secret-name' }, log };
  // Error answers name their catalog code in a header (the HTTP layer sets it); the log line carries it.
  const headers: Record<string, string> = { 'content-length': '100', ...(status >= 400 ? { 'x-sextant-error-code': status === 404 ? 'NOT_FOUND' : 'INTERNAL_ERROR' } : {}) };
  const reply = { statusCode: status, elapsedTime: ms, getHeader: (name: string) => headers[name] };
  return [req as unknown as FastifyRequest, reply as unknown as FastifyReply];
}

const base: RequestLogSettings = { successSampleRate: 0.25, clientErrorSampleRate: 0.5, slowRequestMs: 1000, requestSizes: false };

describe('request observer', () => {
  it('logs errors and slow requests always, samples 4xx and successes by their rates', () => {
    const logged: Logged[] = [];
    const draws = [0.1, 0.3, 0.4, 0.6];
    let i = 0;
    const observe = createRequestObserver({ settings: () => base, random: () => draws[i++ % draws.length] as number, allowanceMs: (r) => (r === 'wait' ? 3000 : 0) });
    for (let k = 0; k < 4; k++) observe(...fakeRequest(200, 5, logged), 'experiment.get');
    expect(logged.map((l) => l.msg)).toEqual(['request']);
    expect(logged[0]?.obj).toEqual({ route: 'experiment.get', method: 'GET', status: 200, ms: 5, ids: { id: '42' }, sample: 0.25 });

    logged.length = 0;
    for (let k = 0; k < 4; k++) observe(...fakeRequest(404, 5, logged), 'experiment.get');
    expect(logged.length).toBe(3); // draws 0.1, 0.3, 0.4 < 0.5
    expect(logged[0]?.obj.code).toBe('NOT_FOUND');

    logged.length = 0;
    observe(...fakeRequest(500, 5, logged), 'experiment.get');
    observe(...fakeRequest(200, 1500, logged), 'experiment.get');
    observe(...fakeRequest(200, 3500, logged), 'wait');
    observe(...fakeRequest(200, 4500, logged), 'wait');
    expect(logged.map((l) => [l.level, l.msg, l.obj.ms])).toEqual([
      ['error', 'request failed', 5],
      ['warn', 'slow request', 1500],
      // Within its allowance (3000 + 1000 ms): an ordinary success, sampled (draw 0.1 < 0.25).
      ['info', 'request', 3500],
      ['warn', 'slow request', 4500],
    ]);
    expect(JSON.stringify(logged)).not.toContain('secret');
  });

  it('rate 0 logs no successes, rate 1 all, and metrics count every request', async () => {
    const metrics = new SextantMetrics({ processMetrics: false });
    let settings = { ...base, successSampleRate: 0 };
    const logged: Logged[] = [];
    const observe = createRequestObserver({ settings: () => settings, metrics, random: () => 0.999 });
    for (let k = 0; k < 3; k++) observe(...fakeRequest(200, 5, logged), 'r');
    expect(logged.length).toBe(0);
    settings = { ...base, successSampleRate: 1, requestSizes: true };
    observe(...fakeRequest(200, 5, logged), 'r');
    expect(logged[0]?.obj).toMatchObject({ reqBytes: 12, resBytes: 100 });
    expect(logged[0]?.obj).not.toHaveProperty('sample');
    expect(await metrics.render()).toContain('sextant_http_request_duration_seconds_count{route="r",method="GET",status="200"} 4');
  });
});
