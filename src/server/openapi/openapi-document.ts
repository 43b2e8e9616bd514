import type { RouteDef } from '../http/route.ts';
import { COMPONENT_SCHEMAS, paginationOf } from './api-schemas.ts';
import { ROUTE_DOCS, type RouteDoc } from './route-docs.ts';

/** An OpenAPI 3.1 document (plain JSON). */
export type OpenApiDocument = Record<string, unknown> & { readonly paths: Record<string, Record<string, unknown>> };

/** Version shown in the document (the package version, as `sextant --version` prints it). */
export const API_VERSION = '0.1.0';

const COMPONENTS = '#/components/schemas/';
const PAGE_QUERY = ['limit', 'before', 'after', 'ascending'];

/** The route table's path pattern as an OpenAPI path: `{token:str}` → `{token}`. */
export function openApiPath(path: string): string {
  return path.replace(/\{(\w+):str\}/g, '{$1}');
}

/** Deep copy as plain JSON, with TypeBox's bare `$ref: "Name"` pointed at the components. */
function toJson(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === '$ref' && typeof value === 'string' && !value.startsWith('#') ? `${COMPONENTS}${value}` : value,
  );
}

const ref = (name: string) => ({ $ref: `${COMPONENTS}${name}` });

/**
 * The path item key of a route's operation. OpenAPI 3.1 path items hold only the fixed HTTP
 * methods (get, put, post, delete, options, head, patch, trace), and SigOpt's MERGE verb
 * (`MERGE /v1/training_runs/{id}`) is none of them. Rather than drop it or disguise it as PATCH
 * (a different verb: a client following the document would send a request Sextant does not
 * route), MERGE is published as the vendor extension `x-merge` on its path item: a full Operation
 * Object, which tools ignore (as `x-` keys must be) and readers and Sextant's own tests see.
 * The operation repeats the verb in `x-http-method`.
 */
export function operationKey(method: string): string {
  return method === 'MERGE' ? 'x-merge' : method.toLowerCase();
}

/** Methods that carry a JSON body. */
const BODY_METHODS = new Set(['POST', 'PUT', 'MERGE']);

/** The error answers every operation may give (`#/components/responses/<status>`), all `Error` objects. */
const ERROR_RESPONSES: Readonly<Record<string, string>> = Object.freeze({
  '400': 'Invalid request (schema, rules, limits; docs/api-compatibility.md#validation-rules), malformed JSON',
  '401': 'No API token',
  '403': 'Invalid or expired token, or the token may read but not do this',
  '404': 'Not found, or not readable by the caller (docs/api-compatibility.md#access-rules)',
  '429': 'Rate limited or too many failed logins (see Retry-After)',
});

function operation(route: RouteDef, doc: RouteDoc | undefined, operationId: string): Record<string, unknown> {
  const path = route.path;
  const parameters: Record<string, unknown>[] = [...path.matchAll(/\{(\w+)(:str)?\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    // Numeric segments are 1–19 digits: anything else is "no such route" (docs/api-compatibility.md#routing).
    schema: m[2] ? { type: 'string' } : { type: 'string', pattern: '^\\d{1,19}$' },
  }));
  const isPage = doc !== undefined && typeof doc.response === 'object' && doc.unpaged !== true;
  const query = [...(isPage && route.method === 'GET' ? PAGE_QUERY : []), ...(doc?.query ?? [])];
  if (route.method === 'GET') query.push('fields');
  for (const name of query) parameters.push({ name, in: 'query', required: false, schema: { type: 'string' } });

  const response =
    doc === undefined ? { type: 'object' } : typeof doc.response === 'string' ? ref(doc.response) : toJson(paginationOf(doc.response.page));
  const auth = route.auth ?? 'token';
  const errors: Record<string, unknown> = Object.fromEntries(
    Object.keys(ERROR_RESPONSES)
      .filter((status) => auth !== 'none' || (status !== '401' && status !== '403'))
      .map((status) => [status, { $ref: `#/components/responses/${status}` }]),
  );
  for (const [status, description] of Object.entries(doc?.errors ?? {}))
    errors[status] = { description, content: { 'application/json': { schema: ref('Error') } } };
  return {
    operationId,
    summary: doc?.summary ?? route.name,
    tags: [doc?.tag ?? 'other'],
    // Basic auth with the token as user name; 'optional' routes also take anonymous calls.
    security: auth === 'none' ? [] : auth === 'optional' ? [{}, { apiToken: [] }] : [{ apiToken: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(BODY_METHODS.has(route.method) && doc?.body
      ? { requestBody: { required: false, content: { 'application/json': { schema: ref(doc.body) } } } }
      : {}),
    // Uploads take the bytes as they are, with the Content-Type and Content-MD5 of the declaration.
    ...(route.rawBody ? { requestBody: { required: true, content: { '*/*': { schema: { description: 'The file bytes.' } } } } } : {}),
    responses: {
      '200': { description: 'Success', content: { 'application/json': { schema: response } } },
      '204': { description: 'Success without a body (request header `X-Response-Content: skip`)' },
      ...errors,
    },
    'x-sextant-route': route.name,
    ...(route.method === 'MERGE' ? { 'x-http-method': 'MERGE' } : {}),
    ...(route.allowDevelopment ? { 'x-development-tokens': true } : {}),
    ...(route.allowGuest ? { 'x-guest-tokens': true } : {}),
  };
}

/**
 * Builds the OpenAPI 3.1 document from the route table, so it lists exactly the routes the server
 * registers: a route added to the table appears here at once (described by route-docs.ts).
 */
export function buildOpenApiDocument(routes: readonly RouteDef[], opts: { readonly version: string }): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = new Map<string, number>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    // Statement names are shared by alternative paths (experiment.list): operationIds must not be.
    const seen = ids.get(route.name) ?? 0;
    ids.set(route.name, seen + 1);
    const operationId = seen === 0 ? route.name : `${route.name}.${seen + 1}`;
    const item = (paths[openApiPath(route.path)] ??= {});
    item[operationKey(route.method)] = operation(route, ROUTE_DOCS[key], operationId);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sextant (SigOpt v1 API)',
      version: opts.version,
      description:
        'A self-hosted Bayesian optimization service that speaks the SigOpt v1 REST API. Authenticate with HTTP Basic: the API token is the user name, the password is empty. Ids are decimal strings, times unix seconds; every object carries `object`. Errors are `{"message", "status"}`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiToken: { type: 'http', scheme: 'basic', description: 'User name: the API token; password: empty.' } },
      schemas: toJson(COMPONENT_SCHEMAS),
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          status,
          { description, content: { 'application/json': { schema: ref('Error') } } },
        ]),
      ),
    },
    paths,
  };
}
