import { sql, type Kysely } from 'kysely';
import type { ClientRecord, MembershipRecord, OrganizationRecord, TokenRecord, UserRecord } from '../ports/records.ts';
import { mapDuplicateKey } from '../duplicate-key-error.ts';
import type {
  ClientRepository,
  MembershipRepository,
  NewToken,
  OrganizationRepository,
  TenantPatch,
  TokenFilter,
  TokenLookup,
  TokenRepository,
  UserLogin,
  UserRepository,
} from '../ports/tenancy-repositories.ts';
import type { Database } from '../schema.ts';
import { isId } from './is-id.ts';
import { toRecord } from './row-mappers.ts';

const tenantSet = (patch: TenantPatch): { name?: string; deleted?: boolean } => ({
  ...(patch.name !== undefined ? { name: patch.name } : {}),
  ...(patch.deleted !== undefined ? { deleted: patch.deleted } : {}),
});

/**
 * The tenancy repositories (organizations, clients, users, memberships, tokens) over Kysely.
 * Grouped in one file because each is a handful of one-line queries.
 */
export function tenancyRepositories(db: Kysely<Database>): {
  organizations: OrganizationRepository;
  clients: ClientRepository;
  users: UserRepository;
  memberships: MembershipRepository;
  tokens: TokenRepository;
} {
  const organizations: OrganizationRepository = {
    async create(input): Promise<OrganizationRecord> {
      const row = await db.insertInto('organizations').values({ name: input.name, created: input.created }).returningAll().executeTakeFirstOrThrow();
      return toRecord.organization(row);
    },
    async get(id) {
      if (!isId(id)) return null;
      const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord.organization(row) : null;
    },
    async hasAny() {
      const row = await db.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },
    async update(id, patch) {
      if (!isId(id)) return null;
      const set = tenantSet(patch);
      if (Object.keys(set).length === 0) return this.get(id);
      const row = await db.updateTable('organizations').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toRecord.organization(row) : null;
    },
    async first() {
      const row = await db.selectFrom('organizations').selectAll().orderBy('id', 'asc').limit(1).executeTakeFirst();
      return row ? toRecord.organization(row) : null;
    },
  };

  const clients: ClientRepository = {
    async create(input): Promise<ClientRecord> {
      const row = await db
        .insertInto('clients')
        .values({ organization_id: input.organizationId, name: input.name, created: input.created })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord.client(row);
    },
    async get(id) {
      if (!isId(id)) return null;
      const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord.client(row) : null;
    },
    async update(id, patch) {
      if (!isId(id)) return null;
      const set = tenantSet(patch);
      if (Object.keys(set).length === 0) return this.get(id);
      const row = await db.updateTable('clients').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toRecord.client(row) : null;
    },
    async listByOrganization(organizationId) {
      const rows = await db.selectFrom('clients').selectAll().where('organization_id', '=', organizationId).orderBy('id').execute();
      return rows.map(toRecord.client);
    },
  };

  const findLogin = async (email: string): Promise<UserLogin | null> => {
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where(sql`lower(email)`, '=', email.toLowerCase())
      .where('deleted', '=', false)
      .orderBy(sql`lower(email)`)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? { user: toRecord.user(row), passwordHash: row.password_hash } : null;
  };
  const users: UserRepository = {
    async create(input): Promise<UserRecord> {
      const row = await db
        .insertInto('users')
        .values({ name: input.name, email: input.email, created: input.created, password_hash: input.passwordHash ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord.user(row);
    },
    async get(id) {
      if (!isId(id)) return null;
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord.user(row) : null;
    },
    async update(id, patch) {
      if (!isId(id)) return null;
      const set = { ...tenantSet(patch), ...(patch.email !== undefined ? { email: patch.email } : {}) };
      if (Object.keys(set).length === 0) return this.get(id);
      const row = await db.updateTable('users').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toRecord.user(row) : null;
    },
    async findByEmail(email) {
      return (await findLogin(email))?.user ?? null;
    },
    findLogin,
  };

  const membership = (r: { client_id: string; user_id: string; role: MembershipRecord['role'] }): MembershipRecord => ({
    clientId: r.client_id,
    userId: r.user_id,
    role: r.role,
  });
  const memberships: MembershipRepository = {
    async put(m) {
      const row = await db
        .insertInto('memberships')
        .values({ client_id: m.clientId, user_id: m.userId, role: m.role })
        .onConflict((oc) => oc.columns(['client_id', 'user_id']).doUpdateSet({ role: m.role }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return membership(row);
    },
    async get(clientId, userId) {
      const row = await db.selectFrom('memberships').selectAll().where('client_id', '=', clientId).where('user_id', '=', userId).executeTakeFirst();
      return row ? membership(row) : null;
    },
    async listForUser(userId) {
      const rows = await db.selectFrom('memberships').selectAll().where('user_id', '=', userId).orderBy('client_id').execute();
      return rows.map(membership);
    },
    async listForClient(clientId) {
      const rows = await db.selectFrom('memberships').selectAll().where('client_id', '=', clientId).orderBy('user_id').execute();
      return rows.map(membership);
    },
    async delete(clientId, userId) {
      const result = await db.deleteFrom('memberships').where('client_id', '=', clientId).where('user_id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };

  const tokens: TokenRepository = {
    async create(input: NewToken): Promise<TokenRecord> {
      const row = await mapDuplicateKey(() =>
        db
          .insertInto('tokens')
          .values({
            hash: input.hash,
            type: input.type,
            scope: input.scope,
            client_id: input.clientId,
            user_id: input.userId,
            experiment_id: input.experimentId,
            permissions: input.permissions,
            created: input.created,
            expires: input.expires,
            revoked: input.revoked ?? false,
            root: input.root ?? false,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toRecord.token(row);
    },
    async get(id) {
      if (!isId(id)) return null;
      const row = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord.token(row) : null;
    },
    async findByHash(hash): Promise<TokenLookup | null> {
      // One round trip per request: the owners' deleted flags come along by primary-key joins.
      const row = await db
        .selectFrom('tokens as t')
        .leftJoin('clients as c', 'c.id', 't.client_id')
        .leftJoin('organizations as o', 'o.id', 'c.organization_id')
        .leftJoin('users as u', 'u.id', 't.user_id')
        .selectAll('t')
        .select([
          sql<boolean>`coalesce(c.deleted, false) OR coalesce(o.deleted, false)`.as('client_deleted'),
          sql<boolean>`coalesce(u.deleted, false)`.as('user_deleted'),
        ])
        .where('t.hash', '=', hash)
        .executeTakeFirst();
      if (!row) return null;
      const { client_deleted, user_deleted, ...token } = row;
      return { token: toRecord.token(token), clientDeleted: client_deleted, userDeleted: user_deleted };
    },
    async update(id, patch) {
      if (!isId(id)) return null;
      if (patch.hash === undefined && patch.expires === undefined && patch.revoked === undefined) return this.get(id);
      const row = await mapDuplicateKey(() =>
        db
          .updateTable('tokens')
          .set({
            ...(patch.hash !== undefined ? { hash: patch.hash } : {}),
            ...(patch.expires !== undefined ? { expires: patch.expires } : {}),
            ...(patch.revoked !== undefined ? { revoked: patch.revoked } : {}),
          })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst(),
      );
      return row ? toRecord.token(row) : null;
    },
    async list(filter: TokenFilter) {
      let q = db.selectFrom('tokens').selectAll();
      if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
      if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
      if (filter.experimentId !== undefined) q = q.where('experiment_id', '=', filter.experimentId);
      if (filter.types !== undefined) {
        if (filter.types.length === 0) return [];
        q = q.where('type', 'in', [...filter.types]);
      }
      if (!filter.includeRevoked) q = q.where('revoked', '=', false);
      const rows = await q.orderBy('id').execute();
      return rows.map(toRecord.token);
    },
  };

  return { organizations, clients, users, memberships, tokens };
}
