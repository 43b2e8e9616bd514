import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Services } from '../routes/services.ts';
import { routeTable } from '../routes/route-table.ts';
import { API_VERSION, buildOpenApiDocument, openApiPath, operationKey } from './openapi-document.ts';
import { ROUTE_DOCS } from './route-docs.ts';

const s = {} as Services;
const table = routeTable(s, { settings: s as never, requireOperator: async () => {} }, { batchBodyLimit: 1 });
const doc = buildOpenApiDocument(table, { version: API_VERSION });
const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
/** SigOpt's MERGE verb, which no OpenAPI path item field can hold (openapi-document.ts, operationKey). */
const EXTENSION_METHODS: Readonly<Record<string, string>> = { 'x-merge': 'MERGE' };

/** ajv over the whole document, so `#/components/...` references resolve as a reader's tool would. */
function validator() {
  // strict: false — OpenAPI keywords (paths, operationId, …) sit around the schemas.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema(doc, 'openapi.json');
  return (pointer: string, value: unknown): string[] => {
    const check = ajv.getSchema(`openapi.json#${pointer}`);
    if (!check) throw new Error(`no schema at ${pointer}`);
    return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  };
}
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

describe('OpenAPI document generated from the route table', () => {
  it('has exactly one operation per route of the table (MERGE as the x-merge extension)', () => {
    // Counts the HTTP methods and, explicitly, the x-merge extension: a route must not go missing.
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => METHODS.includes(k) || k in EXTENSION_METHODS)
        .map((k) => `${EXTENSION_METHODS[k] ?? k.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(table.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    expect(table.some((r) => r.method === 'MERGE')).toBe(true);
    const merge = doc.paths['/v1/training_runs/{id}']?.['x-merge'] as Record<string, unknown>;
    expect(merge).toMatchObject({ operationId: 'training_run.merge', 'x-http-method': 'MERGE' });
    expect(merge.requestBody).toBeDefined();
    // Nothing else beside the methods on a path item: every key is an operation.
    for (const item of Object.values(doc.paths))
      for (const k of Object.keys(item)) expect(METHODS.includes(k) || k in EXTENSION_METHODS, k).toBe(true);
    const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => (op as { operationId: string }).operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every route (and nothing that is no longer a route)', () => {
    const keys = table.map((r) => `${r.method} ${r.path}`);
    expect(keys.filter((k) => !(k in ROUTE_DOCS))).toEqual([]);
    expect(Object.keys(ROUTE_DOCS).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('names every path parameter of a route, and asks no token on the login route', () => {
    for (const r of table) {
      const op = doc.paths[openApiPath(r.path)]?.[operationKey(r.method)] as {
        parameters?: { name: string; in: string }[];
        security: unknown[];
      };
      const names = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(names, r.path).toEqual([...r.path.matchAll(/\{(\w+)(?::str)?\}/g)].map((m) => m[1]));
    }
    expect((doc.paths['/v1/sessions']?.post as { security: unknown[] }).security).toEqual([]);
    expect((doc.paths['/v1/users']?.post as { security: unknown[] }).security).toEqual([{}, { apiToken: [] }]);
  });

  it('compiles every schema it uses (every reference resolves) and every example validates', () => {
    const validate = validator();
    const schemas = (doc.components as { schemas: Record<string, { examples?: unknown[] }> }).schemas;
    let examples = 0;
    for (const [name, schema] of Object.entries(schemas)) {
      expect(schema.examples?.length, `${name} has an example`).toBeGreaterThan(0);
      for (const example of schema.examples ?? []) {
        expect(validate(`/components/schemas/${name}`, example), name).toEqual([]);
        examples++;
      }
    }
    expect(examples).toBeGreaterThanOrEqual(Object.keys(schemas).length);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) {
        const base = `/paths/${escape(path)}/${method}`;
        expect(() => validate(`${base}/responses/200/content/application~1json/schema`, {}), `${method} ${path}`).not.toThrow();
        const op = item[method] as { requestBody?: { content: Record<string, unknown> } };
        for (const type of Object.keys(op.requestBody?.content ?? {}))
          expect(() => validate(`${base}/requestBody/content/${escape(type)}/schema`, {})).not.toThrow();
      }
    }
  });

  it('rejects what the contract rejects (the schemas are not vacuous)', () => {
    const validate = validator();
    expect(validate('/components/schemas/Error', { message: 'x' })).not.toEqual([]);
    expect(validate('/components/schemas/Client', { object: 'client', id: 7 })).not.toEqual([]);
    expect(validate('/components/schemas/UserCreate', { email: 'a@b.c', name: 'P', password: 'short' })).not.toEqual([]);
    expect(validate('/components/schemas/TrainingRunUpdate', { state: 'running' })).not.toEqual([]);
    expect(validate('/components/schemas/TrainingRunUpdate', { colour: 'red' })).not.toEqual([]);
    expect(validate('/components/schemas/TrainingRunCreate', { state: 'active' })).not.toEqual([]);
    expect(validate('/components/schemas/AIExperiment', { object: 'experiment' })).not.toEqual([]);
  });
});
