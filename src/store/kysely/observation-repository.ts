import { sql, type Kysely, type Selectable } from 'kysely';
import type { ObservationRecord } from '../ports/records.ts';
import { InvalidSortKeyError, pageInMemory, type SortKey } from '../keyset.ts';
import type { NewObservation, ObservationRepository } from '../ports/observation-repository.ts';
import type { Database, ObservationsTable } from '../schema.ts';

type ObservationRow = Selectable<ObservationsTable>;
import { isId } from './is-id.ts';
import { keysetPage } from './keyset-query.ts';
import { compareObservationKeys, observationKey } from './observation-order.ts';
import { json, jsonOrNull, storedValues, toRecord } from './row-mappers.ts';

/** Rows per multi-row INSERT: 10 parameters each keeps a chunk far below the 65535 limit. */
const INSERT_CHUNK = 1000;

const row = (o: NewObservation) => ({
  experiment_id: o.experimentId,
  suggestion_id: o.suggestionId,
  assignments: json(o.assignments),
  task: o.task,
  values: storedValues(o.values),
  failed: o.failed,
  created: o.created,
  metadata: jsonOrNull(o.metadata),
});

/** A marker for an in-memory sort must have the key's arity and an id last. */
function checkMarker(key: SortKey | undefined, arity: number): void {
  if (key === undefined) return;
  if (!Array.isArray(key) || key.length !== arity) throw new InvalidSortKeyError();
  const id = key[arity - 1];
  if (typeof id !== 'string' || !isId(id)) throw new InvalidSortKeyError();
  for (const v of key.slice(0, -1)) if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw new InvalidSortKeyError();
}

/**
 * Observations over Kysely. `id` and `timestamp` lists seek on observations(experiment_id, id) /
 * (experiment_id, created, id); value, parameter and task sorts load the experiment's matching
 * rows and page them in memory with the same contract (bounded by one experiment's size).
 */
