import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link registerDashboardAssets}. */
export interface DashboardAssetsOptions {
  /** The built dashboard (Vite's output); default `dist/dashboard` of the package. */
  readonly dir?: string;
}

/**
 * Page paths of the dashboard (client-side routes). A browser navigating to one of them gets the
 * page; any other request there (an API client, `Accept: application/json`) keeps the API's answer.
 */
const PAGE_PATH = /^\/(?:experiments(?:\/\d+)?|compare|operations)?\/?$/;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/** The package's `dist/dashboard`, found from this file in `src/server/http` or `dist/server/http`. */
export function defaultDashboardDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'dashboard');
    dir = dirname(dir);
  }
  return resolve('dist', 'dashboard');
}

/**
 * Serves the web dashboard (issue 13) from the same server as the API.
 *
 * `GET /` is also SigOpt's authenticated welcome route (docs/api-compatibility.md#routing), so the page is chosen by content
 * negotiation: a browser navigation (Accept names `text/html`, no Authorization header) gets
 * `index.html`; API clients (`*​/*` or JSON, or any request with a token) get the API's JSON,
 * including its 401. Hashed bundles live under `/assets/`, a path the v1 API never uses.
 * The page itself reads the API with the token the person pastes; nothing here checks tokens.
 */
export function registerDashboardAssets(app: FastifyInstance, opts: DashboardAssetsOptions = {}): void {
  const dir = opts.dir ?? defaultDashboardDir();
  const assetsDir = join(dir, 'assets');
  // Bundles are compressed once per process and kept (a handful of files, about 300 KB gzipped).
  const compressed = new Map<string, Promise<Buffer>>();
  let index: Promise<string> | null = null;
  const readIndex = () => {
    // Cached once read; a missing build is retried on the next request (e.g. built after start).
    index ??= readFile(join(dir, 'index.html'), 'utf8').catch((err: unknown) => {
      index = null;
      throw err;
    });
    return index;
  };

  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return;
    if (!wantsPage(req)) return;
    let html: string;
    let status = 200;
    try {
      html = await readIndex();
    } catch {
      status = 503;
      html =
        '<!doctype html><title>Sextant</title><p>The dashboard has not been built. Run <code>npm run build:dashboard</code> ' +
        '(<code>npm install</code> does it) and reload. The API is at <code>/v1</code>.</p>';
    }
    sendRaw(reply, status, 'text/html; charset=utf-8', 'no-cache', req.method === 'HEAD' ? '' : html);
    return reply;
  });

  app.get('/assets/*', { config: { name: 'dashboard.asset', raw: true } }, async (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    const path = resolve(assetsDir, name);
    const type = CONTENT_TYPES[extname(path)];
    if (!path.startsWith(assetsDir + sep) || type === undefined) return notFound(reply, req);
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      return notFound(reply, req);
    }
    // File names carry a content hash: they never change.
    reply
      .code(200)
      .header('content-type', type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && body.length > 1024) {
      let packed = compressed.get(path);
      if (packed === undefined) {
        packed = gzipAsync(body);
        compressed.set(path, packed);
      }
      return reply.header('content-encoding', 'gzip').send(await packed);
    }
    return reply.send(body);
  });
}

const gzipAsync = promisify(gzip);

function wantsPage(req: FastifyRequest): boolean {
  if (req.headers.authorization !== undefined) return false;
  const accept = req.headers.accept;
  if (typeof accept !== 'string' || !accept.includes('text/html')) return false;
  return PAGE_PATH.test(req.url.split('?')[0] ?? '');
}

/**
 * Answers outside Fastify's reply pipeline: the app's onSend hook stamps every response with the
 * API's JSON headers, which a page must not carry.
 */
function sendRaw(reply: FastifyReply, status: number, type: string, cacheControl: string, body: string): void {
  reply.hijack();
  reply.raw.writeHead(status, {
    'content-type': type,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    // The page only talks to its own origin; no script, style or image from elsewhere.
    'content-security-policy':
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'",
    'content-length': Buffer.byteLength(body),
  });
  reply.raw.end(body);
}

function notFound(reply: FastifyReply, req: FastifyRequest): FastifyReply {
  const path = req.url.split('?')[0] ?? '';
  return reply
    .code(404)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ message: `Endpoint not found: ${path}. (Endpoint paths must begin with /v1)`, status: 404 }));
}
