import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPglite } from '../../src/store/pglite/open-pglite.ts';
import { pgliteTemplate } from '../../src/store/pglite/pglite-template.ts';
import { KyselyStore } from '../../src/store/kysely/kysely-store.ts';
import type { Database } from '../../src/store/schema.ts';
import { routeTable } from '../../src/server/routes/route-table.ts';
import type { Services } from '../../src/server/routes/services.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { buildTenancyWorld, type TenancyWorld } from '../support/tenancy-fixture.ts';

/**
 * Issue 7 fuzz campaign: generated requests across every route of the route table (wrong types,
 * huge and deep JSON, unicode and NUL bytes, bad ids, other tenants' ids and tokens, malformed
 * auth) sent through `app.inject` to one server. Invariants:
 *   1. no 5xx, ever;
 *   2. a rejected request (4xx) — or a successful read — changes no stored data (an order-free
 *      fingerprint of every table but the engine's optimizer_state, taken after every request);
 *   3. no cross-tenant read: a canary experiment/project of each team never appears in a 2xx
 *      answer to a token that may not read that team, and invalid tokens never get a 2xx.
 * SEXTANT_FUZZ_REQUESTS sets the number of requests (CI default below; 10^5 run recorded in
 * docs/security.md); SEXTANT_FUZZ_SECONDS bounds the wall time (the run stops early, never fails, on time).
 */

const REQUESTS = Number(process.env.SEXTANT_FUZZ_REQUESTS ?? 4_000);
const SECONDS = Number(process.env.SEXTANT_FUZZ_SECONDS ?? 600);
const BATCH = 25;

type Kind = 'root' | 'writer' | 'admin' | 'reader' | 'otherTeam' | 'guest' | 'guestElsewhere' | 'dev' | 'expired' | 'revoked';
/**
 * Tokens that may read team A's canary (the operator's root, members with any role, and the
 * owner's development token: dev tokens read their team's projects; the canary experiment is a
 * production one, which they cannot read — the access matrix pins that 403).
 */
const READS_A = new Set<string>(['root', 'writer', 'admin', 'reader', 'dev']);
/** Tokens that may read team B's canary (its root); root is the operator and reads the whole audit log. */
const READS_B = new Set<string>(['otherTeam', 'root']);
const VALID_KINDS = new Set<string>(['root', 'writer', 'admin', 'reader', 'otherTeam', 'guest', 'guestElsewhere', 'dev']);

interface Canaries {
  readonly a: string;
  readonly b: string;
  readonly expA: string;
  readonly expB: string;
}

interface Generated {
  readonly kind: Kind | 'none' | 'garbage';
  readonly auth: string | null;
  readonly method: string;
  readonly url: string;
  readonly payload?: string | Buffer;
  readonly contentType?: string;
  /** Teams whose experiment/client/organization a path slot of that type names. */
  readonly foreign: readonly ('A' | 'B')[];
  /** The route reads no token (login, the OpenAPI document): any token may get a 2xx there. */
  readonly noToken: boolean;
}

function routeShapes(): { method: string; path: string; noToken: boolean }[] {
  const s = {} as Services;
  return routeTable(s, { settings: s as never, requireOperator: async () => {} }, { batchBodyLimit: 1 }).map((r) => ({
    method: r.method,
    path: r.path,
    noToken: r.auth === 'none',
  }));
}

/** Percent-encodes a path segment; lone surrogates go out as the UTF-8 bytes Node would send. */
function encode(segment: string): string {
  try {
    return encodeURIComponent(segment);
  } catch {
    return [...Buffer.from(segment, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

const basic = (token: string) => `Basic ${Buffer.from(`${token}:`).toString('base64')}`;

function nested(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

const weirdString = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', '\u202e\ud83d\ude80', '\ud800', 'a'.repeat(2000), '%00', '../..', 'self', 'rotate', 'renew', 'owner', 'admin', 'read'),
);

function weirdValue(ids: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 0.5, 1e308, 2 ** 53 + 1, 9.3e18),
    fc.integer(),
    weirdString,
    fc.constantFrom(...ids),
    fc.constantFrom(...ids).map(Number),
    fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null)), { maxLength: 4 }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.integer({ min: 10, max: 3000 }).map((d) => nested(d, 1)),
  );
}

/** Bodies that pass most validation (so the authorization path is reached), mutated by the generator. */
function plausibleBodies(w: TenancyWorld): Record<string, unknown>[] {
  const experiment = { name: 'fuzz', parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] };
  return [
    {},
    experiment,
    { name: 'renamed' },
    { assignments: { x: 0.5 } },
    { assignments: { x: 0.5 }, values: [{ value: 1 }] },
    { suggestion: w.suggestion, values: [{ value: 1 }] },
    { observations: [{ assignments: { x: 0.1 }, values: [{ value: 1 }] }] },
    { metadata: { k: 'v' } },
    { token: 'rotate' },
    { expires: 'renew' },
    { lasts_forever: true },
    { id: 'fuzz-project', name: 'P' },
    { name: 'org' },
    { organization: w.orgB, name: 'team' },
    { organization: w.orgA, name: 'team' },
    { email: 'fuzz@example.org', name: 'F' },
    { user: w.users.outsider, role: 'owner' },
    { user: w.users.reader, role: 'admin' },
    { client: w.clientB },
    { client: w.clientA, user: w.users.reader, development: true },
    { value: 1000 },
  ];
}