export function observationRepository(db: Kysely<Database>): ObservationRepository {
  const scoped = (experimentId: string) => db.selectFrom('observations').where('experiment_id', '=', experimentId);
  const live = (experimentId: string) => scoped(experimentId).where('deleted', '=', false);

  return {
    async create(input): Promise<ObservationRecord> {
      const r = await db.insertInto('observations').values(row(input)).returningAll().executeTakeFirstOrThrow();
      return toRecord.observation(r);
    },

    async report(input) {
      const e = input.experimentId;
      const sid = input.suggestionId;
      if (sid !== null && !isId(sid)) return null;
      const created = String(input.created);
      const values = [e, sid, json(input.assignments ?? {}), input.task, storedValues(input.values)];
      const rest = sql`${input.failed}::boolean, ${created}::bigint, ${jsonOrNull(input.metadata)}::jsonb`;
      const touch = sql`UPDATE experiments SET updated = ${created}::bigint WHERE id = ${e}::bigint AND updated < ${created}::bigint`;
      // Data-modifying CTEs always run; the touch waits for the insert so a rejected report
      // (unknown suggestion) changes nothing.
      const statement =
        sid === null
          ? sql<ObservationRow>`WITH o AS (
              INSERT INTO observations (experiment_id, suggestion_id, assignments, task, "values", failed, created, metadata)
              VALUES (${values[0]}::bigint, NULL, ${values[2]}::jsonb, ${values[3]}::text, ${values[4]}::jsonb, ${rest})
              RETURNING *),
            t AS (${touch} AND EXISTS (SELECT 1 FROM o))
            SELECT * FROM o`
          : sql<ObservationRow>`WITH s AS (
              UPDATE suggestions SET state = 'closed' WHERE experiment_id = ${e}::bigint AND id = ${sid}::bigint
              RETURNING assignments, task),
            o AS (
              INSERT INTO observations (experiment_id, suggestion_id, assignments, task, "values", failed, created, metadata)
              SELECT ${e}::bigint, ${sid}::bigint, s.assignments, s.task, ${values[4]}::jsonb, ${rest} FROM s
              RETURNING *),
            t AS (${touch} AND EXISTS (SELECT 1 FROM o))
            SELECT * FROM o`;
      const r = (await statement.execute(db)).rows[0];
      return r ? toRecord.observation(r) : null;
    },

    async createMany(inputs) {
      const out: ObservationRecord[] = [];
      for (let i = 0; i < inputs.length; i += INSERT_CHUNK) {
        const rows = await db
          .insertInto('observations')
          .values(inputs.slice(i, i + INSERT_CHUNK).map(row))
          .returningAll()
          .execute();
        // Identity values are drawn in VALUES order; RETURNING order is not promised, so sort.
        rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
        for (const r of rows) out.push(toRecord.observation(r));
      }
      return out;
    },

    async get(experimentId, id) {
      if (!isId(id)) return null;
      const r = await scoped(experimentId).selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRecord.observation(r) : null;
    },

    async list(experimentId, filter, sort, page) {
      const filtered = () => scoped(experimentId).where('deleted', '=', filter.deleted);
      if (sort.kind === 'id' || sort.kind === 'timestamp') {
        const timestamp = sort.kind === 'timestamp';
        return keysetPage(
          {
            columns: timestamp ? ['created', 'id'] : ['id'],
            kinds: timestamp ? ['int', 'int'] : ['int'],
            fetch: async (seek, direction, limit) => {
              let q = filtered().selectAll();
              if (seek) q = q.where(seek);
              if (timestamp) q = q.orderBy('created', direction);
              const rows = await q.orderBy('id', direction).limit(limit).execute();
              return rows.map(toRecord.observation);
            },
            count: async () =>
              filter.count ??
              Number(
                (
                  await filtered()
                    .select(sql<string>`count(*)`.as('n'))
                    .executeTakeFirstOrThrow()
                ).n,
              ),
            keyOf: (o) => (timestamp ? [o.created, o.id] : [o.id]),
          },
          page,
        );
      }
      const arity = sort.kind === 'task' ? 3 : 2;
      checkMarker(page.before, arity);
      checkMarker(page.after, arity);
      const all = (await filtered().selectAll().orderBy('id').execute()).map(toRecord.observation);
      return pageInMemory(
        all,
        page,
        (o) => observationKey(sort, o),
        (a, b) => compareObservationKeys(a, b, page.ascending),
      );
    },

    async update(experimentId, id, patch) {
      if (!isId(id)) return null;
      const set = {
        ...(patch.suggestionId !== undefined ? { suggestion_id: patch.suggestionId } : {}),
        ...(patch.assignments !== undefined ? { assignments: json(patch.assignments) } : {}),
        ...(patch.task !== undefined ? { task: patch.task } : {}),
        ...(patch.values !== undefined ? { values: storedValues(patch.values) } : {}),
        ...(patch.failed !== undefined ? { failed: patch.failed } : {}),
        ...(patch.metadata !== undefined ? { metadata: jsonOrNull(patch.metadata) } : {}),
      };
      if (Object.keys(set).length === 0) return this.get(experimentId, id);
      const r = await db
        .updateTable('observations')
        .set(set)
        .where('experiment_id', '=', experimentId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return r ? toRecord.observation(r) : null;
    },

    async delete(experimentId, id) {
      if (!isId(id)) return false;
      const result = await db
        .updateTable('observations')
        .set({ deleted: true })
        .where('experiment_id', '=', experimentId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async deleteAll(experimentId) {
      const result = await db
        .updateTable('observations')
        .set({ deleted: true })
        .where('experiment_id', '=', experimentId)
        .where('deleted', '=', false)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async listLive(experimentId, afterId) {
      const rows = await (afterId === undefined ? live(experimentId) : live(experimentId).where('id', '>', afterId))
        .selectAll()
        .orderBy('id')
        .execute();
      return rows.map(toRecord.observation);
    },

    async countLive(experimentId) {
      return Number(
        (
          await live(experimentId)
            .select(sql<string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    },

    async firstLive(experimentId) {
      const r = await live(experimentId).selectAll().orderBy('id', 'asc').limit(1).executeTakeFirst();
      return r ? toRecord.observation(r) : null;
    },

    async lastLive(experimentId) {
      const r = await live(experimentId).selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
      return r ? toRecord.observation(r) : null;
    },
  };
}
