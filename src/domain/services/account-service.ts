import { clientAccess, requireExperiment } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { ClientRecord, OrganizationRecord, Role, TokenRecord, UserRecord } from '../../store/ports/records.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId } from './load-experiment.ts';
import { hashToken, newTokenValue } from './token-secret.ts';

/** A token with the value to show (only the presenter or creator knows it). */
export interface TokenView {
  readonly token: TokenRecord;
  readonly value: string;
  readonly organizationId: string | null;
}

export interface SessionView {
  readonly token: TokenView;
  readonly client: ClientRecord | null;
  readonly user: UserRecord | null;
}

/** What first start creates, with the token values to print once. */
export interface Bootstrap {
  readonly organization: OrganizationRecord;
  readonly client: ClientRecord;
  readonly user: UserRecord;
  readonly apiToken: string;
  readonly developmentToken: string;
}

/**
 * Authentication, tokens and the account endpoints the clients call (docs/api-compatibility.md#authentication,
 * docs/api-compatibility.md#tenancy-and-tokens).
 */
export class AccountService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly authHelp: string,
  ) {}

  /** Resolves a presented token to the caller, or the 403 of docs/api-compatibility.md#authentication. */
  async authenticate(value: string): Promise<Principal> {
    const { store, clock } = this.deps;
    const found = await store.tokens.findByHash(hashToken(value));
    if (!found || found.token.revoked || found.clientDeleted || found.userDeleted) {
      throw apiError('API_TOKEN_REVOKED', { help: this.authHelp });
    }
    const token = found.token;
    if (token.expires !== null && token.expires <= clock.now()) {
      throw apiError('API_TOKEN_EXPIRED');
    }
    const rolesByClient = new Map<string, Role>();
    if (token.userId !== null) {
      for (const m of await store.memberships.listForUser(token.userId)) rolesByClient.set(m.clientId, m.role);
    }
    // A user-bound client token acts with the user's current role; once the membership is gone
    // (user removed from the team) the token no longer authenticates at all.
    const role = token.userId !== null && token.clientId !== null ? (rolesByClient.get(token.clientId) ?? null) : null;
    if (token.userId !== null && token.clientId !== null && role === null) {
      throw apiError('API_TOKEN_REVOKED', { help: this.authHelp });
    }
    return {
      token,
      value,
      type: token.type,
      scope: token.scope,
      clientId: token.clientId,
      userId: token.userId,
      experimentId: token.experimentId,
      role,
      rolesByClient,
      development: token.type === 'client-dev',
    };
  }

  async tokenView(token: TokenRecord, value: string): Promise<TokenView> {
    const client = token.clientId !== null ? await this.deps.store.clients.get(token.clientId) : null;
    return { token, value, organizationId: client?.organizationId ?? null };
  }

  /**
   * `GET /v1/tokens/{token}` (docs/api-compatibility.md#account-endpoints): the caller's own token, or a live token of a client the
   * caller can read; anything else (unknown, revoked, expired, other tenant) is a 404.
   */
  async getToken(p: Principal, value: string): Promise<TokenView> {
    if (value === p.value) return this.tokenView(p.token, value);
    const found = await this.deps.store.tokens.findByHash(hashToken(value));
    if (!found || found.token.revoked || found.clientDeleted || found.userDeleted) throw apiError('NOT_FOUND');
    const token = found.token;
    if (token.expires !== null && token.expires <= this.deps.clock.now()) throw apiError('NOT_FOUND');
    if (token.clientId === null || clientAccess(p, token.clientId) === 'none') throw apiError('NOT_FOUND');
    return this.tokenView(token, value);
  }

  async session(p: Principal, preferredClientId: string | undefined): Promise<SessionView> {
    const { store } = this.deps;
    let clientId = p.clientId;
    if (p.type === 'user') {
      const readable = [...p.rolesByClient.keys()].sort((a, b) => Number(a) - Number(b));
      clientId = preferredClientId !== undefined && readable.includes(preferredClientId) ? preferredClientId : (readable[0] ?? null);
    }
    const [client, user] = await Promise.all([
      clientId !== null ? store.clients.get(clientId) : null,
      p.userId !== null ? store.users.get(p.userId) : null,
    ]);
    return { token: await this.tokenView(p.token, p.value), client, user };
  }

  async getClient(p: Principal, id: string): Promise<ClientRecord> {
    const client = await this.deps.store.clients.get(checkId(id));
    if (!client || clientAccess(p, client.id) === 'none') throw apiError('NOT_FOUND');
    return client;
  }

  async getOrganization(p: Principal, id: string): Promise<OrganizationRecord> {
    const { store } = this.deps;
    const org = await store.organizations.get(checkId(id));
    if (!org) throw apiError('NOT_FOUND');
    const clients = await store.clients.listByOrganization(org.id);
    if (!clients.some((c) => clientAccess(p, c.id) !== 'none')) throw apiError('NOT_FOUND');
    return org;
  }

  async getUser(p: Principal, id: string): Promise<UserRecord> {
    const user = await this.deps.store.users.get(checkId(id));
    if (!user || p.userId !== user.id) throw apiError('NOT_FOUND');
    return user;
  }

  /** A read-only share link for one experiment (docs/api-compatibility.md#guest-tokens). */
  async createGuestToken(p: Principal, experimentId: string): Promise<TokenView> {
    const { store, clock, settings } = this.deps;
    const experiment = requireExperiment(p, (await store.experiments.get(checkId(experimentId))) ?? undefined, 'write');
    const value = newTokenValue();
    const now = clock.now();
    let expires = now + settings.guestTokenDays * 86400;
    if (p.token.expires !== null) expires = Math.min(expires, p.token.expires);
    const token = await store.tokens.create({
      hash: hashToken(value),
      type: 'guest',
      scope: 'shared_experiment',
      clientId: experiment.clientId,
      userId: null,
      experimentId: experiment.id,
      permissions: 'read',
      created: now,
      expires,
    });
    return this.tokenView(token, value);
  }

  /**
   * First start: an organization, a client (team), an owner user, the client's root API token
   * (`apiToken` when given, e.g. from SEXTANT_API_TOKEN) and the owner's development token.
   */
  async bootstrap(opts: { readonly apiToken?: string; readonly name?: string }): Promise<Bootstrap> {
    const { clock } = this.deps;
    if (opts.apiToken !== undefined && opts.apiToken.length < 8) throw apiError('API_TOKEN_TOO_SHORT');
    const now = clock.now();
    const apiToken = opts.apiToken ?? newTokenValue();
    const developmentToken = newTokenValue();
    return this.deps.store.transaction(async (tx) => {
      const organization = await tx.organizations.create({ name: opts.name ?? 'Sextant', created: now });
      const client = await tx.clients.create({ organizationId: organization.id, name: opts.name ?? 'Default team', created: now });
      const user = await tx.users.create({ name: 'Owner', email: 'owner@localhost', created: now });
      await tx.memberships.put({ clientId: client.id, userId: user.id, role: 'owner' });
      const common = { clientId: client.id, experimentId: null, permissions: 'write' as const, created: now, expires: null };
      await tx.tokens.create({ ...common, hash: hashToken(apiToken), type: 'client-api', scope: 'all_endpoints', userId: null, root: true });
      await tx.tokens.create({ ...common, hash: hashToken(developmentToken), type: 'client-dev', scope: 'all_endpoints', userId: user.id });
      await tx.audit.append({ actor: 'bootstrap', action: 'create', objectType: 'client', objectId: client.id, created: now, details: null });
      return { organization, client, user, apiToken, developmentToken };
    });
  }
}
