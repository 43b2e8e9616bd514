import { describe, expect, it } from 'vitest';
import { SextantLostAnswerError } from './api-error.ts';
import type { FetchLike } from './http-transport.ts';
import { SextantClient } from './sextant-client.ts';

type Handler = (req: { method: string; path: string; query: URLSearchParams; body: any }) => { status: number; body?: unknown } | 'reset';

/** A fake server: the handler answers each request; every request is logged as "METHOD path?query". */
function fakeServer(handler: Handler): { client: SextantClient; log: string[] } {
  const log: string[] = [];
  const fetch: FetchLike = async (url, init) => {
    const u = new URL(url);
    log.push(`${init.method} ${u.pathname}${u.search}`);
    const answer = handler({
      method: init.method,
      path: u.pathname,
      query: u.searchParams,
      body: init.body ? JSON.parse(init.body) : undefined,
    });
    if (answer === 'reset') throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  };
  const client = new SextantClient({ url: 'http://sextant.test', token: 't', fetch, sleep: async () => {}, random: () => 0 });
  return { client, log };
}

const page = (data: unknown[], before: string | null = null) => ({
  object: 'pagination',
  count: data.length,
  data,
  paging: { before, after: null },
});
const observation = (id: string, suggestion: string) => ({
  object: 'observation',
  id,
  suggestion,
  experiment: '1',
  values: [],
  failed: false,
});

