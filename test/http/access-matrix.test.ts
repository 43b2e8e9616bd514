import { beforeAll, describe, expect, test } from 'vitest';
import { routeTable } from '../../src/server/routes/route-table.ts';
import type { Services } from '../../src/server/routes/services.ts';
import { httpBackends } from '../support/server.ts';
import { useServer } from '../support/conformance.ts';
import { buildTenancyWorld, type TenancyWorld } from '../support/tenancy-fixture.ts';

/**
 * The access matrix of issue 7: one representative request per route of the route table, sent
 * with every kind of token, and the status each must get. Expired and revoked tokens always get
 * 403 (authentication fails before anything else), so the table lists the other six kinds:
 *
 *   root   team A's root client token (owner level, the operator)
 *   read   a user-bound client-api token of a member with the read role
 *   other  team B's root token (another organization)
 *   guest  a share token on the addressed experiment;  guest2  a share token on another experiment
 *   dev    the owner's development token (the addressed experiment is a production one)
 *
 * Rows run root last, so a root request that changes something cannot change what the others see;
 * root's writes to one experiment go to a fresh experiment of team A.
 */

type Kind = 'root' | 'read' | 'other' | 'guest' | 'guest2' | 'dev' | 'expired' | 'revoked';
const KINDS: readonly Kind[] = ['read', 'other', 'guest', 'guest2', 'dev', 'expired', 'revoked', 'root'];

/** Ids a row's path and body are built from (the shared world's, or a fresh experiment's for root writes). */
interface Ids {
  readonly exp: string;
  readonly sug: string;
  readonly obs: string;
  readonly q: string;
}

interface Row {
  /** The route pattern, as in the route table (checked for completeness below). */
  readonly route: string;
  path(w: TenancyWorld, ids: Ids, x: Extras): string;
  body?(w: TenancyWorld, ids: Ids, x: Extras): Record<string, unknown>;
  /** Expected statuses for root, read, other, guest, guest2, dev [, expired, revoked: 403 unless given]. */
  readonly expect: string;
  /** Root's request needs its own experiment (it writes to it). */
  readonly fresh?: boolean;
}