function generator(w: TenancyWorld, c: Canaries): fc.Arbitrary<Generated> {
  const routes = routeShapes();
  // [value, team, kind of object]: the team counts only in a slot of that kind (ids of different tables collide).
  const own: [string, 'A' | 'B' | null, string | null][] = [
    [w.experiment, 'A', 'experiments'], [c.expA, 'A', 'experiments'], [w.otherExperiment, 'A', 'experiments'], [w.devExperiment, 'A', 'experiments'],
    [w.suggestion, null, null], [w.observation, null, null], [w.queued, null, null],
    [w.clientA, 'A', 'clients'], [w.orgA, 'A', 'organizations'], [w.users.reader, null, null], [w.users.owner, null, null],
    [c.expB, 'B', 'experiments'], [w.experimentB, 'B', 'experiments'], [w.clientB, 'B', 'clients'], [w.orgB, 'B', 'organizations'],
    ['0', null, null], ['1', null, null], ['9223372036854775807', null, null], ['9223372036854775808', null, null], ['18446744073709551616', null, null], ['99999999999999999999', null, null],
  ];
  const ids = own.map(([v]) => v);
  const tokens = Object.entries(w.tokens) as [string, string][];
  const strSlot = fc.oneof(
    fc.constantFrom(...tokens.map(([, v]) => v), w.project, 'fuzz-project', 'self', 'log.slow_request_ms', 'default', 'nope'),
    weirdString,
  );
  const kindToken: fc.Arbitrary<{ kind: Generated['kind']; auth: string | null }> = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...tokens).map(([k, v]) => ({ kind: (k === 'otherTeam' ? 'otherTeam' : k) as Kind, auth: basic(v) })) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constant({ kind: 'none' as const, auth: null }),
        fc.constantFrom('Bearer abc', 'Basic', 'Basic !!!', basic('a\u0000b'), basic('x'.repeat(5000)), basic('\ud83d\ude80'), basic(''), `Basic ${'A'.repeat(10000)}`).map((auth) => ({
          kind: 'garbage' as const,
          auth,
        })),
        weirdString.map((t) => ({ kind: 'garbage' as const, auth: basic(t) })),
      ),
    },
  );
  const slotValue = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: weirdString.map((s): [string, null, null] => [s, null, null]) });
  const query = fc.dictionary(
    fc.constantFrom('limit', 'before', 'after', 'ascending', 'state', 'sort', 'fields', 'search', 'user', 'deleted', 'object_type', 'object_id', 'include_revoked', 'preferred_client_id', 'development', 'period_start', '\u0000'),
    weirdString,
    { maxKeys: 3 },
  );
  const bodies = plausibleBodies(w);
  const body = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...bodies).map((b) => JSON.stringify(b)) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...bodies), fc.constantFrom('name', 'parameters', 'assignments', 'values', 'token', 'expires', 'lasts_forever', 'user', 'role', 'client', 'organization', 'email', 'id', 'value', 'development', 'metadata', 'observations', 'suggestion'), weirdValue(ids))
        .map(([b, k, v]) => JSON.stringify({ ...b, [k]: v })),
    },
    { weight: 2, arbitrary: fc.dictionary(weirdString, weirdValue(ids), { maxKeys: 5 }).map((d) => JSON.stringify(d)) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        weirdString,
        fc.constantFrom('{', '[]', 'null', '{"a":1,"a":2}', '{"name":"\\u0000"}', `{"name":"${'x'.repeat(2_000_000)}"}`, '['.repeat(20_000)),
        fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      ),
    },
  );
  return fc
    .record({
      route: fc.constantFrom(...routes),
      method: fc.oneof({ weight: 9, arbitrary: fc.constant<string | null>(null) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD') }),
      token: kindToken,
      slots: fc.array(slotValue, { minLength: 3, maxLength: 3 }),
      str: strSlot,
      query,
      body,
      contentType: fc.constantFrom(undefined, 'application/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', ''),
    })
    .map((g): Generated => {
      let i = 0;
      const foreign: ('A' | 'B')[] = [];
      const segments = g.route.path.split('/');
      const path = segments
        .map((seg, k) => {
          if (/^\{\w+:str\}$/.test(seg)) return encode(g.str);
          if (!/^\{\w+\}$/.test(seg)) return seg;
          const [v, team, kind] = g.slots[i++ % 3] as [string, 'A' | 'B' | null, string | null];
          if (team && kind === segments[k - 1]) foreign.push(team);
          return encode(v);
        })
        .join('/');
      const qs = new URLSearchParams(g.query).toString();
      const method = g.method ?? g.route.method;
      const sendsBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
      return {
        kind: g.token.kind,
        auth: g.token.auth,
        method,
        url: qs ? `${path}?${qs}` : path,
        ...(sendsBody ? { payload: g.body } : {}),
        ...(g.contentType !== undefined ? { contentType: g.contentType } : {}),
        foreign,
        noToken: g.route.noToken && method === g.route.method,
      };
    });
}

/** Order-independent digest of every table a request can change (optimizer_state is the engine's). */
async function fingerprint(db: Kysely<Database>): Promise<string> {
  const tables = ['organizations', 'clients', 'users', 'memberships', 'tokens', 'projects', 'experiments', 'suggestions', 'queued_suggestions', 'observations', 'audit_log', 'setting_overrides', 'setting_profile', 'training_runs', 'checkpoints', 'run_files'];
  const parts = tables.map((t) => `(SELECT count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) FROM ${t} x)`);
  const r = await sql.raw<{ fp: string }>(`SELECT concat_ws('|', ${parts.join(', ')}) AS fp`).execute(db);
  return r.rows[0]?.fp ?? '';
}

describe('tenancy fuzz (app.inject, PGlite)', () => {
  let srv: TestServer;
  let db: Kysely<Database>;
  let w: TenancyWorld;
  let canaries: Canaries;
  beforeAll(async () => {
    db = await openPglite(undefined, { loadDataDir: await pgliteTemplate() });
    srv = await startTestServer('pglite', {
      store: new KyselyStore(db, 'pglite'),
      settings: { 'rate_limit.reads_per_second': 0, 'rate_limit.writes_per_second': 0, 'suggestion.wait_ms': 0 },
    });
    w = await buildTenancyWorld(srv);
    const tag = Math.random().toString(36).slice(2, 10);
    const a = `CANARY-A-${tag}`;
    const b = `CANARY-B-${tag}`;
    const make = async (token: string, name: string) =>
      (await w.client(token).request('POST', '/v1/experiments', { name, metadata: { canary: name }, parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] })).body.id as string;
    const expA = await make(w.tokens.root, a);
    const expB = await make(w.tokens.otherTeam, b);
    await w.client(w.tokens.root).request('POST', `/v1/clients/${w.clientA}/projects`, { id: 'canary', name: a });
    await w.client(w.tokens.otherTeam).request('POST', `/v1/clients/${w.clientB}/projects`, { id: 'canary', name: b });
    canaries = { a, b, expA, expB };
  }, 120_000);
  afterAll(async () => {
    await srv?.close();
  });

  test(`${REQUESTS} generated requests: no 5xx, rejected requests change nothing, no cross-tenant read`, async () => {
    const app = srv.server.app;
    const deadline = Date.now() + SECONDS * 1000;
    const stats = { sent: 0, byClass: {} as Record<string, number>, stoppedOnTime: false };
    let before = await fingerprint(db);
    await fc.assert(
      fc.asyncProperty(fc.array(generator(w, canaries), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        if (Date.now() > deadline) {
          stats.stoppedOnTime = true;
          return;
        }
        for (const g of batch) {
          const headers: Record<string, string> = {};
          if (g.auth !== null) headers.authorization = g.auth;
          if (g.contentType !== undefined) headers['content-type'] = g.contentType;
          const res = await app.inject({ method: g.method as 'GET', url: g.url, headers, ...(g.payload !== undefined ? { payload: g.payload } : {}) });
          stats.sent++;
          const cls = `${Math.floor(res.statusCode / 100)}xx`;
          stats.byClass[cls] = (stats.byClass[cls] ?? 0) + 1;
          const where = `${g.kind} ${g.method} ${g.url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          if (res.statusCode < 300) {
            expect(VALID_KINDS.has(g.kind) || g.url.startsWith('/health') || g.noToken, `invalid token got a 2xx: ${where}`).toBe(true);
            if (!READS_A.has(g.kind)) expect(res.body.includes(canaries.a), `team A canary leaked: ${where}`).toBe(false);
            if (!READS_B.has(g.kind)) expect(res.body.includes(canaries.b), `team B canary leaked: ${where}`).toBe(false);
            // A team-A token addressing team B's objects through a tenant route (or the reverse) never succeeds.
            const teamA = READS_A.has(g.kind);
            if (!g.url.startsWith('/v1/admin/') && ((teamA && g.foreign.includes('B')) || (g.kind === 'otherTeam' && g.foreign.includes('A')))) {
              throw new Error(`cross-tenant request succeeded: ${where}`);
            }
          }
          const after = await fingerprint(db);
          // Only an accepted write may change stored data (a successful GET or any rejection may not).
          const accepted = res.statusCode < 300 && g.method !== 'GET' && g.method !== 'HEAD';
          if (!accepted) expect(after, `this request changed stored data: ${where}`).toBe(before);
          before = after;
        }
      }),
      { numRuns: Math.ceil(REQUESTS / BATCH), endOnFailure: true, ...(process.env.SEXTANT_FUZZ_SEED ? { seed: Number(process.env.SEXTANT_FUZZ_SEED) } : {}) },
    );
    // eslint-disable-next-line no-console
    console.log(`tenancy fuzz: ${JSON.stringify(stats)}`);
    expect(stats.sent).toBeGreaterThan(0);
  }, (SECONDS + 120) * 1000);
});
