import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, test } from 'vitest';
import { routeTable } from '../../src/server/routes/route-table.ts';
import type { Services } from '../../src/server/routes/services.ts';
import { toPathRegex } from '../../src/server/http/route-paths.ts';
import { API_VERSION, buildOpenApiDocument, openApiPath, operationKey } from '../../src/server/openapi/openapi-document.ts';
import { httpBackends } from '../support/server.ts';
import { minimalExperiment, ok, raw, useServer } from '../support/conformance.ts';
import type { ApiResponse } from '../support/sigopt-client.ts';
import { SigoptClient } from '../support/sigopt-client.ts';

/**
 * Issue 12 part 5: the OpenAPI document at /v1/openapi.json and the browsable /docs, and the
 * documented schemas checked against live answers: every response of the requests below
 * (success or error) must validate against what the document says its route returns.
 */
const s = {} as Services;
const table = routeTable(s, { settings: s as never, requireOperator: async () => {} }, { batchBodyLimit: 1 });

describe.each(httpBackends())('OpenAPI on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);

  test.skipIf(skip)('/v1/openapi.json is the document of the route table, served without a token; /docs browses it', async () => {
    const res = await raw(ctx.srv.url, 'GET', '/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument(table, { version: API_VERSION }))));
    const page = await fetch(`${ctx.srv.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('swagger-ui');
    const spec = await raw(ctx.srv.url, 'GET', '/docs/json');
    expect(spec.body.paths).toEqual(res.body.paths);
  });

  test.skipIf(skip)('live answers validate against the documented schemas', async () => {
    const doc = (await raw(ctx.srv.url, 'GET', '/v1/openapi.json')).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(doc, 'openapi.json');
    const checked = new Set<string>();
    const problems: string[] = [];
    const check = async (client: SigoptClient, method: string, path: string, body?: Record<string, unknown>): Promise<ApiResponse> => {
      const res = await client.request(method, path, body);
      const bare = path.split('?')[0] ?? path;
      const route = table.find((r) => r.method === method && toPathRegex(r.path).test(bare));
      if (!route) throw new Error(`no route for ${method} ${path}`);
      const status = res.status === 200 ? '200' : String(res.status);
      const escaped = openApiPath(route.path).replace(/~/g, '~0').replace(/\//g, '~1');
      const pointer =
        status === '200'
          ? `/paths/${escaped}/${operationKey(method)}/responses/200/content/application~1json/schema`
          : `/components/schemas/Error`;
      const validate = ajv.getSchema(`openapi.json#${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      if (!validate(res.body))
        problems.push(`${method} ${path} → ${res.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(res.body).slice(0, 300)}`);
      checked.add(`${method} ${route.path}`);
      return res;
    };
    const api = ctx.api;
    const self = ok(await check(api, 'GET', '/v1/tokens/self'));
    await check(api, 'GET', '/v1');
    await check(api, 'GET', '/v1/sessions');
    await check(api, 'GET', `/v1/clients/${self.client}`);
    await check(api, 'GET', `/v1/organizations/${self.organization}`);
    await check(api, 'GET', `/v1/organizations/${self.organization}/clients`);
    const exp = ok(
      await check(
        api,
        'POST',
        '/v1/experiments',
        minimalExperiment({ metrics: [{ name: 'f', objective: 'maximize' }], observation_budget: 10, metadata: { team: 'ml', n: 1 } }),
      ),
    );
    const base = `/v1/experiments/${exp.id}`;
    await check(api, 'GET', base);
    await check(api, 'PUT', base, { name: 'renamed' });
    await check(api, 'GET', '/v1/experiments');
    await check(api, 'GET', `/v1/clients/${self.client}/experiments`);
    const sug = ok(await check(api, 'POST', `${base}/suggestions`, {}));
    await check(api, 'GET', `${base}/suggestions`);
    await check(api, 'GET', `${base}/suggestions/${sug.id}`);
    await check(api, 'PUT', `${base}/suggestions/${sug.id}`, { metadata: { gpu: 'a100' } });
    await check(api, 'POST', `${base}/observations`, { suggestion: sug.id, values: [{ name: 'f', value: 1.5 }] });
    await check(api, 'POST', `${base}/observations/batch`, {
      observations: [{ assignments: { x: 0.2 }, values: [{ name: 'f', value: 0.5 }] }],
    });
    await check(api, 'GET', `${base}/observations`);
    await check(api, 'POST', `${base}/observations`, { assignments: { x: 0.7 }, failed: true });
    const q = ok(await check(api, 'POST', `${base}/queued_suggestions`, { assignments: { x: 0.25 } }));
    await check(api, 'GET', `${base}/queued_suggestions/${q.id}`);
    await check(api, 'GET', `${base}/best_assignments`);
    await check(api, 'GET', `${base}/stopping_criteria`);
    await check(api, 'GET', `${base}/best_practices`);
    await check(api, 'GET', base);
    await check(api, 'POST', `${base}/tokens`, {});
    await check(api, 'POST', `/v1/clients/${self.client}/projects`, { id: 'openapi', name: 'OpenAPI' });
    await check(api, 'GET', `/v1/clients/${self.client}/projects`);
    await check(api, 'DELETE', `${base}/queued_suggestions/${q.id}`);
    // An AI experiment and one of its runs, MERGE (the x-merge operation) included.
    const ai = ok(
      await check(api, 'POST', `/v1/clients/${self.client}/projects/openapi/aiexperiments`, {
        name: 'ai',
        parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }],
        metrics: [{ name: 'f', objective: 'maximize' }],
        budget: 5,
      }),
    );
    const run = ok(await check(api, 'POST', `/v1/aiexperiments/${ai.id}/training_runs`, { name: 'run' }));
    const runs = [
      await check(api, 'GET', `/v1/aiexperiments/${ai.id}`),
      await check(api, 'GET', `/v1/training_runs/${run.id}`),
      await check(api, 'MERGE', `/v1/training_runs/${run.id}`, { logs: { stdout: { content: 'epoch 1' } }, values: { f: { value: 0.5 } } }),
      await check(api, 'POST', `/v1/training_runs/${run.id}/checkpoints`, { values: [{ name: 'f', value: 0.4 }], metadata: { epoch: 1 } }),
      await check(api, 'GET', `/v1/training_runs/${run.id}/checkpoints`),
      await check(api, 'POST', `/v1/training_runs/${run.id}/files`, {
        filename: 'a.png',
        content_type: 'image/png',
        content_length: 0,
        content_md5: '1B2M2Y8AsgTpgAmY7PhCfg==',
      }),
      await check(api, 'PUT', `/v1/training_runs/${run.id}`, { state: 'completed' }),
      await check(api, 'GET', `/v1/aiexperiments/${ai.id}/best_training_runs`),
      await check(api, 'GET', `/v1/clients/${self.client}/projects/openapi/training_runs`),
    ];
    // Successes, so the object schemas (not only Error) were checked.
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 200));
    expect(runs[7]?.body.count).toBe(1);
    // Password accounts: sign-up (closed: the operator's token), login, a team of one's own.
    const user = ok(await check(api, 'POST', '/v1/users', { email: `openapi-${name}@example.org`, name: 'O', password: 'Openapi-pass-1' }));
    const anonymous = new SigoptClient(ctx.srv.url, '');
    const session = ok(await check(anonymous, 'POST', '/v1/sessions', { email: user.email, password: 'Openapi-pass-1' }));
    const me = new SigoptClient(ctx.srv.url, session.api_token.token);
    await check(me, 'POST', '/v1/clients', { name: 'Mine' });
    await check(me, 'GET', '/v1/sessions');
    await check(me, 'GET', `/v1/users/${user.id}`);
    // Errors have the documented Error shape.
    expect((await check(api, 'GET', '/v1/experiments/999999999')).status).toBe(404);
    expect((await check(api, 'POST', '/v1/experiments', { name: 'no parameters' })).status).toBe(400);
    expect((await check(me, 'POST', '/v1/experiments', minimalExperiment())).status).toBe(403);
    expect(problems).toEqual([]);
    expect(checked.size).toBeGreaterThanOrEqual(30);
  });
});
