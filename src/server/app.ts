import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Principal } from '../domain/access/principal.ts';
import { LockTimeoutError } from '../domain/ports/keyed-lock.ts';
import { apiError, ApiError } from '../domain/errors.ts';
import { InvalidSortKeyError } from '../store/keyset.ts';
import { authHelp, parseBasicAuth } from './http/basic-auth.ts';
import { databaseUnavailableError, isDatabaseUnavailable } from './http/database-unavailable.ts';
import { type ExhaustedResource, exhaustedResource, resourceExhaustedError } from './http/resource-exhaustion.ts';
import { applyFields } from './http/fields.ts';
import { QueryParams } from './http/query-params.ts';
import type { RouteDef } from './http/route.ts';
import { pathParamNames, toFastifyPath, toPathRegex } from './http/route-paths.ts';
import { serializeJson } from './http/serialize.ts';
import { JsonSyntaxError, parseStrictJson } from './http/strict-json.ts';

/** Settings the HTTP layer needs. */
export interface AppOptions {
  readonly routes: readonly RouteDef[];
  /** Resolves a token string to the caller, or throws the 403 of docs/api-compatibility.md#authentication. */
  authenticate(token: string): Promise<Principal>;
  /** Default body limit in bytes (1 MiB); routes may set their own. */
  readonly bodyLimit: number;
  /** Base URL shown in authentication help texts. */
  readonly appUrl: string;
  /** Fastify/pino logger options, or false. */
  readonly logger?: boolean | Record<string, unknown>;
  /**
   * A ready pino logger (src/observability). When given, Fastify's own per-request lines are off:
   * they carry raw URLs and come twice per request; `observeRequest` writes one sampled line.
   */
  readonly loggerInstance?: FastifyBaseLogger;
  /** Called once per finished request with the route's statement name (metrics, request logs). */
  observeRequest?(req: FastifyRequest, reply: FastifyReply, route: string): void;
  /** Registers extra non-JSON routes (`/metrics`, `/ready`); mark them `config: { raw: true }`. */
  extend?(app: FastifyInstance): void;
  /** Called for every request that ended in a 500, for logs/metrics. */
  onServerError?(err: unknown, req: FastifyRequest): void;
  /** Called for every request refused because the database ran out of disk, memory or connections. */
  onResourceExhausted?(resource: ExhaustedResource): void;
}

const EMPTY_BYTES = new Uint8Array(0);

const JSON_MIMETYPES = new Set(['', 'application/json', 'application/x-www-form-urlencoded']);

const STANDARD_HEADERS: Record<string, string> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-cache, no-store',
  expires: 'Sat, 01 Jan 2000 00:00:00 GMT',
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-allow-methods': 'GET, POST, PUT, MERGE, DELETE, OPTIONS',
  'access-control-max-age': '300',
  // The dashboard (another origin in development) reads the error code of a failed call.
  'access-control-expose-headers': 'X-Sextant-Error-Code, Retry-After',
};

/** Names the catalog code of an error response (docs/errors.md); the body stays SigOpt's shape. */
export const ERROR_CODE_HEADER = 'x-sextant-error-code';

/** Parsed request body plus whether the content type asked for JSON parsing at all. */
interface RawBody {
  readonly text: string;
  readonly json: boolean;
  readonly bytes: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    sextantBody?: RawBody;
  }
  interface FastifyContextConfig {
    /** Statement name of the route (metrics and log label). */
    name?: string;
    /** The route sends its own content type and headers (e.g. Prometheus text). */
    raw?: boolean;
  }
}

/**
 * Builds the Fastify app that speaks the SigOpt v1 HTTP conventions (docs/api-compatibility.md#conventions): strict JSON bodies,
 * JSON errors everywhere, 404/405 texts, OPTIONS preflight, `fields`, `X-Response-Content: skip`.
 * Routes come from the route table; this file knows no resource.
 */
