import { sql, type Kysely } from 'kysely';
import type { ProjectRecord } from '../ports/records.ts';
import { mapDuplicateKey } from '../duplicate-key-error.ts';
import type { ProjectRepository } from '../ports/project-repository.ts';
import type { Database } from '../schema.ts';
import { keysetPage } from './keyset-query.ts';
import { jsonOrNull, toRecord } from './row-mappers.ts';

/** Projects over Kysely; lists seek on projects(client_id, updated|created, id). */
export function projectRepository(db: Kysely<Database>): ProjectRepository {
  return {
    async create(input): Promise<ProjectRecord> {
      const row = await mapDuplicateKey(() =>
        db
          .insertInto('projects')
          .values({
            client_id: input.clientId,
            id: input.id,
            name: input.name,
            user_id: input.userId,
            created: input.created,
            updated: input.updated,
            metadata: jsonOrNull(input.metadata),
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toRecord.project(row);
    },

    async get(clientId, id) {
      const row = await db.selectFrom('projects').selectAll().where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
      return row ? toRecord.project(row) : null;
    },

    async list(clientId, filter, sort, page) {
      const filtered = () => {
        let q = db.selectFrom('projects').where('client_id', '=', clientId);
        if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
        if (filter.deleted !== undefined) q = q.where('deleted', '=', filter.deleted);
        return q;
      };
      return keysetPage(
        {
          columns: [sort, 'id'],
          kinds: ['int', 'text'],
          fetch: async (seek, direction, limit) => {
            let q = filtered().selectAll();
            if (seek) q = q.where(seek);
            const rows = await q.orderBy(sort, direction).orderBy('id', direction).limit(limit).execute();
            return rows.map(toRecord.project);
          },
          count: async () => Number((await filtered().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
          keyOf: (p) => [p[sort], p.id],
        },
        page,
      );
    },

    async update(clientId, id, patch) {
      const set = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.metadata !== undefined ? { metadata: jsonOrNull(patch.metadata) } : {}),
        ...(patch.deleted !== undefined ? { deleted: patch.deleted } : {}),
        ...(patch.updated !== undefined ? { updated: patch.updated } : {}),
      };
      if (Object.keys(set).length === 0) return this.get(clientId, id);
      const row = await db.updateTable('projects').set(set).where('client_id', '=', clientId).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toRecord.project(row) : null;
    },

    async experimentCounts(clientId, projectIds, opts = {}) {
      const counts = new Map<string, number>(projectIds.map((id) => [id, 0]));
      if (projectIds.length === 0) return counts;
      let q = db
        .selectFrom('experiments')
        .select(['project_id', sql<string>`count(*)`.as('n')])
        .where('client_id', '=', clientId)
        .where('project_id', 'in', [...projectIds]);
      if (!opts.includeDeleted) q = q.where('state', '=', 'active');
      const rows = await q.groupBy('project_id').execute();
      for (const row of rows) if (row.project_id !== null) counts.set(row.project_id, Number(row.n));
      return counts;
    },
  };
}
