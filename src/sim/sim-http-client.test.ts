import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SimHttpClient } from './sim-http-client.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

/** A server answering the given statuses in order (then 200), with Retry-After: 1 on 503s. */
async function scripted(statuses: number[]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    req.resume();
    const status = statuses[hits++] ?? 200;
    res.writeHead(status, { 'content-type': 'application/json', ...(status === 503 ? { 'retry-after': '1' } : {}) });
    res.end(JSON.stringify({ status }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, hits: () => hits };
}

function client(url: string, sleeps: number[], maxAttempts = 5): SimHttpClient {
  return new SimHttpClient({
    url,
    token: 't',
    maxSockets: 1,
    timeoutMs: 5000,
    now: () => performance.now(),
    retry: { backoff: { baseMs: 100, capMs: 1000 }, maxAttempts, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
  });
}

describe('SimHttpClient.sendWithRetry', () => {
  it('retries 503s with Retry-After plus jittered backoff until an answer', async () => {
    const s = await scripted([503, 503]);
    const sleeps: number[] = [];
    const seen: number[] = [];
    const http = client(s.url, sleeps);
    const r = await http.sendWithRetry('GET', '/x', undefined, { onAttempt: (a) => seen.push(a.status) });
    http.close();
    expect(r.status).toBe(200);
    expect(r.attempts).toBe(3);
    expect(seen).toEqual([503, 503, 200]);
    expect(sleeps).toEqual([1000 + 50, 1000 + 100]);
  });

  it('does not retry a 4xx, and stops after maxAttempts', async () => {
    const s = await scripted([404]);
    const http = client(s.url, []);
    expect((await http.sendWithRetry('GET', '/x')).status).toBe(404);
    http.close();
    const t = await scripted([500, 500, 500]);
    const limited = client(t.url, [], 2);
    const r = await limited.sendWithRetry('POST', '/x', {});
    limited.close();
    expect(r).toMatchObject({ status: 500, attempts: 2 });
  });

  it('lets beforeRetry settle a request whose lost attempt was committed', async () => {
    const s = await scripted([502]);
    const http = client(s.url, []);
    const r = await http.sendWithRetry('POST', '/obs', {}, { beforeRetry: async () => ({ status: 200, body: 'found', ms: 0 }) });
    http.close();
    expect(r).toMatchObject({ status: 200, body: 'found', attempts: 1 });
    expect(s.hits()).toBe(1);
  });
});