/** Tokens made for the token rows (so revoking or rotating them disturbs nothing else). */
interface Extras {
  readonly spareValue: string;
  /** Id of another token, for rotation. */
  readonly rotatableId: string;
  /** Team A's AI experiment (in w.project) and a run in it; a second AI experiment only root deletes. */
  readonly aiExp: string;
  readonly aiDoomed: string;
  readonly run: string;
  /** A declared file of that run (its upload link's token is not used by the matrix). */
  readonly file: string;
  /** A user with a password, for the login row. */
  readonly loginEmail: string;
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${++seq}`;

// Status codes per kind: root read other guest guest2 dev.
const EXP_READ = '200 200 404 200 404 403';
const EXP_WRITE = '200 403 404 403 404 403';
const CLIENT_READ = '200 200 404 403 403 200';
const ACCOUNT_READ = '200 200 404 403 403 403';
// Server settings (admin-routes.ts): any client's root token or an owner; dev and guest refused.
const SETTINGS = '200 403 403 403 403 403';
const TENANCY_ADMIN = '200 403 404 403 403 403';
// A run of (or an AI experiment of) team A, production: guests are refused by route, the dev token by the development split.
const RUN_READ = '200 200 404 403 403 403';
const RUN_WRITE = '200 403 404 403 403 403';
// AI experiment reads admit guest tokens, which see only their own experiment.
const AI_READ = '200 200 404 404 404 403';

const ROWS: readonly Row[] = [
  { route: 'GET /', path: () => '/', expect: '200 200 200 200 200 200' },
  { route: 'GET /v1', path: () => '/v1', expect: '200 200 200 200 200 200' },
  { route: 'GET /v1/tokens/self', path: () => '/v1/tokens/self', expect: '200 200 200 200 200 200' },
  { route: 'GET /v1/tokens/{token:str}', path: (w) => `/v1/tokens/${w.tokens.reader}`, expect: '200 200 404 404 404 200' },
  { route: 'GET /v1/sessions', path: () => '/v1/sessions', expect: '200 200 200 403 403 200' },
  { route: 'GET /v1/clients/{id}', path: (w) => `/v1/clients/${w.clientA}`, expect: ACCOUNT_READ },
  { route: 'GET /v1/organizations/{id}', path: (w) => `/v1/organizations/${w.orgA}`, expect: ACCOUNT_READ },
  { route: 'GET /v1/users/{id}', path: (w) => `/v1/users/${w.users.reader}`, expect: '404 200 404 403 403 403' },
  { route: 'POST /v1/experiments/{id}/tokens', path: (_w, i) => `/v1/experiments/${i.exp}/tokens`, body: () => ({}), expect: '200 403 404 403 403 403', fresh: true },
  { route: 'POST /v1/experiments', path: () => '/v1/experiments', body: () => experiment(), expect: '200 403 200 403 403 200' },
  { route: 'POST /v1/clients/{clientId}/experiments', path: (w) => `/v1/clients/${w.clientA}/experiments`, body: () => experiment(), expect: '200 403 404 403 403 200' },
  { route: 'GET /v1/experiments', path: () => '/v1/experiments', expect: '200 200 200 403 403 200' },
  { route: 'GET /v1/clients/{clientId}/experiments', path: (w) => `/v1/clients/${w.clientA}/experiments`, expect: CLIENT_READ },
  { route: 'GET /v1/clients/{clientId}/projects/{projectId:str}/experiments', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}/experiments`, expect: CLIENT_READ },
  { route: 'GET /v1/users/{userId}/experiments', path: (w) => `/v1/users/${w.users.reader}/experiments`, expect: '404 200 404 403 403 404' },
  { route: 'GET /v1/organizations/{organizationId}/experiments', path: (w) => `/v1/organizations/${w.orgA}/experiments`, expect: CLIENT_READ },
  { route: 'GET /v1/experiments/{id}', path: (_w, i) => `/v1/experiments/${i.exp}`, expect: EXP_READ },
  { route: 'PUT /v1/experiments/{id}', path: (_w, i) => `/v1/experiments/${i.exp}`, body: () => ({ name: 'renamed' }), expect: EXP_WRITE, fresh: true },
  { route: 'DELETE /v1/experiments/{id}', path: (_w, i) => `/v1/experiments/${i.exp}`, expect: EXP_WRITE, fresh: true },
  { route: 'GET /v1/experiments/{id}/best_assignments', path: (_w, i) => `/v1/experiments/${i.exp}/best_assignments`, expect: EXP_READ },
  { route: 'GET /v1/experiments/{id}/stopping_criteria', path: (_w, i) => `/v1/experiments/${i.exp}/stopping_criteria`, expect: EXP_READ },
  { route: 'GET /v1/experiments/{id}/metric_importances', path: (_w, i) => `/v1/experiments/${i.exp}/metric_importances`, expect: EXP_READ },
  { route: 'PUT /v1/experiments/{id}/metric_importances', path: (_w, i) => `/v1/experiments/${i.exp}/metric_importances`, body: () => ({}), expect: EXP_WRITE, fresh: true },
  { route: 'GET /v1/experiments/{id}/best_practices', path: (_w, i) => `/v1/experiments/${i.exp}/best_practices`, expect: EXP_READ },
  { route: 'DELETE /v1/experiments/{id}/hyperparameters', path: (_w, i) => `/v1/experiments/${i.exp}/hyperparameters`, expect: EXP_WRITE, fresh: true },
  { route: 'POST /v1/experiments/{id}/suggestions', path: (_w, i) => `/v1/experiments/${i.exp}/suggestions`, body: () => ({}), expect: EXP_WRITE, fresh: true },
  { route: 'GET /v1/experiments/{id}/suggestions', path: (_w, i) => `/v1/experiments/${i.exp}/suggestions`, expect: EXP_READ },
  { route: 'GET /v1/experiments/{id}/suggestions/{sid}', path: (_w, i) => `/v1/experiments/${i.exp}/suggestions/${i.sug}`, expect: EXP_READ },
  { route: 'PUT /v1/experiments/{id}/suggestions/{sid}', path: (_w, i) => `/v1/experiments/${i.exp}/suggestions/${i.sug}`, body: () => ({ metadata: { k: 1 } }), expect: EXP_WRITE, fresh: true },
  { route: 'DELETE /v1/experiments/{id}/suggestions/{sid}', path: (_w, i) => `/v1/experiments/${i.exp}/suggestions/${i.sug}`, expect: EXP_WRITE, fresh: true },
  { route: 'DELETE /v1/experiments/{id}/suggestions', path: (_w, i) => `/v1/experiments/${i.exp}/suggestions`, expect: EXP_WRITE, fresh: true },
  { route: 'POST /v1/experiments/{id}/queued_suggestions', path: (_w, i) => `/v1/experiments/${i.exp}/queued_suggestions`, body: () => ({ assignments: { x: 0.5 } }), expect: EXP_WRITE, fresh: true },
  { route: 'GET /v1/experiments/{id}/queued_suggestions', path: (_w, i) => `/v1/experiments/${i.exp}/queued_suggestions`, expect: EXP_READ },
  { route: 'GET /v1/experiments/{id}/queued_suggestions/{qid}', path: (_w, i) => `/v1/experiments/${i.exp}/queued_suggestions/${i.q}`, expect: EXP_READ },
  { route: 'DELETE /v1/experiments/{id}/queued_suggestions/{qid}', path: (_w, i) => `/v1/experiments/${i.exp}/queued_suggestions/${i.q}`, expect: EXP_WRITE, fresh: true },
  {
    route: 'POST /v1/experiments/{id}/observations',
    path: (_w, i) => `/v1/experiments/${i.exp}/observations`,
    body: () => ({ assignments: { x: 0.3 }, values: [{ value: 1 }] }),
    expect: EXP_WRITE,
    fresh: true,
  },
  {
    route: 'POST /v1/experiments/{id}/observations/batch',
    path: (_w, i) => `/v1/experiments/${i.exp}/observations/batch`,
    body: () => ({ observations: [{ assignments: { x: 0.4 }, values: [{ value: 2 }] }] }),
    expect: EXP_WRITE,
    fresh: true,
  },
  { route: 'GET /v1/experiments/{id}/observations', path: (_w, i) => `/v1/experiments/${i.exp}/observations`, expect: EXP_READ },
  { route: 'GET /v1/experiments/{id}/observations/{oid}', path: (_w, i) => `/v1/experiments/${i.exp}/observations/${i.obs}`, expect: EXP_READ },
  { route: 'PUT /v1/experiments/{id}/observations/{oid}', path: (_w, i) => `/v1/experiments/${i.exp}/observations/${i.obs}`, body: () => ({ values: [{ value: 3 }] }), expect: EXP_WRITE, fresh: true },
  { route: 'DELETE /v1/experiments/{id}/observations/{oid}', path: (_w, i) => `/v1/experiments/${i.exp}/observations/${i.obs}`, expect: EXP_WRITE, fresh: true },
  { route: 'DELETE /v1/experiments/{id}/observations', path: (_w, i) => `/v1/experiments/${i.exp}/observations`, expect: EXP_WRITE, fresh: true },
  { route: 'POST /v1/clients/{clientId}/projects', path: (w) => `/v1/clients/${w.clientA}/projects`, body: () => ({ id: `p-${unique()}`, name: 'matrix' }), expect: '200 403 404 403 403 200' },
  { route: 'GET /v1/clients/{clientId}/projects', path: (w) => `/v1/clients/${w.clientA}/projects`, expect: CLIENT_READ },
  { route: 'GET /v1/clients/{clientId}/projects/{projectId:str}', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}`, expect: CLIENT_READ },
  { route: 'PUT /v1/clients/{clientId}/projects/{projectId:str}', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}`, body: () => ({ name: 'Tenancy' }), expect: '200 403 404 403 403 200' },
  { route: 'GET /v1/admin/settings', path: () => '/v1/admin/settings', expect: SETTINGS },
  { route: 'GET /v1/admin/settings/{key:str}', path: () => '/v1/admin/settings/log.slow_request_ms', expect: SETTINGS },
  { route: 'PUT /v1/admin/settings/{key:str}', path: () => '/v1/admin/settings/log.slow_request_ms', body: () => ({ value: 1000 }), expect: SETTINGS },
  { route: 'DELETE /v1/admin/settings/{key:str}', path: () => '/v1/admin/settings/log.slow_request_ms', expect: SETTINGS },
  { route: 'GET /v1/admin/profiles', path: () => '/v1/admin/profiles', expect: SETTINGS },
  { route: 'POST /v1/admin/profiles/{name:str}/apply', path: () => '/v1/admin/profiles/default/apply', body: () => ({}), expect: SETTINGS },
  // Server settings are the operator's alone: another team's root token gets 403 (it cannot revert the operator's profile).
  { route: 'POST /v1/admin/profiles/revert', path: () => '/v1/admin/profiles/revert', body: () => ({}), expect: SETTINGS },
  { route: 'GET /v1/admin/audit', path: () => '/v1/admin/audit', expect: SETTINGS },
  { route: 'PUT /v1/tokens/{token:str}', path: (_w, _i, x) => `/v1/tokens/${x.spareValue}`, body: () => ({ expires: 'renew' }), expect: '200 403 404 403 403 403' },
  { route: 'DELETE /v1/tokens/{token:str}', path: (_w, _i, x) => `/v1/tokens/${x.spareValue}`, expect: '200 403 404 403 403 403' },
  { route: 'GET /v1/clients/{clientId}/tokens', path: (w) => `/v1/clients/${w.clientA}/tokens`, expect: ACCOUNT_READ },
  { route: 'POST /v1/admin/organizations', path: () => '/v1/admin/organizations', body: () => ({ name: 'matrix org' }), expect: '200 403 403 403 403 403' },
  { route: 'POST /v1/admin/clients', path: () => '/v1/admin/clients', body: (w) => ({ organization: w.orgA, name: 'matrix team' }), expect: '200 403 404 403 403 403' },
  { route: 'POST /v1/admin/users', path: () => '/v1/admin/users', body: () => ({ email: `m-${unique()}@example.org`, name: 'M' }), expect: '200 403 200 403 403 403' },
  { route: 'PUT /v1/admin/clients/{clientId}/memberships', path: (w) => `/v1/admin/clients/${w.clientA}/memberships`, body: (w) => ({ user: w.users.outsider, role: 'read' }), expect: TENANCY_ADMIN },
  { route: 'DELETE /v1/admin/clients/{clientId}/memberships/{userId}', path: (w) => `/v1/admin/clients/${w.clientA}/memberships/${w.users.outsider}`, expect: TENANCY_ADMIN },
  { route: 'POST /v1/admin/tokens', path: () => '/v1/admin/tokens', body: (w) => ({ client: w.clientA }), expect: TENANCY_ADMIN },
  { route: 'GET /v1/admin/clients/{clientId}/tokens', path: (w) => `/v1/admin/clients/${w.clientA}/tokens`, expect: TENANCY_ADMIN },
  { route: 'DELETE /v1/admin/tokens/{token:str}', path: (w) => `/v1/admin/tokens/${w.tokens.revoked}`, expect: TENANCY_ADMIN },
  { route: 'POST /v1/admin/tokens/{token:str}/rotate', path: (_w, _i, x) => `/v1/admin/tokens/${x.rotatableId}/rotate`, body: () => ({}), expect: TENANCY_ADMIN },
  { route: 'GET /v1/admin/audit_log', path: () => '/v1/admin/audit_log', expect: '200 403 403 403 403 403' },
  // Issue 12: training runs and AI experiments (team A's run is 404 to team B; runs of a production AI experiment refuse the dev token).
  { route: 'POST /v1/clients/{clientId}/projects/{projectId:str}/training_runs', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}/training_runs`, body: () => ({ name: 'matrix' }), expect: '200 403 404 403 403 200' },
  { route: 'POST /v1/clients/{clientId}/projects/{projectId:str}/training_runs/batch', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}/training_runs/batch`, body: () => ({ runs: [{ name: 'matrix' }] }), expect: '200 403 404 403 403 200' },
  { route: 'GET /v1/clients/{clientId}/projects/{projectId:str}/training_runs', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}/training_runs`, expect: CLIENT_READ },
  { route: 'GET /v1/clients/{clientId}/training_runs', path: (w) => `/v1/clients/${w.clientA}/training_runs`, expect: CLIENT_READ },
  { route: 'GET /v1/organizations/{organizationId}/training_runs', path: (w) => `/v1/organizations/${w.orgA}/training_runs`, expect: CLIENT_READ },
  { route: 'GET /v1/training_runs/{id}', path: (_w, _i, x) => `/v1/training_runs/${x.run}`, expect: RUN_READ },
  { route: 'PUT /v1/training_runs/{id}', path: (_w, _i, x) => `/v1/training_runs/${x.run}`, body: () => ({ name: 'renamed' }), expect: RUN_WRITE },
  { route: 'MERGE /v1/training_runs/{id}', path: (_w, _i, x) => `/v1/training_runs/${x.run}`, body: () => ({ metadata: { k: 1 } }), expect: RUN_WRITE },
  { route: 'POST /v1/training_runs/{id}/checkpoints', path: (_w, _i, x) => `/v1/training_runs/${x.run}/checkpoints`, body: () => ({ values: [{ name: 'f', value: 1 }] }), expect: RUN_WRITE },
  { route: 'GET /v1/training_runs/{id}/checkpoints', path: (_w, _i, x) => `/v1/training_runs/${x.run}/checkpoints`, expect: RUN_READ },
  { route: 'POST /v1/training_runs/{id}/files', path: (_w, _i, x) => `/v1/training_runs/${x.run}/files`, body: () => fileBody(), expect: RUN_WRITE },
  // The upload link ignores API tokens: without the link's own token every caller gets 403.
  { route: 'PUT /v1/files/{id}/upload', path: (_w, _i, x) => `/v1/files/${x.file}/upload`, body: () => ({}), expect: '403 403 403 403 403 403' },
  { route: 'DELETE /v1/training_runs/{id}', path: (_w, _i, x) => `/v1/training_runs/${x.run}`, expect: RUN_WRITE },
  { route: 'POST /v1/clients/{clientId}/projects/{projectId:str}/aiexperiments', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}/aiexperiments`, body: () => aiExperiment(), expect: '200 403 404 403 403 403' },
  { route: 'GET /v1/clients/{clientId}/projects/{projectId:str}/aiexperiments', path: (w) => `/v1/clients/${w.clientA}/projects/${w.project}/aiexperiments`, expect: CLIENT_READ },
  { route: 'GET /v1/aiexperiments', path: () => '/v1/aiexperiments', expect: '200 200 200 403 403 200' },
  { route: 'GET /v1/aiexperiments/{id}', path: (_w, _i, x) => `/v1/aiexperiments/${x.aiExp}`, expect: AI_READ },
  { route: 'PUT /v1/aiexperiments/{id}', path: (_w, _i, x) => `/v1/aiexperiments/${x.aiExp}`, body: () => ({ name: 'renamed' }), expect: RUN_WRITE },
  { route: 'GET /v1/aiexperiments/{id}/best_training_runs', path: (_w, _i, x) => `/v1/aiexperiments/${x.aiExp}/best_training_runs`, expect: AI_READ },
  { route: 'POST /v1/aiexperiments/{id}/training_runs', path: (_w, _i, x) => `/v1/aiexperiments/${x.aiExp}/training_runs`, body: () => ({ name: 'matrix' }), expect: RUN_WRITE },
  { route: 'GET /v1/experiments/{id}/best_training_runs', path: (_w, _i, x) => `/v1/experiments/${x.aiExp}/best_training_runs`, expect: AI_READ },
  { route: 'POST /v1/experiments/{id}/training_runs', path: (_w, _i, x) => `/v1/experiments/${x.aiExp}/training_runs`, body: () => ({ name: 'matrix' }), expect: RUN_WRITE },
  { route: 'DELETE /v1/aiexperiments/{id}', path: (_w, _i, x) => `/v1/aiexperiments/${x.aiDoomed}`, expect: RUN_WRITE },
  // Password accounts. Sign-up is closed by default: the operator and client administrators only
  // (team B's root token administers team B); an invalid token is refused even though none is needed.
  { route: 'POST /v1/users', path: () => '/v1/users', body: () => ({ email: `s-${unique()}@example.org`, name: 'S', password: 'Matrix-pass-1' }), expect: '200 403 200 403 403 403' },
  // Login reads no token at all: every kind, expired and revoked included, gets a session.
  { route: 'POST /v1/sessions', path: () => '/v1/sessions', body: (_w, _i, x) => ({ email: x.loginEmail, password: 'Matrix-pass-1' }), expect: '200 200 200 200 200 200 200 200' },
  // A team of one's own needs a session (user) token: none of these kinds is one.
  { route: 'POST /v1/clients', path: () => '/v1/clients', body: () => ({ name: 'mine' }), expect: '403 403 403 403 403 403' },
  { route: 'GET /v1/organizations/{organizationId}/clients', path: (w) => `/v1/organizations/${w.orgA}/clients`, expect: ACCOUNT_READ },
  // The API description reads no token.
  { route: 'GET /v1/openapi.json', path: () => '/v1/openapi.json', expect: '200 200 200 200 200 200 200 200' },
];

