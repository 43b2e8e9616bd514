import type { SessionView } from '../../domain/services/account-service.ts';
import type { ClientRecord, OrganizationRecord, ProjectRecord, TokenRecord, UserRecord } from '../../store/ports/records.ts';

/** The Token object (docs/api-compatibility.md#response-objects). `value` is known only to whoever presents or creates it. */
export function renderToken(t: TokenRecord, value: string, organizationId: string | null, now: number): Record<string, unknown> {
  return {
    object: 'token',
    token: value,
    token_type: t.type,
    client: t.clientId,
    user: t.userId,
    organization: organizationId,
    experiment: t.experimentId,
    training_run: null,
    all_experiments: t.type !== 'guest',
    development: t.type === 'client-dev',
    permissions: t.permissions,
    scope: t.scope,
    expires: t.expires,
    lease_length: t.expires === null ? null : Math.max(0, t.expires - now),
  };
}

export function renderClient(c: ClientRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    object: 'client',
    id: c.id,
    name: c.name,
    organization: c.organizationId,
    created: c.created,
    client_security: { allow_users_to_see_experiments_by_others: true },
  };
  if (c.deleted) out.deleted = true;
  return out;
}

export function renderOrganization(o: OrganizationRecord): Record<string, unknown> {
  return {
    object: 'organization',
    id: o.id,
    name: o.name,
    created: o.created,
    deleted: o.deleted,
    academic: false,
    email_domains: [],
    client_for_email_signup: null,
  };
}

export function renderUser(u: UserRecord): Record<string, unknown> {
  return {
    object: 'user',
    id: u.id,
    name: u.name,
    email: u.email,
    created: u.created,
    deleted: u.deleted,
    educational_user: false,
    has_verified_email: true,
    show_welcome: false,
    planned_usage: null,
  };
}

export function renderProject(p: ProjectRecord, experimentCount: number, trainingRunCount = 0): Record<string, unknown> {
  return {
    object: 'project',
    id: p.id,
    name: p.name,
    client: p.clientId,
    user: p.userId,
    created: p.created,
    updated: p.updated,
    metadata: p.metadata,
    experiment_count: experimentCount,
    training_run_count: trainingRunCount,
    deleted: p.deleted,
  };
}

/** The Session object (docs/api-compatibility.md#response-objects): the token (its value only to whoever logged in or presents it), client and user. */
export function renderSession(v: SessionView, now: number): Record<string, unknown> {
  return {
    object: 'session',
    api_token: renderToken(v.token.token, v.token.value, v.token.organizationId, now),
    client: v.client ? renderClient(v.client) : null,
    user: v.user ? renderUser(v.user) : null,
    code: null,
    needs_password_reset: false,
  };
}
