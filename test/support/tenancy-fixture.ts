import { expect } from 'vitest';
import { hashToken } from '../../src/domain/services/token-secret.ts';
import { SigoptClient } from './sigopt-client.ts';
import type { TestServer } from './server.ts';

/**
 * Two tenants built through the admin API the way an operator would (`sextant admin …`), plus one
 * token of every kind the access rules distinguish. Shared by the tenancy, matrix and fuzz suites.
 */
export interface TenancyWorld {
  /** Team A (the first start's client) and its organization. */
  readonly clientA: string;
  readonly orgA: string;
  /** Team B: another organization and client, made by the operator. */
  readonly clientB: string;
  readonly orgB: string;
  readonly users: { readonly owner: string; readonly admin: string; readonly writer: string; readonly reader: string; readonly outsider: string };
  /** Token values by kind. */
  readonly tokens: {
    /** Team A's root client token (full ADMIN; the operator). */
    readonly root: string;
    /** Owner's development token (client-dev). */
    readonly dev: string;
    readonly admin: string;
    readonly writer: string;
    readonly reader: string;
    /** Team B's root token: another tenant. */
    readonly otherTeam: string;
    /** Guest (share) token on `experiment`. */
    readonly guest: string;
    /** Guest token on `otherExperiment` (same team, other experiment). */
    readonly guestElsewhere: string;
    readonly expired: string;
    readonly revoked: string;
  };
  /** A production experiment of team A with one suggestion, observation and queued suggestion. */
  readonly experiment: string;
  readonly suggestion: string;
  readonly observation: string;
  readonly queued: string;
  readonly otherExperiment: string;
  /** A development experiment of team A (made with the dev token). */
  readonly devExperiment: string;
  /** An experiment of team B. */
  readonly experimentB: string;
  /** A project of team A. */
  readonly project: string;
  readonly client: (token: string) => SigoptClient;
}

async function ok(p: Promise<{ status: number; body: any }>): Promise<any> {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const experimentBody = (name: string) => ({ name, parameters: [{ name: 'x', type: 'double', bounds: { min: 0, max: 1 } }] });

/** Builds the world on a fresh test server (a few dozen requests). */
export async function buildTenancyWorld(srv: TestServer): Promise<TenancyWorld> {
  const client = (token: string) => new SigoptClient(srv.url, token);
  const root = client(srv.token);
  const self = await ok(root.request('GET', '/v1/tokens/self'));
  const devSelf = await ok(client(srv.devToken).request('GET', '/v1/tokens/self'));
  const clientA = self.client as string;
  const orgA = self.organization as string;
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  const user = async (name: string) => (await ok(root.request('POST', '/v1/admin/users', { email: `${name}-${suffix}@example.org`, name }))).id as string;
  const member = async (name: string, role: string) => {
    const id = await user(name);
    await ok(root.request('PUT', `/v1/admin/clients/${clientA}/memberships`, { user: id, role }));
    const t = await ok(root.request('POST', '/v1/admin/tokens', { client: clientA, user: id }));
    return { id, token: t.token as string };
  };
  const admin = await member('admin', 'admin');
  const writer = await member('writer', 'write');
  const reader = await member('reader', 'read');
  const outsider = await user('outsider');

  const orgB = (await ok(root.request('POST', '/v1/admin/organizations', { name: `org B ${suffix}` }))).id as string;
  const teamB = await ok(root.request('POST', '/v1/admin/clients', { organization: orgB, name: 'team B' }));

  const experiment = (await ok(root.request('POST', '/v1/experiments', experimentBody('shared')))).id as string;
  const otherExperiment = (await ok(root.request('POST', '/v1/experiments', experimentBody('not shared')))).id as string;
  const suggestion = (await ok(root.request('POST', `/v1/experiments/${experiment}/suggestions`, {}))).id as string;
  const observation = (await ok(root.request('POST', `/v1/experiments/${experiment}/observations`, { suggestion, values: [{ value: 1 }] }))).id as string;
  const queued = (await ok(root.request('POST', `/v1/experiments/${experiment}/queued_suggestions`, { assignments: { x: 0.25 } }))).id as string;
  const devExperiment = (await ok(client(srv.devToken).request('POST', '/v1/experiments', experimentBody('dev')))).id as string;
  const experimentB = (await ok(client(teamB.root_token.token).request('POST', '/v1/experiments', experimentBody('team B')))).id as string;
  const project = 'tenancy-project';
  await ok(root.request('POST', `/v1/clients/${clientA}/projects`, { id: project, name: 'Tenancy' }));
  const guest = (await ok(root.request('POST', `/v1/experiments/${experiment}/tokens`, {}))).token as string;
  const guestElsewhere = (await ok(root.request('POST', `/v1/experiments/${otherExperiment}/tokens`, {}))).token as string;
  const revokedToken = await ok(root.request('POST', '/v1/admin/tokens', { client: clientA }));
  await ok(root.request('DELETE', `/v1/admin/tokens/${revokedToken.id}`));
  // Expiry cannot be set in the past through the API; an expired token is what time leaves behind.
  const expired = `expired-${suffix}-${Math.random().toString(36).slice(2)}`;
  await srv.server.store.tokens.create({
    hash: hashToken(expired),
    type: 'client-api',
    scope: 'all_endpoints',
    clientId: clientA,
    userId: null,
    experimentId: null,
    permissions: 'write',
    created: 1,
    expires: 1000,
  });

  return {
    clientA,
    orgA,
    clientB: teamB.id,
    orgB,
    users: { owner: devSelf.user, admin: admin.id, writer: writer.id, reader: reader.id, outsider },
    tokens: {
      root: srv.token,
      dev: srv.devToken,
      admin: admin.token,
      writer: writer.token,
      reader: reader.token,
      otherTeam: teamB.root_token.token,
      guest,
      guestElsewhere,
      expired,
      revoked: revokedToken.token,
    },
    experiment,
    suggestion,
    observation,
    queued,
    otherExperiment,
    devExperiment,
    experimentB,
    project,
    client,
  };
}
