import { afterAll, describe, expect, it } from 'vitest';
import { type SextantServer, startServer } from '../../src/runtime/api-process.ts';
import { type PrivatePostgres, privatePostgresUnavailable, startPrivatePostgres } from '../support/private-postgres.ts';
import { SigoptClient } from '../support/sigopt-client.ts';

const skip = privatePostgresUnavailable();

/**
 * PostgreSQL stops under a running API process (private cluster, never the shared one): requests
 * answer 503 with a SigOpt-shaped body and Retry-After instead of 500s or hangs, /ready names the
 * database, and the same process serves normally once PostgreSQL is back — no restart, no action.
 */
describe.skipIf(skip)('PostgreSQL outage under a running API process', () => {
  let postgres: PrivatePostgres | null = null;
  let server: SextantServer | null = null;
  afterAll(async () => {
    // The pool must not wait for a database that is gone: start it again so close() is quick.
    if (postgres && !(await postgres.running())) await postgres.start().catch(() => {});
    await server?.close();
    await postgres?.destroy();
  }, 60_000);

  it('answers 503 with Retry-After while the database is down and recovers by itself', async () => {
    postgres = await startPrivatePostgres();
    const TOKEN = 'pg-outage-token-0123456789';
    server = await startServer({ port: 0, databaseUrl: postgres.url, apiToken: TOKEN, settings: { 'suggestion.wait_ms': 200 }, logger: false });
    const api = new SigoptClient(server.url, TOKEN);
    const created = await api.request('POST', '/v1/experiments', {
      name: 'outage',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
      metrics: [{ name: 'f' }],
    });
    expect(created.status).toBe(200);
    const id = created.body.id as string;

    await postgres.crash();
    for (const [method, path] of [
      ['GET', `/v1/experiments/${id}`],
      ['POST', `/v1/experiments/${id}/suggestions`],
      ['GET', `/v1/experiments/${id}/observations`],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      expect(res.status, `${method} ${path}`).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      const body = (await res.json()) as { message: string; status: number };
      expect(body.status).toBe(503);
      expect(body.message).toMatch(/database cannot be reached/);
    }
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toMatch(/^error/);

    await postgres.start();
    const again = await api.request('GET', `/v1/experiments/${id}`);
    expect(again.status).toBe(200);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    const s = await api.request('POST', `/v1/experiments/${id}/suggestions`, {});
    expect(s.status).toBe(200);
  }, 180_000);
});
