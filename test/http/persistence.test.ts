import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer } from '../../src/runtime/api-process.ts';
import { readApiToken } from '../../src/runtime/first-start.ts';
import { SigoptClient } from '../support/sigopt-client.ts';

/** Stop and restart the embedded server on the same data directory: everything is still there. */
describe('embedded persistence across restarts', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sextant-persist-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test('first start bootstraps a token file (0600); a restart keeps data and tokens', async () => {
    const first = await startServer({ port: 0, dataDir });
    expect(first.createdApiToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const token = first.createdApiToken as string;
    expect(await readApiToken(dataDir)).toBe(token);
    expect((await stat(join(dataDir, 'api-token'))).mode & 0o777).toBe(0o600);
    // The database holds only the hash, never the token itself.
    const dump = await first.store.tokens.list({});
    expect(JSON.stringify(dump)).not.toContain(token);

    let api = new SigoptClient(first.url, token);
    const exp = await api.request('POST', '/v1/experiments', {
      name: 'persisted',
      type: 'random',
      parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
      metadata: { owner: 'me' },
    });
    expect(exp.status).toBe(200);
    const s = await api.request('POST', `/v1/experiments/${exp.body.id}/suggestions`, {});
    const o = await api.request('POST', `/v1/experiments/${exp.body.id}/observations`, { suggestion: s.body.id, values: [{ value: 3 }] });
    expect(o.status).toBe(200);
    await first.close();

    const second = await startServer({ port: 0, dataDir });
    // PGlite is single-process: a second server on the same directory is refused with a clear error.
    await expect(startServer({ port: 0, dataDir })).rejects.toThrow(/is in use by another Sextant process/);
    try {
      expect(second.createdApiToken).toBeNull();
      api = new SigoptClient(second.url, token);
      const again = await api.request('GET', `/v1/experiments/${exp.body.id}`);
      expect(again.status).toBe(200);
      expect(again.body.name).toBe('persisted');
      expect(again.body.metadata).toEqual({ owner: 'me' });
      expect(again.body.progress.observation_count).toBe(1);
      const obs = await api.request('GET', `/v1/experiments/${exp.body.id}/observations/${o.body.id}`);
      expect(obs.body.values[0].value).toBe(3);
      const sug = await api.request('GET', `/v1/experiments/${exp.body.id}/suggestions/${s.body.id}`);
      expect(sug.body.state).toBe('closed');
      expect((await readFile(join(dataDir, 'api-token'), 'utf8')).trim()).toBe(token);
    } finally {
      await second.close();
    }
  }, 60_000);

  test('SEXTANT_API_TOKEN-style fixed token at first start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-fixed-'));
    const srv = await startServer({ port: 0, dataDir: dir, apiToken: 'my-fixed-token-123' });
    try {
      const res = await new SigoptClient(srv.url, 'my-fixed-token-123').request('GET', '/v1/tokens/self');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ object: 'token', token: 'my-fixed-token-123', token_type: 'client-api', client: expect.any(String) });
    } finally {
      await srv.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
