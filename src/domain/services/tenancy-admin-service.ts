import { canManageOwners, clientAccess, isOperator, requireClientAdmin, requireOperator } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { ClientRecord, MembershipRecord, OrganizationRecord, Role, TokenRecord, UserRecord } from '../../store/ports/records.ts';
import { getOwn, invalidType, optBoolean, reqString, rejectUnknownKeys, tooLong } from '../validation/schema.ts';
import type { AuditEntry, AuditFilter, Page, PageRequest } from '../../store/store.ts';
import type { TokenView } from './account-service.ts';
import { auditEntry } from './audit-trail.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId } from './load-experiment.ts';
import { hashToken, newTokenValue, rootTokenRow } from './token-secret.ts';

const ROLES: readonly Role[] = ['owner', 'admin', 'write', 'read'];
const MAX_NAME = 100;
const MAX_EMAIL = 254;

/** A new client with its root API token (the value is shown once). */
export interface CreatedClient {
  readonly client: ClientRecord;
  readonly rootToken: TokenView;
}

/**
 * The admin API behind `sextant admin` (docs/security.md): organizations, clients (teams), users,
 * memberships and tokens, plus the audit log. Who may do what is decided by the access policy:
 * the operator (ADMIN on a client of the first organization) creates organizations and reads the
 * whole audit log, and administers every client; a client's administrators (root token, owner,
 * admin) manage that client.
 * Every change is audited in the same transaction.
 */
export class TenancyAdminService {
  constructor(private readonly deps: DomainDeps) {}

