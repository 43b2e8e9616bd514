import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerDashboardAssets } from './dashboard-assets.ts';

describe('dashboard assets', () => {
  let dir: string;
  let app: FastifyInstance;
  const html = '<!doctype html><title>Sextant</title><script type="module" src="/assets/index-abc.js"></script>';
  const js = `console.log(${JSON.stringify('x'.repeat(5000))});`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sextant-dashboard-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), html);
    await writeFile(join(dir, 'assets', 'index-abc.js'), js);
    app = Fastify();
    // Stands in for the API's own GET / (SigOpt's welcome, 401 without a token).
    app.get('/', async (_req, reply) => reply.code(401).send({ message: 'No API token provided' }));
    registerDashboardAssets(app, { dir });
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a browser navigation to a page path gets index.html; API clients keep the API', async () => {
    for (const url of ['/', '/experiments', '/experiments/12', '/compare?ids=1,2', '/operations']) {
      const res = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toBe(html);
    }
    expect((await app.inject({ url: '/' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/', headers: { accept: 'application/json' } })).statusCode).toBe(401);
    // A request carrying a token is an API call, whatever it accepts.
    expect((await app.inject({ url: '/', headers: { accept: 'text/html', authorization: 'Basic eDo=' } })).statusCode).toBe(401);
    // Paths that are not pages are not swallowed.
    expect((await app.inject({ url: '/experiments/abc', headers: { accept: 'text/html' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/experiments', headers: { accept: 'text/html' } })).statusCode).toBe(404);
  });

  test('bundles are served with their type, cached for good, gzipped when asked', async () => {
    const plain = await app.inject({ url: '/assets/index-abc.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.body).toBe(js);
    const packed = await app.inject({ url: '/assets/index-abc.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(packed.rawPayload).toString()).toBe(js);
  });

  test('nothing outside the assets folder, and unknown files are 404', async () => {
    expect((await app.inject({ url: '/assets/../index.html' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/%2e%2e/index.html' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  test('without a build, a page request explains how to build it', async () => {
    const bare = Fastify();
    registerDashboardAssets(bare, { dir: join(dir, 'nope') });
    const res = await bare.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:dashboard');
    await bare.close();
  });
});
