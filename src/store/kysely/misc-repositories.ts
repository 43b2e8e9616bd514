import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditEntry, AuditLogRepository, OptimizerStateRepository } from '../ports/misc-repositories.ts';
import type { AuditLogTable, Database } from '../schema.ts';
import { keysetPage } from './keyset-query.ts';
import { json, jsonOrNull } from './row-mappers.ts';

/** Optimizer state (one upserted row per experiment) and the audit log, over Kysely. */
export function miscRepositories(db: Kysely<Database>): { optimizerState: OptimizerStateRepository; audit: AuditLogRepository } {
  const optimizerState: OptimizerStateRepository = {
    async get(experimentId) {
      const r = await db.selectFrom('optimizer_state').selectAll().where('experiment_id', '=', experimentId).executeTakeFirst();
      return r ? { experimentId: r.experiment_id, state: r.state, updated: Number(r.updated) } : null;
    },
    async put(record) {
      await db
        .insertInto('optimizer_state')
        .values({ experiment_id: record.experimentId, state: json(record.state), updated: record.updated })
        .onConflict((oc) => oc.column('experiment_id').doUpdateSet({ state: json(record.state), updated: record.updated }))
        .execute();
    },
    async delete(experimentId) {
      const result = await db.deleteFrom('optimizer_state').where('experiment_id', '=', experimentId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };

  const entry = (r: Selectable<AuditLogTable>): AuditEntry => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    created: Number(r.created),
    details: r.details,
  });
  const audit: AuditLogRepository = {
    async append(e) {
      const r = await db
        .insertInto('audit_log')
        .values({ actor: e.actor, action: e.action, object_type: e.objectType, object_id: e.objectId, created: e.created, details: jsonOrNull(e.details) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return entry(r);
    },
    // The same indexed keyset query as `list`, narrowed to one object.
    listForObject(objectType, objectId, page) {
      return this.list({ objectType, objectId }, page);
    },
    async list(filter, page) {
      const filtered = () => {
        let q = db.selectFrom('audit_log');
        if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
        if (filter.objectId !== undefined) q = q.where('object_id', '=', filter.objectId);
        if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
        if (filter.action !== undefined) q = q.where('action', '=', filter.action);
        return q;
      };
      return keysetPage(
        {
          columns: ['id'],
          kinds: ['int'],
          fetch: async (seek, direction, limit) => {
            let q = filtered().selectAll();
            if (seek) q = q.where(seek);
            return (await q.orderBy('id', direction).limit(limit).execute()).map(entry);
          },
          count: async () => Number((await filtered().select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
          keyOf: (e) => [e.id],
        },
        page,
      );
    },
  };
  return { optimizerState, audit };
}
