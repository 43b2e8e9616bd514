import type {
  ClientRecord,
  MembershipRecord,
  OrganizationRecord,
  Role,
  TokenRecord,
  UserRecord,
} from './records.ts';

/** Organizations: the billing umbrella over clients. */
export interface OrganizationRepository {
  create(input: { readonly name: string; readonly created: number }): Promise<OrganizationRecord>;
  get(id: string): Promise<OrganizationRecord | null>;
  /** First-start bootstrap check: is there any organization at all (deleted ones count). */
  hasAny(): Promise<boolean>;
  /** The lowest-id organization: the one the first start created (the operator's, see access-policy). */
  first(): Promise<OrganizationRecord | null>;
  /** Rename or (un)delete; null if unknown. */
  update(id: string, patch: TenantPatch): Promise<OrganizationRecord | null>;
}

/** Changes shared by organizations, clients and users (absent = unchanged). */
export interface TenantPatch {
  readonly name?: string;
  readonly deleted?: boolean;
}

/** Clients ("teams"): the tenants that own experiments and projects. */
export interface ClientRepository {
  create(input: { readonly organizationId: string; readonly name: string; readonly created: number }): Promise<ClientRecord>;
  get(id: string): Promise<ClientRecord | null>;
  /** Clients of an organization, ascending id. */
  listByOrganization(organizationId: string): Promise<ClientRecord[]>;
  /** Rename or (un)delete; null if unknown. A deleted client's tokens stop authenticating. */
  update(id: string, patch: TenantPatch): Promise<ClientRecord | null>;
}

/** A live user with the password hash a login checks (null: the user has no password). */
export interface UserLogin {
  readonly user: UserRecord;
  readonly passwordHash: string | null;
}

/** Users (people). */
export interface UserRepository {
  /** `passwordHash` only for password logins (POST /v1/users); admin-made users have none. */
  create(input: { readonly name: string; readonly email: string; readonly created: number; readonly passwordHash?: string | null }): Promise<UserRecord>;
  get(id: string): Promise<UserRecord | null>;
  /** The live (non-deleted) user with this email, compared case-insensitively; lowest id wins. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /**
   * What a password login needs: the live user with this email (same rule as findByEmail) and its
   * password hash. Kept apart from UserRecord so the hash never travels with a rendered user.
   */
  findLogin(email: string): Promise<UserLogin | null>;
  /** Rename, change email or (un)delete; null if unknown. */
  update(id: string, patch: TenantPatch & { readonly email?: string }): Promise<UserRecord | null>;
}

/** A user's role in a client. */
export interface MembershipRepository {
  /** Creates the membership or changes the role of an existing one. */
  put(membership: MembershipRecord): Promise<MembershipRecord>;
  get(clientId: string, userId: string): Promise<MembershipRecord | null>;
  /** Ascending client id (the "lowest-id client the user can read" rule of /v1/sessions). */
  listForUser(userId: string): Promise<MembershipRecord[]>;
  /** Ascending user id. */
  listForClient(clientId: string): Promise<MembershipRecord[]>;
  delete(clientId: string, userId: string): Promise<boolean>;
}

/** Input of {@link TokenRepository.create}; defaults: not revoked, not root. */
export interface NewToken {
  readonly hash: string;
  readonly type: TokenRecord['type'];
  readonly scope: TokenRecord['scope'];
  readonly clientId: string | null;
  readonly userId: string | null;
  readonly experimentId: string | null;
  readonly permissions: TokenRecord['permissions'];
  readonly created: number;
  readonly expires: number | null;
  readonly revoked?: boolean;
  readonly root?: boolean;
}

/** What authentication needs from one lookup: the token and whether its owners still exist. */
export interface TokenLookup {
  readonly token: TokenRecord;
  /** The token's client or that client's organization is deleted (false when no client). */
  readonly clientDeleted: boolean;
  /** The token's user is deleted (false when no user). */
  readonly userDeleted: boolean;
}

/** Filter of {@link TokenRepository.list}; every given field must match. */
export interface TokenFilter {
  readonly clientId?: string;
  readonly userId?: string;
  readonly experimentId?: string;
  readonly types?: readonly TokenRecord['type'][];
  readonly includeRevoked?: boolean;
}

/** API tokens, stored only as SHA-256 hashes. */
export interface TokenRepository {
  /** Throws DuplicateKeyError if the hash exists. */
  create(input: NewToken): Promise<TokenRecord>;
  get(id: string): Promise<TokenRecord | null>;
  /** One indexed lookup per authenticated request. */
  findByHash(hash: string): Promise<TokenLookup | null>;
  /** Rotation (new hash), renewal (expires) and revocation. Returns null if unknown. */
  update(id: string, patch: { readonly hash?: string; readonly expires?: number | null; readonly revoked?: boolean }): Promise<TokenRecord | null>;
  /** Ascending id; not paged (a handful per user and client). */
  list(filter: TokenFilter): Promise<TokenRecord[]>;
}
