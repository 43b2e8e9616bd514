import { sql, type Kysely } from 'kysely';
import type { SuggestionRecord } from '../ports/records.ts';
import type { SuggestionFilter, SuggestionRepository, TakenPoint } from '../ports/suggestion-repositories.ts';
import type { Database } from '../schema.ts';
import { isId } from './is-id.ts';
import { keysetPage } from './keyset-query.ts';
import { json, jsonOrNull, toRecord } from './row-mappers.ts';

/** Suggestions over Kysely; lists seek on suggestions(experiment_id, id) or its open partial index. */
export function suggestionRepository(db: Kysely<Database>): SuggestionRepository {
  const filtered = (experimentId: string, f: SuggestionFilter) => {
    let q = db.selectFrom('suggestions').where('experiment_id', '=', experimentId).where('deleted', '=', f.deleted);
    if (f.state === 'open') q = q.where('state', '=', 'open');
    if (f.ids !== undefined) {
      const ids = f.ids.filter(isId);
      q = q.where('id', 'in', ids.length > 0 ? ids : ['-1']);
    }
    return q;
  };

  return {
    async create(input): Promise<SuggestionRecord> {
      const row = await db
        .insertInto('suggestions')
        .values({
          experiment_id: input.experimentId,
          assignments: json(input.assignments),
          task: input.task,
          state: input.state ?? 'open',
          created: input.created,
          metadata: jsonOrNull(input.metadata),
          source: input.source,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord.suggestion(row);
    },

    async get(experimentId, id) {
      if (!isId(id)) return null;
      const row = await db
        .selectFrom('suggestions')
        .selectAll()
        .where('experiment_id', '=', experimentId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toRecord.suggestion(row) : null;
    },

    async list(experimentId, filter, page) {
      return keysetPage(
        {
          columns: ['id'],
          kinds: ['int'],
          fetch: async (seek, direction, limit) => {
            let q = filtered(experimentId, filter).selectAll();
            if (seek) q = q.where(seek);
            const rows = await q.orderBy('id', direction).limit(limit).execute();
            return rows.map(toRecord.suggestion);
          },
          count: async () =>
            Number(
              (
                await filtered(experimentId, filter)
                  .select(sql<string>`count(*)`.as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          keyOf: (s) => [s.id],
        },
        page,
      );
    },

    async updateMetadata(experimentId, id, metadata) {
      if (!isId(id)) return null;
      const row = await db
        .updateTable('suggestions')
        .set({ metadata: jsonOrNull(metadata) })
        .where('experiment_id', '=', experimentId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord.suggestion(row) : null;
    },

    async delete(experimentId, id) {
      if (!isId(id)) return false;
      const result = await db
        .updateTable('suggestions')
        .set({ deleted: true })
        .where('experiment_id', '=', experimentId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async deleteAll(experimentId, opts = {}) {
      let q = db.updateTable('suggestions').set({ deleted: true }).where('experiment_id', '=', experimentId).where('deleted', '=', false);
      if (opts.onlyOpen) q = q.where('state', '=', 'open');
      const result = await q.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async takenPoints(experimentId, { withObservations }) {
      const open = db
        .selectFrom('suggestions')
        .select([sql<string>`'open'`.as('kind'), 'assignments', 'task'])
        .where('experiment_id', '=', experimentId)
        .where('state', '=', 'open')
        .where('deleted', '=', false);
      const rows = withObservations
        ? await open
            .unionAll(
              db
                .selectFrom('observations')
                .select([sql<string>`'observed'`.as('kind'), 'assignments', 'task'])
                .where('experiment_id', '=', experimentId)
                .where('deleted', '=', false),
            )
            .execute()
        : await open.execute();
      const out = { open: [] as TakenPoint[], observed: [] as TakenPoint[] };
      for (const r of rows) out[r.kind === 'open' ? 'open' : 'observed'].push({ assignments: r.assignments, task: r.task });
      return out;
    },

    async listOpen(experimentId) {
      const rows = await db
        .selectFrom('suggestions')
        .selectAll()
        .where('experiment_id', '=', experimentId)
        .where('state', '=', 'open')
        .where('deleted', '=', false)
        .orderBy('id')
        .execute();
      return rows.map(toRecord.suggestion);
    },

    async close(experimentId, id) {
      if (!isId(id)) return false;
      const result = await db
        .updateTable('suggestions')
        .set({ state: 'closed' })
        .where('experiment_id', '=', experimentId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
