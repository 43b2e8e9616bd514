import { sql, type Kysely } from 'kysely';
import type { ExperimentRecord } from '../ports/records.ts';
import type { ExperimentFilter, ExperimentRepository } from '../ports/experiment-repository.ts';
import type { Database } from '../schema.ts';
import { isId } from './is-id.ts';
import { keysetPage } from './keyset-query.ts';
import { json, jsonOrNull, toRecord } from './row-mappers.ts';

/** `%`, `_` and `\` are LIKE metacharacters; a search for "a_b" must match only "a_b". */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Experiments over Kysely; lists seek on experiments(client_id, id) or (client_id, updated, id). */
export function experimentRepository(db: Kysely<Database>): ExperimentRepository {
  const filtered = (f: ExperimentFilter) => {
    let q = db.selectFrom('experiments');
    if (f.clientIds !== undefined) {
      if (f.clientIds.length === 1) q = q.where('client_id', '=', f.clientIds[0]!);
      else q = q.where('client_id', 'in', f.clientIds.length > 0 ? [...f.clientIds] : ['-1']);
    }
    if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
    if (f.state !== 'all') q = q.where('state', '=', f.state);
    if (f.periodStart !== undefined) q = q.where('created', '>=', String(f.periodStart));
    if (f.periodEnd !== undefined) q = q.where('created', '<', String(f.periodEnd));
    if (f.development !== undefined) q = q.where('development', '=', f.development);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    if (f.onlyRunsOnly) q = q.where('runs_only', '=', true);
    else if (!f.includeRunsOnly) q = q.where('runs_only', '=', false);
    if (f.search !== undefined && f.search !== '') {
      const pattern = `%${likeEscape(f.search)}%`;
      q = q.where((eb) =>
        eb.or([
          eb('name', 'ilike', pattern),
          eb('user_id', 'in', eb.selectFrom('users').select('id').where('name', 'ilike', pattern)),
        ]),
      );
    }
    return q;
  };

  const countMatches = async (f: ExperimentFilter): Promise<number> =>
    Number((await filtered(f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  return {
    async create(input): Promise<ExperimentRecord> {
      const row = await db
        .insertInto('experiments')
        .values({
          client_id: input.clientId,
          user_id: input.userId,
          project_id: input.projectId,
          name: input.name,
          state: input.state,
          development: input.development,
          runs_only: input.runsOnly,
          created: input.created,
          updated: input.updated,
          metadata: jsonOrNull(input.metadata),
          spec: json(input.spec),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord.experiment(row);
    },

    async get(id) {
      if (!isId(id)) return null;
      const row = await db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord.experiment(row) : null;
    },

    async update(id, patch) {
      if (!isId(id)) return null;
      const set = {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.projectId !== undefined ? { project_id: patch.projectId } : {}),
        ...(patch.metadata !== undefined ? { metadata: jsonOrNull(patch.metadata) } : {}),
        ...(patch.spec !== undefined ? { spec: json(patch.spec) } : {}),
        ...(patch.updated !== undefined ? { updated: patch.updated } : {}),
        ...(patch.development !== undefined ? { development: patch.development } : {}),
        ...(patch.userId !== undefined ? { user_id: patch.userId } : {}),
      };
      if (Object.keys(set).length === 0) return this.get(id);
      const row = await db.updateTable('experiments').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toRecord.experiment(row) : null;
    },

    async touch(id, time) {
      if (!isId(id)) return;
      // The guard skips the write (and its row lock) when another writer already moved it on.
      await db.updateTable('experiments').set({ updated: time }).where('id', '=', id).where('updated', '<', String(time)).execute();
    },

    count: countMatches,

    async list(filter, sort, page) {
      const columns = sort === 'recent' ? ['updated', 'id'] : ['id'];
      return keysetPage(
        {
          columns,
          kinds: sort === 'recent' ? ['int', 'int'] : ['int'],
          fetch: async (seek, direction, limit) => {
            let q = filtered(filter).selectAll();
            if (seek) q = q.where(seek);
            if (sort === 'recent') q = q.orderBy('updated', direction);
            const rows = await q.orderBy('id', direction).limit(limit).execute();
            return rows.map(toRecord.experiment);
          },
          count: async () => filter.count ?? countMatches(filter),
          keyOf: (e) => (sort === 'recent' ? [e.updated, e.id] : [e.id]),
        },
        page,
      );
    },
  };
}
