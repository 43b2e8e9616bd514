import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  SextantApiError,
  SextantClient,
  type BestAssignments,
  type Experiment,
  type Observation,
  type Suggestion,
} from '../../src/client/index.ts';
import { httpBackends, startTestServer, type TestServer } from '../support/server.ts';

/** true when the two unions of keys are the same (compile-time check of the field lists below). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const keys =
  <T>() =>
  <const K extends readonly (keyof T)[]>(
    k: K & (Same<K[number], keyof T> extends true ? unknown : 'the field list must name every key of the type'),
  ) =>
    k;

// The fields the client's interfaces declare: the type check ties each list to its interface, the
// tests below tie it to what the server renders, so the two cannot drift apart unnoticed.
const EXPERIMENT_FIELDS = keys<Experiment>()([
  'object',
  'id',
  'name',
  'type',
  'state',
  'client',
  'user',
  'project',
  'created',
  'updated',
  'development',
  'parameters',
  'metrics',
  'conditionals',
  'linear_constraints',
  'metadata',
  'observation_budget',
  'budget',
  'num_solutions',
  'parallel_bandwidth',
  'progress',
  'tasks',
  'runs_only',
]);
const SUGGESTION_FIELDS = keys<Suggestion>()([
  'object',
  'id',
  'experiment',
  'assignments',
  'state',
  'created',
  'deleted',
  'metadata',
  'task',
]);
const OBSERVATION_FIELDS = keys<Observation>()([
  'object',
  'id',
  'experiment',
  'suggestion',
  'assignments',
  'values',
  'failed',
  'metadata',
  'created',
  'task',
]);
const BEST_FIELDS = keys<BestAssignments>()(['object', 'id', 'assignments', 'values', 'metadata', 'task']);
/** Fields the spec hides in some cases (§3.12): the rendered keys must be the declared ones minus some of these. */
const HIDDEN = new Set(['budget', 'tasks', 'task', 'observation_budget']);

function expectFields(obj: object, declared: readonly string[]): void {
  const actual = Object.keys(obj).sort();
  const extra = actual.filter((k) => !declared.includes(k));
  const missing = declared.filter((k) => !actual.includes(k) && !HIDDEN.has(k));
  expect({ extra, missing }).toEqual({ extra: [], missing: [] });
}

/** A proxy in front of the server that can break, throttle or delay chosen requests. */
interface FaultProxy {
  readonly url: string;
  /** Decides per request: pass, answer 429/503 itself, drop the connection after the server answered, or hold the answer. */
  fault: (req: IncomingMessage) => 'pass' | '429' | '503' | 'reset-after-commit' | 'slow';
  close(): Promise<void>;
}

async function faultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const proxy: FaultProxy = { url: '', fault: () => 'pass', close: async () => {} };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const fault = proxy.fault(req);
    if (fault === '429' || fault === '503') {
      req.resume();
      res.writeHead(Number(fault), { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ message: `injected ${fault}`, status: Number(fault) }));
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          // The server has answered, so the write is committed; the client never sees the answer.
          if (fault === 'reset-after-commit') return void res.socket?.destroy();
          const send = () => {
            if (res.destroyed) return;
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(Buffer.concat(chunks));
          };
          if (fault === 'slow') setTimeout(send, 1500);
          else send();
        });
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  Object.assign(proxy, {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return proxy;
}

describe.each(httpBackends())('typed client on $name', ({ name, skip }) => {
  let srv: TestServer;
  let proxy: FaultProxy;
  let sx: SextantClient;

  beforeAll(async () => {
    if (skip) return;
    srv = await startTestServer(name, { settings: { 'suggestion.wait_ms': 1000 } });
    proxy = await faultProxy(srv.url);
    sx = new SextantClient({ url: proxy.url, token: srv.token, retry: { baseMs: 10, capMs: 50 } });
  }, 60_000);
  afterAll(async () => {
    await proxy?.close();
    await srv?.close();
  });

  test.skipIf(skip)('loop, paging and answers match the declared types', async () => {
    const exp = await sx.experiments.create({
      name: 'client loop',
      parameters: [{ name: 'x', type: 'double', bounds: { min: -1, max: 1 } }],
      metrics: [{ name: 'f', objective: 'minimize' }],
      observation_budget: 5,
    });
    expectFields(exp, EXPERIMENT_FIELDS);
    for await (const s of sx.experiment(exp.id).loop()) {
      expectFields(s.suggestion, SUGGESTION_FIELDS);
      const o = await s.report({ f: Number(s.assignments.x) ** 2 });
      expectFields(o, OBSERVATION_FIELDS);
    }
    const all: Observation[] = [];
    for await (const o of sx.experiment(exp.id).observations.list({ limit: 2 })) all.push(o);
    expect(all).toHaveLength(5);
    expect(new Set(all.map((o) => o.id)).size).toBe(5);
    const best = await sx.experiment(exp.id).bestAssignments();
    expect(best).toHaveLength(1);
    expectFields(best[0]!, BEST_FIELDS);
    expect((await sx.experiment(exp.id).get()).progress?.observation_count).toBe(5);
  });

  test.skipIf(skip)('errors carry the server status and message', async () => {
    const err = (await sx.experiments.get('999999').catch((e: unknown) => e)) as SextantApiError;
    expect(err).toBeInstanceOf(SextantApiError);
    expect(err.status).toBe(404);
    expect(err.message).toBe('The requested resource could not be found');
    const bad = (await sx.experiments.page({ limit: 5000 }).catch((e: unknown) => e)) as SextantApiError;
    expect(bad.status).toBe(400);
    expect(bad.message).toBe('Exceeded maximum limit: 1000');
  });

  test.skipIf(skip)(
    'faults: 429 and 503 are retried; an observation whose answer was lost after the commit is stored exactly once; slow answers time out and are retried',
    async () => {
      const exp = await sx.experiments.create({
        name: 'faults',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        observation_budget: 10,
      });
      const e = sx.experiment(exp.id);

      let throttled = 0;
      proxy.fault = (req) => (req.method === 'POST' && throttled++ < 2 ? (throttled === 1 ? '429' : '503') : 'pass');
      const s = await e.suggestions.create();
      expect(throttled).toBe(3);

      let lost = 0;
      proxy.fault = (req) => (req.method === 'POST' && req.url?.endsWith('/observations') && lost++ === 0 ? 'reset-after-commit' : 'pass');
      const stored = await e.observations.create({ suggestion: s.id, values: [{ value: 0.5 }] });
      expect(stored.suggestion).toBe(s.id);
      expect(lost).toBe(1); // the check found it: no second POST
      const page = await e.observations.page();
      expect(page.count).toBe(1);

      let slow = 0;
      proxy.fault = (req) => (req.method === 'GET' && slow++ === 0 ? 'slow' : 'pass');
      const fetched = await e.get({ timeoutMs: 300 });
      expect(fetched.id).toBe(exp.id);
      expect(slow).toBe(2);
      proxy.fault = () => 'pass';
    },
  );
});
