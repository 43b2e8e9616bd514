import { sql, type Kysely } from 'kysely';
import type { QueuedSuggestionRecord } from '../ports/records.ts';
import type { QueuedSuggestionRepository } from '../ports/suggestion-repositories.ts';
import type { Database } from '../schema.ts';
import { isId } from './is-id.ts';
import { keysetPage } from './keyset-query.ts';
import { json, toRecord } from './row-mappers.ts';


/** The per-experiment FIFO over queued_suggestions(experiment_id, id). */
export function queuedSuggestionRepository(db: Kysely<Database>): QueuedSuggestionRepository {
  const filtered = (experimentId: string) => db.selectFrom('queued_suggestions').where('experiment_id', '=', experimentId);
  return {
    async create(input): Promise<QueuedSuggestionRecord> {
      const row = await db
        .insertInto('queued_suggestions')
        .values({ experiment_id: input.experimentId, assignments: json(input.assignments), task: input.task, created: input.created })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord.queued(row);
    },

    async get(experimentId, id) {
      if (!isId(id)) return null;
      const row = await filtered(experimentId).selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord.queued(row) : null;
    },

    async list(experimentId, page) {
      return keysetPage(
        {
          columns: ['id'],
          kinds: ['int'],
          fetch: async (seek, direction, limit) => {
            let q = filtered(experimentId).selectAll();
            if (seek) q = q.where(seek);
            const rows = await q.orderBy('id', direction).limit(limit).execute();
            return rows.map(toRecord.queued);
          },
          count: async () => Number((await filtered(experimentId).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
          keyOf: (s) => [s.id],
        },
        page,
      );
    },

    async delete(experimentId, id) {
      if (!isId(id)) return false;
      const result = await db.deleteFrom('queued_suggestions').where('experiment_id', '=', experimentId).where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async popOldest(experimentId) {
      // SKIP LOCKED: a concurrent popper takes the next row instead of waiting for ours, and the
      // row lock means no two callers can delete (and return) the same entry.
      const row = await db
        .deleteFrom('queued_suggestions')
        .where('id', '=', (eb) =>
          eb
            .selectFrom('queued_suggestions')
            .select('id')
            .where('experiment_id', '=', experimentId)
            .orderBy('id')
            .limit(1)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .executeTakeFirst();
      return row ? toRecord.queued(row) : null;
    },
  };
}
