import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { clientAccess, isOperator } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { emailOf, nameOf, newPasswordOf, rejectUnknownAccountKeys, requiredString } from '../accounts/account-input.ts';
import { DEFAULT_SCRYPT_COST, decoyHash, hashPassword, verifyPassword, type ScryptCost } from '../accounts/password-hash.ts';
import { apiError } from '../errors.ts';
import type { LoginThrottle } from '../ports/login-throttle.ts';
import { getOwn } from '../validation/schema.ts';
import type { ClientRecord, UserRecord } from '../../store/ports/records.ts';
import { pageInMemory } from '../../store/keyset.ts';
import type { AuditEntry, Page, PageRequest, Store } from '../../store/store.ts';
import type { SessionView } from './account-service.ts';
import { auditActor } from './audit-trail.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId } from './load-experiment.ts';
import { hashToken, newTokenValue, rootTokenRow } from './token-secret.ts';

/** Settings of password accounts, read at every call (live settings). */
export interface UserAccountSettings {
  /** `closed`: only the operator and client administrators create password users. */
  readonly signup: 'closed' | 'open';
  readonly sessionDays: number;
  /** A failed login is answered no sooner than this (docs/api-compatibility.md#account-endpoints: at least 2 s). */
  readonly failedLoginDelayMs: number;
}

/** What {@link UserAccountService} needs beyond the domain ports. */
export interface UserAccountOptions {
  readonly throttle: LoginThrottle;
  settings(): UserAccountSettings;
  /** The §1.2 help text appended to "not associated to any user". */
  readonly authHelp: string;
  /** Waits (the failure delay); injected so tests need not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly kdfCost?: ScryptCost;
}

/** A user keeps at most this many live sessions (docs/api-compatibility.md#token-kinds); the oldest is revoked past it. */
export const MAX_SESSIONS_PER_USER = 20;


/**
 * Password accounts (docs/api-compatibility.md#account-endpoints, docs/security.md "Passwords"): sign-up (`POST /v1/users`), login
 * (`POST /v1/sessions`, which mints a `user` session token), a team of one's own (`POST
 * /v1/clients`) and the clients of an organization. Passwords are stored as scrypt hashes only;
 * no method logs or returns a password, and session token values are returned once.
 */
export class UserAccountService {
  private decoy: Promise<string> | null = null;

  constructor(
    private readonly deps: DomainDeps,
    private readonly opts: UserAccountOptions,
  ) {}

  /**
   * `POST /v1/users`: a user with a password. Open sign-up takes no token; closed sign-up needs the
   * operator's or a client administrator's. With `client_name` the user also gets a new
   * organization and team of which they are the owner.
   */
  async signup(caller: Principal | null, body: Record<string, unknown>, address: string): Promise<UserRecord> {
    rejectUnknownAccountKeys(body, ['email', 'name', 'password', 'client_name', 'invite_code']);
    const { store, clock } = this.deps;
    if (this.opts.settings().signup === 'closed') {
      if (caller === null) throw apiError('SIGNUP_CLOSED');
      if (!(await this.administers(caller))) throw apiError('FORBIDDEN_WRITE');
    }
    const email = emailOf(body);
    const name = nameOf(body, 'name');
    const password = newPasswordOf(body);
    const clientName =
      getOwn(body, 'client_name') === undefined || getOwn(body, 'client_name') === null ? null : nameOf(body, 'client_name');
    const invite = getOwn(body, 'invite_code');
    if (invite !== undefined && invite !== null)
      throw apiError('INVITE_CODES_UNSUPPORTED');
    // Sign-ups count against the address like failed logins: mass account creation is throttled too.
    const wait = await this.opts.throttle.blockedFor(email, address);
    if (wait > 0) throw apiError('TOO_MANY_LOGINS', {}, { headers: { 'retry-after': String(Math.max(1, Math.ceil(wait))) } });
    await this.opts.throttle.recordFailure(null, address);
    const duplicate = () => apiError('USER_EMAIL_EXISTS', { email });
    // Checked before the KDF work, and again under the lock below.
    if (await store.users.findByEmail(email)) throw duplicate();
    const passwordHash = await hashPassword(password, this.opts.kdfCost ?? DEFAULT_SCRYPT_COST);
    const now = clock.now();
    const actor = caller ? auditActor(caller) : 'signup';
    const entry = (action: string, type: string, id: string, details: Record<string, unknown>): Omit<AuditEntry, 'id'> => ({
      actor,
      action,
      objectType: type,
      objectId: id,
      created: now,
      details: caller ? { ...details, token: caller.token.id } : details,
    });
    // Two sign-ups of one email race between the check and the insert (the email index is not
    // unique, see migration 0001): a lock per email (Redis in distributed mode) orders them.
    const lockKey = `signup:${createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 32)}`;
    return this.deps.lock.run(lockKey, async () => {
      if (await store.users.findByEmail(email)) throw duplicate();
      return store.transaction(async (tx) => {
        const user = await tx.users.create({ name, email, created: now, passwordHash });
        await tx.audit.append(entry('user.create', 'user', user.id, { email, password: true }));
        if (clientName !== null) {
          for (const e of await createTeam(tx, clientName, user.id, now)) await tx.audit.append(entry(e.action, e.type, e.id, e.details));
        }
        return user;
      });
    });
  }