export function buildApp(opts: AppOptions): FastifyInstance {
  const maxLimit = Math.max(opts.bodyLimit, ...opts.routes.map((r) => r.bodyLimit ?? 0));
  const app = Fastify({
    ...(opts.loggerInstance
      ? { loggerInstance: opts.loggerInstance, logController: new LogController({ disableRequestLogging: true }) }
      : { logger: opts.logger ?? false }),
    bodyLimit: maxLimit,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    return503OnClosing: true,
  });

  // SigOpt's MERGE verb (training runs) carries a JSON body like PUT.
  app.addHttpMethod('MERGE', { hasBody: true });

  // One parser for every content type: the body is kept as text and interpreted per docs/api-compatibility.md#request-parsing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxLimit }, (req, body: Buffer, done) => {
    const header = req.headers['content-type'] ?? '';
    const [mime = '', ...rest] = header.split(';');
    const charsetPart = rest.map((s) => s.trim()).find((s) => s.toLowerCase().startsWith('charset='));
    let text: string;
    try {
      const charset = charsetPart ? charsetPart.slice(8).replace(/"/g, '') : 'utf-8';
      text = new TextDecoder(charset).decode(body);
    } catch {
      text = body.toString('utf8');
    }
    done(null, { text, json: JSON_MIMETYPES.has(mime.trim().toLowerCase()), bytes: body } satisfies RawBody);
  });

  app.addHook('onRequest', async (req) => {
    // An empty Content-Type means JSON (docs/api-compatibility.md#request-parsing); Fastify would answer 415 before our parser runs.
    const ctype = req.headers['content-type'];
    if (typeof ctype === 'string' && ctype.trim() === '') req.headers['content-type'] = 'application/json';
    const path = req.url.split('?')[0] ?? '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = path;
    }
    if (decoded.includes('\0')) throw apiError('INVALID_STRING_PARAMETER', { value: JSON.stringify(decoded) });
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (req.routeOptions.config?.raw) return payload;
    for (const [k, v] of Object.entries(STANDARD_HEADERS)) {
      if (k !== 'content-type' || reply.statusCode !== 204) reply.header(k, v);
    }
    return payload;
  });

  const observe = opts.observeRequest;
  if (observe) {
    app.addHook('onResponse', async (req, reply) => observe(req, reply, req.routeOptions.config?.name ?? 'not_found'));
  }

  const routePatterns = opts.routes.map((r) => ({ regex: toPathRegex(r.path), method: r.method }));

  for (const route of opts.routes) {
    const paramNames = pathParamNames(route.path);
    app.route({
      method: route.method,
      url: toFastifyPath(route.path),
      bodyLimit: route.bodyLimit ?? opts.bodyLimit,
      config: { name: route.name },
      handler: async (req, reply) => handle(route, paramNames, req, reply),
    });
  }

  app.options('*', { config: { name: 'preflight' } }, async (_req, reply) => sendJson(reply, 200, {}));

  // Health lives outside /v1 and needs no token (docs/api-compatibility.md#routing).
  for (const method of ['GET', 'POST'] as const) {
    app.route({ method, url: '/health', config: { name: 'health' }, handler: async (_req, reply) => sendJson(reply, 200, {}) });
  }

  opts.extend?.(app);

  app.setNotFoundHandler(async (req, reply) => {
    const path = (req.url.split('?')[0] ?? '').replace(/\/+$/, '') || '/';
    if (!path.startsWith('/v1/') && path !== '/v1') {
      return sendError(reply, apiError('ENDPOINT_OUTSIDE_V1', { path }));
    }
    const allowed = [...new Set(routePatterns.filter((p) => p.regex.test(path)).map((p) => p.method))];
    if (allowed.length > 0) {
      return sendError(
        reply,
        apiError(
          'METHOD_NOT_ALLOWED',
          { allowed: allowed.join(', ') },
          {
            headers: { allow: allowed.join(', ') },
          },
        ),
      );
    }
    return sendError(reply, apiError('ENDPOINT_NOT_FOUND', { path }));
  });

  app.setErrorHandler(async (err: unknown, req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    // A well-formed marker of another list (other sort, other key shape) is still a bad marker
    // (docs/api-compatibility.md#paging), not a server fault: the store only knows the key did not fit.
    if (err instanceof InvalidSortKeyError) {
      const q = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
      return sendError(reply, apiError('INVALID_PAGING_MARKER', { marker: q.get('before') ?? q.get('after') ?? '' }));
    }
    const status = (err as { statusCode?: number }).statusCode;
    const code = (err as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
      return sendError(reply, apiError('BODY_TOO_LARGE'));
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(reply, apiError('HTTP_CLIENT_ERROR', { message: (err as Error).message || 'Bad request' }, { status }));
    }
    // Another process holds the experiment's lock for too long: retry shortly.
    if (err instanceof LockTimeoutError) {
      req.log.warn({ key: err.key, waitedMs: err.waitedMs }, 'lock timeout');
      return sendError(reply, apiError('SERVICE_UNAVAILABLE', {}, { headers: { 'retry-after': '1' } }));
    }
    // Disk full, database out of memory or connections: nothing is lost, writes can be retried later.
    const exhausted = exhaustedResource(err);
    if (exhausted) {
      req.log.error({ err: (err as Error).message, resource: exhausted }, 'database resource exhausted');
      opts.onResourceExhausted?.(exhausted);
      return sendError(reply, resourceExhaustedError(exhausted));
    }
    // PostgreSQL down or restarting: 503 + Retry-After, not a 500 (a bug).
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err: (err as Error).message }, 'database unavailable');
      return sendError(reply, databaseUnavailableError());
    }
    opts.onServerError?.(err, req);
    req.log.error({ err }, 'unexpected server error');
    return sendError(reply, apiError('INTERNAL_ERROR'));
  });

  async function handle(route: RouteDef, paramNames: readonly string[], req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const rawQuery = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    const query = QueryParams.parse(rawQuery);
    // Every v1 route needs a token unless it says otherwise: sign-up, login and upload links (health,
    // metrics and readiness are operational routes outside the table).
    const auth = route.auth ?? 'token';
    const caller =
      auth === 'none' || (auth === 'optional' && req.headers.authorization === undefined) ? null : await authenticateRequest(route, req);
    const raw = req.body as RawBody | undefined;
    const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'MERGE';
    const body = hasBody && !route.rawBody ? parseBody(raw) : {};
    let fields: string[] | undefined;
    if (route.method === 'GET') fields = query.list('fields');
    else if (route.method === 'POST' && typeof body.fields === 'string') {
      fields = body.fields === '' ? [] : body.fields.split(',').map((s) => s.trim());
      delete body.fields;
    }
    const result = await route.handler({
      get principal() {
        if (caller === null) throw noTokenError();
        return caller;
      },
      caller,
      remoteAddress: req.ip,
      params: routeParams(route, paramNames, req.params),
      query,
      body,
      headers: req.headers,
      requestId: String(req.id),
      rawBody: route.rawBody && raw ? raw.bytes : EMPTY_BYTES,
    });
    const shaped = applyFields(result ?? {}, fields);
    if (String(req.headers['x-response-content'] ?? '').toLowerCase() === 'skip') {
      return reply.code(204).send();
    }
    return sendJson(reply, 200, shaped);
  }

  async function authenticateRequest(route: RouteDef, req: FastifyRequest): Promise<Principal> {
    const token = parseBasicAuth(req.headers.authorization, opts.appUrl);
    if (token === null) throw noTokenError();
    const principal = await opts.authenticate(token);
    if (principal.type === 'guest' && !route.allowGuest) throw apiError('TOKEN_NOT_PERMITTED');
    if (principal.type === 'client-dev' && !route.allowDevelopment) throw apiError('DEVELOPMENT_TOKEN_NOT_PERMITTED');
    return principal;
  }

  function noTokenError(): ApiError {
    return apiError('NO_API_TOKEN', { help: authHelp(opts.appUrl) }, { headers: { 'www-authenticate': 'Basic realm="SigOpt API"' } });
  }

  return app;
}

/**
 * The path parameters a handler's type promises (`PathParams` of its path): the router fills every
 * named segment of a matched pattern, so a missing one is a routing bug, not a client error.
 */
function routeParams(route: RouteDef, names: readonly string[], raw: unknown): Record<string, string> {
  const given = (raw ?? {}) as Record<string, unknown>;
  const params: Record<string, string> = {};
  for (const name of names) {
    const value = given[name];
    if (typeof value !== 'string') throw new Error(`route ${route.name} (${route.path}) matched without its parameter "${name}"`);
    params[name] = value;
  }
  return params;
}

/** Interprets a raw body per docs/api-compatibility.md#request-parsing. */
function parseBody(raw: RawBody | undefined): Record<string, unknown> {
  if (!raw || !raw.json || raw.text.trim() === '') return {};
  let value: unknown;
  try {
    value = parseStrictJson(raw.text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw apiError('MALFORMED_JSON', { message: err.message });
    throw err;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw apiError('BODY_NOT_OBJECT');
  return value as Record<string, unknown>;
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('content-type', STANDARD_HEADERS['content-type']).send(serializeJson(body));
}

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  reply.header(ERROR_CODE_HEADER, err.code);
  return sendJson(reply, err.status, err.toJSON());
}
