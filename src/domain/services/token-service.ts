import { clientAccess, requireClient } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { TokenRecord } from '../../store/ports/records.ts';
import { getOwn, invalidType, unknownKeys } from '../validation/schema.ts';
import type { TokenView } from './account-service.ts';
import { auditEntry } from './audit-trail.ts';
import type { DomainDeps } from './domain-deps.ts';
import { checkId } from './load-experiment.ts';
import { hashToken, newTokenValue } from './token-secret.ts';

/** A token in a list: its value is known only when this very call created it (values are hashed at rest). */
export interface ListedToken {
  readonly token: TokenRecord;
  readonly value: string | null;
  readonly organizationId: string | null;
}

/** A renewed (or no longer permanent) token lasts one share-link lifetime (`guestTokenDays`). */
const DAY = 86400;

/**
 * Token operations (docs/api-compatibility.md#token-operations) and the client token list
 * (docs/api-compatibility.md#account-endpoints). Tokens are addressed by their
 * value (that is what SigOpt clients hold); every change is audited with the token id, never the value.
 */
export class TokenService {
  constructor(private readonly deps: DomainDeps) {}

  /**
   * `PUT /v1/tokens/{token}`: `token: "rotate"` (new value, returned once), `expires: "renew"`
   * (a fresh lifetime for tokens that expire), `lasts_forever` (true: never expires; false: expires
   * after one lifetime). Your own token (also as `self`), or any token of a client you administer.
   */
  async update(p: Principal, addressed: string, body: Record<string, unknown>): Promise<TokenView> {
    const { store, clock } = this.deps;
    const value = addressed === 'self' ? p.value : addressed;
    const extra = Object.keys(body).filter((k) => k !== 'token' && k !== 'expires' && k !== 'lasts_forever');
    if (extra.length > 0) throw unknownKeys(extra, body);
    const rotate = getOwn(body, 'token');
    if (rotate !== undefined && rotate !== 'rotate') throw apiError('TOKEN_NOT_ROTATE');
    const renew = getOwn(body, 'expires');
    if (renew !== undefined && renew !== 'renew') throw apiError('EXPIRES_NOT_RENEW');
    const forever = getOwn(body, 'lasts_forever');
    if (forever !== undefined && typeof forever !== 'boolean') throw invalidType('lasts_forever', forever, 'boolean');
    const token = await this.visible(p, value);
    const own = token.id === p.token.id;
    // Making a token permanent (or not) changes what the team shares: administrators only.
    if (!own || forever !== undefined) this.requireAdmin(p, token);
    const now = clock.now();
    const lifetime = this.deps.settings.guestTokenDays * DAY;
    let expires = token.expires;
    if (renew === 'renew' && token.expires !== null) expires = now + lifetime;
    if (forever === true) expires = null;
    if (forever === false) expires = now + lifetime;
    const newValue = rotate === 'rotate' ? newTokenValue() : null;
    const updated = await store.transaction(async (tx) => {
      const row = await tx.tokens.update(token.id, { ...(newValue !== null ? { hash: hashToken(newValue) } : {}), expires });
      if (!row) throw apiError('NOT_FOUND');
      const changes = { ...(newValue !== null ? { rotated: true } : {}), ...(expires !== token.expires ? { expires: { old: token.expires, new: expires } } : {}) };
      await tx.audit.append(auditEntry(p, 'token.update', { type: 'token', id: token.id }, now, { client: token.clientId, ...changes }));
      return row;
    });
    return this.view(updated, newValue ?? value);
  }

  /** `DELETE /v1/tokens/{token}`: revokes it; the root client token cannot be deleted (rotate it instead). */
  async delete(p: Principal, addressed: string): Promise<void> {
    const token = await this.visible(p, addressed === 'self' ? p.value : addressed);
    if (token.root) throw apiError('CANNOT_DELETE_ROOT_TOKEN');
    if (token.id !== p.token.id) this.requireAdmin(p, token);
    await this.revoke(p, token);
  }

  /** Revokes a token (shared with the admin API, which addresses tokens by id). */
  async revoke(p: Principal, token: TokenRecord): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.tokens.update(token.id, { revoked: true });
      await tx.audit.append(auditEntry(p, 'token.revoke', { type: 'token', id: token.id }, now, { client: token.clientId, token_type: token.type }));
    });
  }

  /**
   * `GET /v1/clients/{id}/tokens` (docs/api-compatibility.md#account-endpoints): a user's own tokens in the client, creating the
   * user's `client-api` and `client-dev` tokens on the first call (their values are shown then
   * only); client administrators see every live token of the client. Existing values cannot be
   * shown: only their hashes are stored.
   */
  async listForClient(p: Principal, clientId: string): Promise<ListedToken[]> {
    const { store, clock } = this.deps;
    const id = checkId(clientId);
    requireClient(p, id, 'read');
    const client = await store.clients.get(id);
    if (!client) throw apiError('NOT_FOUND');
    const now = clock.now();
    const live = (t: TokenRecord) => !t.revoked && (t.expires === null || t.expires > now);
    const admin = clientAccess(p, id) === 'admin';
    const existing = (await store.tokens.list(admin ? { clientId: id } : { clientId: id, ...(p.userId !== null ? { userId: p.userId } : {}) })).filter(live);
    const visible = admin || p.userId !== null ? existing : existing.filter((t) => t.id === p.token.id);
    const listed: ListedToken[] = visible.map((t) => ({ token: t, value: t.id === p.token.id ? p.value : null, organizationId: client.organizationId }));
    if (p.type === 'user' && p.userId !== null) {
      const userId = p.userId;
      for (const type of ['client-api', 'client-dev'] as const) {
        if (existing.some((t) => t.userId === userId && t.type === type)) continue;
        const value = newTokenValue();
        const token = await store.transaction(async (tx) => {
          const row = await tx.tokens.create({
            hash: hashToken(value),
            type,
            scope: 'all_endpoints',
            clientId: id,
            userId,
            experimentId: null,
            permissions: 'write',
            created: now,
            expires: null,
          });
          await tx.audit.append(auditEntry(p, 'token.create', { type: 'token', id: row.id }, now, { client: id, user: userId, token_type: type }));
          return row;
        });
        listed.push({ token, value, organizationId: client.organizationId });
      }
    }
    return listed.sort((a, b) => Number(a.token.id) - Number(b.token.id));
  }

  /** A live token the caller may see (its own, or one of a client it reads); else 404. */
  private async visible(p: Principal, value: string): Promise<TokenRecord> {
    if (value === p.value) return p.token;
    const found = await this.deps.store.tokens.findByHash(hashToken(value));
    if (!found || found.token.revoked || found.clientDeleted || found.userDeleted) throw apiError('NOT_FOUND');
    const token = found.token;
    if (token.expires !== null && token.expires <= this.deps.clock.now()) throw apiError('NOT_FOUND');
    if (token.clientId === null || clientAccess(p, token.clientId) === 'none') throw apiError('NOT_FOUND');
    return token;
  }

  private requireAdmin(p: Principal, token: TokenRecord): void {
    if (token.clientId === null || clientAccess(p, token.clientId) !== 'admin') throw apiError('FORBIDDEN_WRITE');
  }

  private async view(token: TokenRecord, value: string): Promise<TokenView> {
    const client = token.clientId !== null ? await this.deps.store.clients.get(token.clientId) : null;
    return { token, value, organizationId: client?.organizationId ?? null };
  }
}