  /**
   * `POST /v1/sessions`: email and password to a new session (`user`) token, valid
   * `accounts.session_days`. Wrong credentials, unknown email and a user without a password all
   * answer the same 400 after the same KDF work and the failure delay; past the attempt limits
   * (per account, per address) the answer is 429 before any password is checked.
   */
  async login(body: Record<string, unknown>, address: string): Promise<SessionView> {
    const started = this.deps.clock.nowMs();
    rejectUnknownAccountKeys(body, ['email', 'password']);
    const email = requiredString(body, 'email').trim();
    const password = requiredString(body, 'password');
    const wait = await this.opts.throttle.blockedFor(email, address);
    if (wait > 0) throw apiError('TOO_MANY_LOGINS', {}, { headers: { 'retry-after': String(Math.max(1, Math.ceil(wait))) } });
    const { store, clock } = this.deps;
    const found = await store.users.findLogin(email);
    const stored = found?.passwordHash ?? null;
    // Unknown accounts cost the same KDF work as wrong passwords: no enumeration by timing.
    const matches =
      stored !== null ? await verifyPassword(password, stored) : (await verifyPassword(password, await this.decoyHash()), false);
    if (!found || !matches) {
      await this.opts.throttle.recordFailure(email, address);
      const remaining = this.opts.settings().failedLoginDelayMs - (clock.nowMs() - started);
      if (remaining > 0) await (this.opts.sleep ?? delay)(remaining);
      throw apiError('LOGIN_FAILED');
    }
    await this.opts.throttle.recordSuccess(email);
    const user = found.user;
    const now = clock.now();
    const value = newTokenValue();
    const token = await store.transaction(async (tx) => {
      const live = (await tx.tokens.list({ userId: user.id, types: ['user'] })).filter((t) => t.expires === null || t.expires > now);
      for (const old of live.slice(0, Math.max(0, live.length - (MAX_SESSIONS_PER_USER - 1)))) {
        await tx.tokens.update(old.id, { revoked: true });
      }
      const created = await tx.tokens.create({
        hash: hashToken(value),
        type: 'user',
        scope: 'all_endpoints',
        clientId: null,
        userId: user.id,
        experimentId: null,
        permissions: 'write',
        created: now,
        expires: now + this.opts.settings().sessionDays * 86_400,
      });
      await tx.audit.append({
        actor: `user:${user.id}`,
        action: 'session.create',
        objectType: 'token',
        objectId: created.id,
        created: now,
        details: { token_type: 'user', expires: created.expires },
      });
      return created;
    });
    const memberships = await store.memberships.listForUser(user.id);
    const client = memberships[0] ? await store.clients.get(memberships[0].clientId) : null;
    return { token: { token, value, organizationId: client?.organizationId ?? null }, client, user };
  }