function fileBody(): Record<string, unknown> {
  return { content_length: 3, content_md5: 'kAFQmDzST7DWlj99KOF/cg==', content_type: 'text/plain', name: 'matrix.txt' };
}

function aiExperiment(): Record<string, unknown> {
  return { name: 'matrix', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }], metrics: ['f'], budget: 5 };
}

function experiment(): Record<string, unknown> {
  return { name: 'matrix', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] };
}

function expected(row: Row, kind: Kind): number {
  const [root, read, other, guest, guest2, dev, expired = 403, revoked = 403] = row.expect.split(' ').map(Number);
  return { root, read, other, guest, guest2, dev, expired, revoked }[kind] as number;
}

describe('access matrix covers the route table', () => {
  test('one row per route', () => {
    const s = {} as Services;
    const table = routeTable(s, { settings: s as never, requireOperator: async () => {} }, { batchBodyLimit: 1 }).map((r) => `${r.method} ${r.path}`);
    expect(new Set(ROWS.map((r) => r.route))).toEqual(new Set(table));
    expect(ROWS).toHaveLength(new Set(ROWS.map((r) => r.route)).size);
  });
});

describe.each(httpBackends())('access matrix on $name', ({ name, skip }) => {
  const ctx = useServer(name, skip);
  let w: TenancyWorld;
  let x: Extras;
  beforeAll(async () => {
    if (skip) return;
    w = await buildTenancyWorld(ctx.srv);
    const root = w.client(w.tokens.root);
    const spare = (await root.request('POST', '/v1/admin/tokens', { client: w.clientA })).body;
    const rotatable = (await root.request('POST', '/v1/admin/tokens', { client: w.clientA })).body;
    const ai = `/v1/clients/${w.clientA}/projects/${w.project}/aiexperiments`;
    const aiExp = (await root.request('POST', ai, aiExperiment())).body.id;
    const aiDoomed = (await root.request('POST', ai, aiExperiment())).body.id;
    const run = (await root.request('POST', `/v1/aiexperiments/${aiExp}/training_runs`, { name: 'matrix' })).body.id;
    const file = (await root.request('POST', `/v1/training_runs/${run}/files`, fileBody())).body.id;
    const loginEmail = `login-${unique()}@example.org`;
    await root.request('POST', '/v1/users', { email: loginEmail, name: 'Login', password: 'Matrix-pass-1' });
    x = { spareValue: spare.token, rotatableId: rotatable.id, aiExp, aiDoomed, run, file, loginEmail };
  }, 120_000);

  const tokenOf = (kind: Kind): string =>
    ({
      root: w.tokens.root,
      read: w.tokens.reader,
      other: w.tokens.otherTeam,
      guest: w.tokens.guest,
      guest2: w.tokens.guestElsewhere,
      dev: w.tokens.dev,
      expired: w.tokens.expired,
      revoked: w.tokens.revoked,
    })[kind];

  async function freshIds(): Promise<Ids> {
    const root = w.client(w.tokens.root);
    const exp = (await root.request('POST', '/v1/experiments', experiment())).body.id;
    const sug = (await root.request('POST', `/v1/experiments/${exp}/suggestions`, {})).body.id;
    const obs = (await root.request('POST', `/v1/experiments/${exp}/observations`, { suggestion: sug, values: [{ value: 1 }] })).body.id;
    const sug2 = (await root.request('POST', `/v1/experiments/${exp}/suggestions`, {})).body.id;
    const q = (await root.request('POST', `/v1/experiments/${exp}/queued_suggestions`, { assignments: { x: 0.75 } })).body.id;
    return { exp, sug: sug2, obs, q };
  }

  test.skipIf(skip)('every route × every token kind gets the expected status', async () => {
    const shared: Ids = { exp: w.experiment, sug: w.suggestion, obs: w.observation, q: w.queued };
    const mismatches: string[] = [];
    for (const row of ROWS) {
      for (const kind of KINDS) {
        const ids = kind === 'root' && row.fresh ? await freshIds() : shared;
        const res = await w.client(tokenOf(kind)).request(row.route.split(' ')[0] as string, row.path(w, ids, x), row.body?.(w, ids, x));
        const want = expected(row, kind);
        if (res.status !== want) mismatches.push(`${row.route} as ${kind}: ${res.status} (expected ${want}) ${JSON.stringify(res.body).slice(0, 160)}`);
        if (res.status === 404) expect(res.body.message, row.route).toBe('The requested resource could not be found');
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