describe('lost observation answers', () => {
  it('finds the observation the lost POST stored and does not send it again', async () => {
    let posts = 0;
    const { client, log } = fakeServer(({ method, path, query }) => {
      if (method === 'POST') {
        posts++;
        return 'reset'; // the server committed, then the connection died
      }
      expect(path).toBe('/v1/experiments/1/observations');
      // Two pages: the lost observation is on the second one.
      if (!query.get('before')) return { status: 200, body: page([observation('9', '90'), observation('8', '80')], 'm1') };
      return { status: 200, body: page([observation('7', '42')]) };
    });
    const stored = await client.experiment('1').observations.create({ suggestion: '42', values: [{ value: 1 }] });
    expect(stored.id).toBe('7');
    expect(posts).toBe(1);
    expect(log).toEqual([
      'POST /v1/experiments/1/observations',
      'GET /v1/experiments/1/observations?limit=100',
      'GET /v1/experiments/1/observations?limit=100&before=m1',
    ]);
  });

  it('resends when the check finds nothing', async () => {
    let posts = 0;
    const { client } = fakeServer(({ method }) => {
      if (method === 'GET') return { status: 200, body: page([observation('8', '80')]) };
      return ++posts === 1 ? 'reset' : { status: 200, body: observation('9', '42') };
    });
    expect((await client.experiment('1').observations.create({ suggestion: '42', values: [{ value: 1 }] })).id).toBe('9');
    expect(posts).toBe(2);
  });

  it('does not resend when the check itself fails', async () => {
    let posts = 0;
    const { client } = fakeServer(({ method }) => {
      if (method === 'GET') return { status: 403, body: { message: 'no', status: 403 } };
      posts++;
      return { status: 502, body: { message: 'bad gateway', status: 502 } };
    });
    const err = await client
      .experiment('1')
      .observations.create({ suggestion: '42', values: [{ value: 1 }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SextantLostAnswerError);
    expect(posts).toBe(1);
  });

  it('never resends a lost observation given by assignments, but does resend after a 429', async () => {
    let posts = 0;
    const lost = fakeServer(() => (posts++ === 0 ? 'reset' : { status: 200, body: observation('1', '') }));
    await expect(lost.client.experiment('1').observations.create({ assignments: { x: 1 }, values: [{ value: 1 }] })).rejects.toBeInstanceOf(
      SextantLostAnswerError,
    );
    expect(posts).toBe(1);

    const throttled = fakeServer(({ method }) =>
      method === 'POST' && posts++ === 1
        ? { status: 429, body: { message: 'slow', status: 429 } }
        : { status: 200, body: observation('5', '') },
    );
    expect((await throttled.client.experiment('1').observations.create({ assignments: { x: 1 }, values: [{ value: 1 }] })).id).toBe('5');
    expect(throttled.log.filter((l) => l.startsWith('GET'))).toEqual([]);
  });
});

describe('paging', () => {
  it('walks paging.before until it is null, lazily', async () => {
    const { client, log } = fakeServer(({ query }) => {
      const before = query.get('before');
      if (!before) return { status: 200, body: page([{ id: '5' }, { id: '4' }], 'b4') };
      if (before === 'b4') return { status: 200, body: page([{ id: '3' }, { id: '2' }], 'b2') };
      return { status: 200, body: page([{ id: '1' }]) };
    });
    const ids: string[] = [];
    for await (const s of client.experiment('1').suggestions.list({ limit: 2, state: 'open' })) ids.push(s.id);
    expect(ids).toEqual(['5', '4', '3', '2', '1']);
    expect(log).toEqual([
      'GET /v1/experiments/1/suggestions?limit=2&state=open',
      'GET /v1/experiments/1/suggestions?limit=2&state=open&before=b4',
      'GET /v1/experiments/1/suggestions?limit=2&state=open&before=b2',
    ]);

    log.length = 0;
    for await (const e of client.experiments.list({ limit: 2 })) {
      expect(e.id).toBe('5');
      break;
    }
    expect(log).toHaveLength(1);
  });
});

describe('experiment.loop()', () => {
  /** An experiment with a budget whose observation count is what the fake stored. */
  function loopServer(budget: number) {
    let observations = 0;
    let suggestions = 0;
    const stored: any[] = [];
    const deleted: string[] = [];
    const fake = fakeServer(({ method, path, body }) => {
      if (method === 'GET' && path === '/v1/experiments/1')
        return { status: 200, body: { id: '1', observation_budget: budget, progress: { observation_count: observations } } };
      if (method === 'POST' && path.endsWith('/suggestions'))
        return { status: 200, body: { id: String(++suggestions), assignments: { x: suggestions / 10 } } };
      if (method === 'POST' && path.endsWith('/observations')) {
        observations++;
        stored.push(body);
        return { status: 200, body: observation(String(observations), body.suggestion) };
      }
      if (method === 'DELETE') {
        deleted.push(path);
        return { status: 200, body: {} };
      }
      return { status: 404, body: { message: 'nope', status: 404 } };
    });
    return { ...fake, stored, deleted };
  }

  it('yields suggestions until the budget, reporting values', async () => {
    const { client, stored } = loopServer(3);
    const seen: unknown[] = [];
    for await (const s of client.experiment('1').loop()) {
      seen.push(s.assignments.x);
      await s.report(Number(s.assignments.x) * 2);
    }
    expect(seen).toEqual([0.1, 0.2, 0.3]);
    expect(stored.map((b) => b.values)).toEqual([[{ value: 0.2 }], [{ value: 0.4 }], [{ value: 0.6 }]]);
  });

  it('stores an unreported turn as failed and deletes the open suggestion when the loop is left', async () => {
    const { client, stored, deleted } = loopServer(5);
    let turns = 0;
    for await (const s of client.experiment('1').loop()) {
      if (++turns === 1) continue; // not reported
      if (turns === 2) await s.report({ f: 1 });
      if (turns === 3) break;
    }
    expect(stored).toEqual([
      { suggestion: '1', failed: true, metadata: { failure_reason: 'not reported by the loop body' } },
      { suggestion: '2', values: [{ name: 'f', value: 1 }] },
    ]);
    expect(deleted).toEqual(['/v1/experiments/1/suggestions/3']);
  });

  it('s.fail(reason) records a failed observation with the reason in metadata', async () => {
    const { client, stored } = loopServer(1);
    for await (const s of client.experiment('1').loop()) await s.fail('diverged');
    expect(stored).toEqual([{ suggestion: '1', failed: true, metadata: { failure_reason: 'diverged' } }]);
  });
});