  async createOrganization(p: Principal, body: Record<string, unknown>): Promise<OrganizationRecord> {
    rejectUnknownKeys(body, ['name']);
    requireOperator(p, await this.operatorClientIds());
    const name = nameOf(body, 'name');
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      const org = await tx.organizations.create({ name, created: now });
      await tx.audit.append(auditEntry(p, 'organization.create', { type: 'organization', id: org.id }, now, { name }));
      return org;
    });
  }

  /** A client (team) in an organization, with its root token: operator, or an admin of a client of that organization. */
  async createClient(p: Principal, body: Record<string, unknown>): Promise<CreatedClient> {
    rejectUnknownKeys(body, ['organization', 'name']);
    const { store, clock } = this.deps;
    const orgId = idOf(body, 'organization');
    const name = nameOf(body, 'name');
    const org = await store.organizations.get(orgId);
    const siblings = org ? await store.clients.listByOrganization(org.id) : [];
    if (!isOperator(p, await this.operatorClientIds())) {
      if (!siblings.some((c) => clientAccess(p, c.id) !== 'none')) throw apiError('NOT_FOUND');
      if (!siblings.some((c) => clientAccess(p, c.id) === 'admin')) throw apiError('FORBIDDEN_WRITE');
    }
    if (!org) throw apiError('NOT_FOUND');
    const now = clock.now();
    const value = newTokenValue();
    return store.transaction(async (tx) => {
      const client = await tx.clients.create({ organizationId: org.id, name, created: now });
      const token = await tx.tokens.create(rootTokenRow(client.id, hashToken(value), now));
      await tx.audit.append(auditEntry(p, 'client.create', { type: 'client', id: client.id }, now, { organization: org.id, name }));
      await tx.audit.append(auditEntry(p, 'token.create', { type: 'token', id: token.id }, now, { client: client.id, token_type: 'client-api', root: true }));
      return { client, rootToken: { token, value, organizationId: org.id } };
    });
  }

  /** A user (person); useful only once added to a client. Operator or any client administrator. */
  async createUser(p: Principal, body: Record<string, unknown>): Promise<UserRecord> {
    rejectUnknownKeys(body, ['email', 'name']);
    const { store, clock } = this.deps;
    if (!isOperator(p, await this.operatorClientIds()) && !this.administersAny(p)) throw apiError('FORBIDDEN_WRITE');
    const email = reqString(body, 'email').trim();
    if (email.length > MAX_EMAIL) throw tooLong('.email', MAX_EMAIL);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw apiError('INVALID_EMAIL', { email });
    const name = nameOf(body, 'name');
    if (await store.users.findByEmail(email)) throw apiError('USER_EMAIL_EXISTS', { email });
    const now = clock.now();
    return store.transaction(async (tx) => {
      const user = await tx.users.create({ name, email, created: now });
      await tx.audit.append(auditEntry(p, 'user.create', { type: 'user', id: user.id }, now, { email }));
      return user;
    });
  }

  /** Adds a user to a client or changes their role; the owner role only by an owner or the root token. */
  async putMembership(p: Principal, clientId: string, body: Record<string, unknown>): Promise<MembershipRecord> {
    rejectUnknownKeys(body, ['user', 'role']);
    const { store, clock } = this.deps;
    const cid = checkId(clientId);
    requireClientAdmin(p, cid, await this.operatorClientIds());
    const userId = idOf(body, 'user');
    const role = reqString(body, 'role') as Role;
    if (!ROLES.includes(role)) throw apiError('NOT_ALLOWED_VALUE', { value: role, allowed: ROLES.join(', ') });
    // The operator passes the policy for any client id: make sure this one exists (else an FK error).
    const [client, user] = await Promise.all([store.clients.get(cid), store.users.get(userId)]);
    if (!client || !user || user.deleted) throw apiError('NOT_FOUND');
    const previous = await store.memberships.get(cid, userId);
    if ((role === 'owner' || previous?.role === 'owner') && !canManageOwners(p, cid, await this.operatorClientIds())) throw apiError('FORBIDDEN_WRITE');
    const now = clock.now();
    return store.transaction(async (tx) => {
      const m = await tx.memberships.put({ clientId: cid, userId, role });
      await tx.audit.append(
        auditEntry(p, previous ? 'membership.update' : 'membership.create', { type: 'membership', id: `${cid}:${userId}` }, now, {
          client: cid,
          user: userId,
          role,
          ...(previous ? { old_role: previous.role } : {}),
        }),
      );
      return m;
    });
  }

  /** Removes a user from a client (their tokens bound to it stop working at once). */
  async deleteMembership(p: Principal, clientId: string, userId: string): Promise<void> {
    const { store, clock } = this.deps;
    const cid = checkId(clientId);
    const uid = checkId(userId);
    requireClientAdmin(p, cid, await this.operatorClientIds());
    const previous = await store.memberships.get(cid, uid);
    if (!previous) throw apiError('NOT_FOUND');
    if (previous.role === 'owner' && !canManageOwners(p, cid, await this.operatorClientIds())) throw apiError('FORBIDDEN_WRITE');
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.memberships.delete(cid, uid);
      await tx.audit.append(auditEntry(p, 'membership.delete', { type: 'membership', id: `${cid}:${uid}` }, now, { client: cid, user: uid, old_role: previous.role }));
    });
  }

  /**
   * A client-api token (bound to a member when `user` is given) or, with `development`, a member's
   * client-dev token; `expires` is a unix time in the future or null (never).
   */
  async createToken(p: Principal, body: Record<string, unknown>): Promise<TokenView> {
    rejectUnknownKeys(body, ['client', 'user', 'development', 'expires']);
    const { store, clock } = this.deps;
    const cid = idOf(body, 'client');
    requireClientAdmin(p, cid, await this.operatorClientIds());
    const client = await store.clients.get(cid);
    if (!client) throw apiError('NOT_FOUND');
    const rawUser = getOwn(body, 'user');
    const userId = rawUser === undefined || rawUser === null ? null : idOf(body, 'user');
    const development = optBoolean(body, 'development') ?? false;
    const now = clock.now();
    const rawExpires = getOwn(body, 'expires');
    if (rawExpires !== undefined && rawExpires !== null && (typeof rawExpires !== 'number' || !Number.isSafeInteger(rawExpires))) {
      throw invalidType('expires', rawExpires, 'integer');
    }
    const expires = typeof rawExpires === 'number' ? rawExpires : null;
    if (expires !== null && expires <= now) throw apiError('EXPIRES_IN_PAST', { now });
    if (development && userId === null) throw apiError('DEVELOPMENT_TOKEN_NEEDS_USER');
    if (userId !== null && !(await store.memberships.get(cid, userId))) throw apiError('USER_NOT_MEMBER', { userId, cid });
    const value = newTokenValue();
    const type = development ? 'client-dev' : 'client-api';
    return store.transaction(async (tx) => {
      const token = await tx.tokens.create({
        hash: hashToken(value),
        type,
        scope: 'all_endpoints',
        clientId: cid,
        userId,
        experimentId: null,
        permissions: 'write',
        created: now,
        expires,
      });
      await tx.audit.append(auditEntry(p, 'token.create', { type: 'token', id: token.id }, now, { client: cid, user: userId, token_type: type, expires }));
      return { token, value, organizationId: client.organizationId };
    });
  }

  /** Tokens of a client (values are never shown: only hashes are stored). */
  async listTokens(p: Principal, clientId: string, includeRevoked: boolean): Promise<TokenView[]> {
    const cid = checkId(clientId);
    requireClientAdmin(p, cid, await this.operatorClientIds());
    const client = await this.deps.store.clients.get(cid);
    if (!client) throw apiError('NOT_FOUND');
    const tokens = await this.deps.store.tokens.list({ clientId: cid, includeRevoked });
    return tokens.map((token) => ({ token, value: '', organizationId: client.organizationId }));
  }

  /** Revokes a token (by id or value); the root token is rotated, never revoked (a client always has one). */
  async revokeToken(p: Principal, tokenId: string): Promise<TokenRecord> {
    const token = await this.administeredToken(p, tokenId);
    if (token.root) throw apiError('CANNOT_DELETE_ROOT_TOKEN');
    if (token.revoked) return token;
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      const row = await tx.tokens.update(token.id, { revoked: true });
      await tx.audit.append(auditEntry(p, 'token.revoke', { type: 'token', id: token.id }, now, { client: token.clientId, token_type: token.type }));
      return row ?? token;
    });
  }

  /** A new value for a token (by id or value; e.g. a leaked root token); the old value stops working at once. */
  async rotateToken(p: Principal, tokenId: string): Promise<TokenView> {
    const token = await this.administeredToken(p, tokenId);
    if (token.revoked) throw apiError('CANNOT_ROTATE_REVOKED_TOKEN');
    const now = this.deps.clock.now();
    const value = newTokenValue();
    const client = token.clientId !== null ? await this.deps.store.clients.get(token.clientId) : null;
    return this.deps.store.transaction(async (tx) => {
      const row = await tx.tokens.update(token.id, { hash: hashToken(value) });
      await tx.audit.append(auditEntry(p, 'token.update', { type: 'token', id: token.id }, now, { client: token.clientId, rotated: true }));
      return { token: row ?? token, value, organizationId: client?.organizationId ?? null };
    });
  }

  /** The audit log, newest first by default: the operator only. */
  async audit(p: Principal, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    requireOperator(p, await this.operatorClientIds());
    return this.deps.store.audit.list(filter, page);
  }

  /** A token by id (all digits) or by value: generated values are 32 base64url characters, never all digits. */
  private async administeredToken(p: Principal, idOrValue: string): Promise<TokenRecord> {
    const token = /^\d{1,19}$/.test(idOrValue)
      ? await this.deps.store.tokens.get(checkId(idOrValue))
      : ((await this.deps.store.tokens.findByHash(hashToken(idOrValue)))?.token ?? null);
    if (!token || token.clientId === null) throw apiError('NOT_FOUND');
    requireClientAdmin(p, token.clientId, await this.operatorClientIds());
    return token;
  }

  private administersAny(p: Principal): boolean {
    if (p.type === 'user') return [...p.rolesByClient.keys()].some((id) => clientAccess(p, id) === 'admin');
    return p.clientId !== null && clientAccess(p, p.clientId) === 'admin';
  }

  /** Clients of the first organization: ADMIN on one of them makes the operator. */
  /** 403 unless the caller is the deployment operator (server-wide actions such as settings). */
  async requireOperator(p: Principal): Promise<void> {
    requireOperator(p, await this.operatorClientIds());
  }

  private async operatorClientIds(): Promise<string[]> {
    const first = await this.deps.store.organizations.first();
    return first ? (await this.deps.store.clients.listByOrganization(first.id)).map((c) => c.id) : [];
  }
}

function nameOf(body: Record<string, unknown>, key: string): string {
  const name = reqString(body, key).trim();
  if (name === '') throw apiError('EMPTY_VALUE', { key });
  if (name.length > MAX_NAME) throw tooLong(`.${key}`, MAX_NAME);
  return name;
}

/** An id field given as a decimal string or an integer. */
function idOf(body: Record<string, unknown>, key: string): string {
  const v = getOwn(body, key);
  if (v === undefined || v === null) return checkId(reqString(body, key));
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : null;
  if (s === null) throw invalidType(key, v, 'string');
  if (!/^\d{1,19}$/.test(s)) throw apiError('INVALID_QUERY_VALUE', { key, value: s });
  return checkId(s);
}