  /**
   * `POST /v1/clients`: a new organization and team (client) named `name`; the caller, who must
   * log in as a person (a session token), becomes its owner. The team gets a root token like every
   * client; its value is not shown (an owner rotates it to obtain one).
   */
  async createClient(p: Principal, body: Record<string, unknown>): Promise<ClientRecord> {
    rejectUnknownAccountKeys(body, ['name']);
    if (p.userId === null) throw apiError('TOKEN_WITHOUT_USER', { help: this.opts.authHelp });
    if (p.type !== 'user') throw apiError('TEAM_NEEDS_SESSION');
    const name = nameOf(body, 'name');
    const { store, clock } = this.deps;
    const now = clock.now();
    const userId = p.userId;
    return store.transaction(async (tx) => {
      const entries = await createTeam(tx, name, userId, now);
      for (const e of entries) {
        await tx.audit.append({
          actor: auditActor(p),
          action: e.action,
          objectType: e.type,
          objectId: e.id,
          created: now,
          details: { ...e.details, token: p.token.id },
        });
      }
      const client = await tx.clients.get(entries.find((e) => e.type === 'client')?.id ?? '');
      if (!client) throw new Error('created client not found');
      return client;
    });
  }

  /**
   * `GET /v1/organizations/{id}/clients`: the organization's live clients the caller can read (all
   * of them for the operator), newest first, paged like every list. 404 unless the caller reads at
   * least one (the same rule as `GET /v1/organizations/{id}`).
   */
  async listOrganizationClients(p: Principal, organizationId: string, page: PageRequest): Promise<Page<ClientRecord>> {
    const { store } = this.deps;
    const org = await store.organizations.get(checkId(organizationId));
    if (!org || org.deleted) throw apiError('NOT_FOUND');
    const all = (await store.clients.listByOrganization(org.id)).filter((c) => !c.deleted);
    const operator = isOperator(p, await operatorClientIds(store));
    const visible = operator ? all : all.filter((c) => clientAccess(p, c.id) !== 'none');
    if (visible.length === 0 && !(operator && all.length === 0)) throw apiError('NOT_FOUND');
    for (const key of [page.before, page.after]) {
      if (key !== undefined && (key.length !== 1 || typeof key[0] !== 'string' || !/^\d{1,19}$/.test(key[0]))) {
        throw apiError('INVALID_PAGING_MARKER', { marker: JSON.stringify(key) });
      }
    }
    const sign = page.ascending ? 1 : -1;
    const compare = (a: readonly unknown[], b: readonly unknown[]) => {
      const x = BigInt(String(a[0]));
      const y = BigInt(String(b[0]));
      return x === y ? 0 : (x < y ? -1 : 1) * sign;
    };
    return pageInMemory(visible, page, (c) => [c.id], compare);
  }

  private async administers(p: Principal): Promise<boolean> {
    if (isOperator(p, await operatorClientIds(this.deps.store))) return true;
    if (p.type === 'user') return [...p.rolesByClient.keys()].some((id) => clientAccess(p, id) === 'admin');
    return p.clientId !== null && clientAccess(p, p.clientId) === 'admin';
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= decoyHash(this.opts.kdfCost ?? DEFAULT_SCRYPT_COST);
    return this.decoy;
  }
}

/** An audit line of {@link createTeam}, written by the caller with its own actor. */
interface TeamEntry {
  readonly action: string;
  readonly type: string;
  readonly id: string;
  readonly details: Record<string, unknown>;
}

/** Organization + client + owner membership + root token (its value discarded), inside `tx`. */
async function createTeam(tx: Store, name: string, ownerId: string, now: number): Promise<TeamEntry[]> {
  const org = await tx.organizations.create({ name, created: now });
  const client = await tx.clients.create({ organizationId: org.id, name, created: now });
  await tx.memberships.put({ clientId: client.id, userId: ownerId, role: 'owner' });
  const root = await tx.tokens.create(rootTokenRow(client.id, hashToken(newTokenValue()), now));
  return [
    { action: 'organization.create', type: 'organization', id: org.id, details: { name } },
    { action: 'client.create', type: 'client', id: client.id, details: { organization: org.id, name } },
    {
      action: 'membership.create',
      type: 'membership',
      id: `${client.id}:${ownerId}`,
      details: { client: client.id, user: ownerId, role: 'owner' },
    },
    { action: 'token.create', type: 'token', id: root.id, details: { client: client.id, token_type: 'client-api', root: true } },
  ];
}

/** Clients of the first organization: owner level in one of them makes the operator (access-policy.ts). */
async function operatorClientIds(store: Store): Promise<string[]> {
  const first = await store.organizations.first();
  return first ? (await store.clients.listByOrganization(first.id)).map((c) => c.id) : [];
}
