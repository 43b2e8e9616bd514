import type { Role, TokenRecord, TokenScope, TokenType } from '../../store/ports/records.ts';

/**
 * Who is calling: the resolved API token and what it is bound to. Built once per request by the
 * authentication step; every permission decision reads only this (see access-policy.ts).
 */
export interface Principal {
  readonly token: TokenRecord;
  /** The token string the caller presented (never logged; needed for `GET /v1/tokens/self`). */
  readonly value: string;
  readonly type: TokenType;
  readonly scope: TokenScope;
  readonly clientId: string | null;
  readonly userId: string | null;
  /** Guest (share) tokens: the one experiment they may read. */
  readonly experimentId: string | null;
  /** The user's role in the token's client; null for a client's root token (full write). */
  readonly role: Role | null;
  /** All roles of a user token, per client id. */
  readonly rolesByClient: ReadonlyMap<string, Role>;
  readonly development: boolean;
}
