import { sql, type Kysely, type Selectable } from 'kysely';
import type { CheckpointRecord, RunFileRecord, TrainingRunRecord } from '../ports/records.ts';
import type { NewTrainingRun, TrainingRunFilter, TrainingRunRepository } from '../ports/training-run-repository.ts';
import type { CheckpointsTable, Database, RunFilesTable, TrainingRunsTable } from '../schema.ts';
import { keysetPage } from './keyset-query.ts';
import { json, jsonOrNull, storedValues } from './row-mappers.ts';

const toRun = (r: Selectable<TrainingRunsTable>): TrainingRunRecord => ({
  id: r.id,
  clientId: r.client_id,
  projectId: r.project_id,
  experimentId: r.experiment_id,
  suggestionId: r.suggestion_id,
  observationId: r.observation_id,
  userId: r.user_id,
  state: r.state,
  deleted: r.deleted,
  created: Number(r.created),
  updated: Number(r.updated),
  completed: r.completed === null ? null : Number(r.completed),
  data: r.data,
});

const toCheckpoint = (r: Selectable<CheckpointsTable>): CheckpointRecord => ({
  id: r.id,
  trainingRunId: r.training_run_id,
  created: Number(r.created),
  values: r.values.map((v) => ({ name: v.name, value: v.value, valueStddev: v.value_stddev })),
  metadata: r.metadata,
});

const FILE_COLUMNS = [
  'id',
  'client_id',
  'training_run_id',
  'user_id',
  'name',
  'filename',
  'content_type',
  'content_length',
  'content_md5',
  'upload_hash',
  'upload_expires',
  'uploaded',
  'created',
] as const;

const toFile = (r: Omit<Selectable<RunFilesTable>, 'data'>): RunFileRecord => ({
  id: r.id,
  clientId: r.client_id,
  trainingRunId: r.training_run_id,
  userId: r.user_id,
  name: r.name,
  filename: r.filename,
  contentType: r.content_type,
  contentLength: Number(r.content_length),
  contentMd5: r.content_md5,
  uploadHash: r.upload_hash,
  uploadExpires: Number(r.upload_expires),
  uploaded: r.uploaded,
  created: Number(r.created),
});

const row = (input: NewTrainingRun) => ({
  client_id: input.clientId,
  project_id: input.projectId,
  experiment_id: input.experimentId,
  suggestion_id: input.suggestionId,
  observation_id: input.observationId,
  user_id: input.userId,
  state: input.state,
  deleted: input.deleted,
  created: input.created,
  updated: input.updated,
  completed: input.completed,
  data: json(input.data),
});

/** Training runs over Kysely; lists seek on (client_id[, project_id], id) or (experiment_id, id). */
export function trainingRunRepository(db: Kysely<Database>): TrainingRunRepository {
  const filtered = (f: TrainingRunFilter) => {
    let q = db.selectFrom('training_runs');
    if (f.experimentId !== undefined) q = q.where('experiment_id', '=', f.experimentId);
    if (f.clientIds.length === 1) q = q.where('client_id', '=', f.clientIds[0]!);
    else q = q.where('client_id', 'in', f.clientIds.length > 0 ? [...f.clientIds] : ['-1']);
    if (f.projectId !== undefined) q = q.where('project_id', '=', f.projectId);
    if (f.deleted !== undefined) q = q.where('deleted', '=', f.deleted);
    return q;
  };

  return {
    async create(input) {
      return toRun(await db.insertInto('training_runs').values(row(input)).returningAll().executeTakeFirstOrThrow());
    },

    async createMany(inputs) {
      if (inputs.length === 0) return [];
      const rows = await db.insertInto('training_runs').values(inputs.map(row)).returningAll().execute();
      // RETURNING follows VALUES order for a plain INSERT; sort by id to be explicit about it.
      return rows.map(toRun).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    },

    async get(id) {
      const r = await db.selectFrom('training_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRun(r) : null;
    },

    async update(id, patch) {
      const set = {
        ...(patch.projectId !== undefined ? { project_id: patch.projectId } : {}),
        ...(patch.observationId !== undefined ? { observation_id: patch.observationId } : {}),
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.deleted !== undefined ? { deleted: patch.deleted } : {}),
        ...(patch.updated !== undefined ? { updated: patch.updated } : {}),
        ...(patch.completed !== undefined ? { completed: patch.completed } : {}),
        ...(patch.data !== undefined ? { data: json(patch.data) } : {}),
      };
      if (Object.keys(set).length === 0) return this.get(id);
      const r = await db.updateTable('training_runs').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return r ? toRun(r) : null;
    },

    async list(filter, page) {
      return keysetPage(
        {
          columns: ['id'],
          kinds: ['int'],
          fetch: async (seek, direction, limit) => {
            let q = filtered(filter).selectAll();
            if (seek) q = q.where(seek);
            return (await q.orderBy('id', direction).limit(limit).execute()).map(toRun);
          },
          count: async () =>
            Number(
              (
                await filtered(filter)
                  .select(sql<string>`count(*)`.as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          keyOf: (r) => [r.id],
        },
        page,
      );
    },

    async countsByExperiment(experimentId) {
      const r = await db
        .selectFrom('training_runs')
        .select([
          sql<string>`count(*) FILTER (WHERE state = 'active' AND observation_id IS NULL)`.as('active'),
          sql<string>`count(*) FILTER (WHERE state <> 'active' OR observation_id IS NOT NULL)`.as('finished'),
        ])
        .where('experiment_id', '=', experimentId)
        .where('deleted', '=', false)
        .executeTakeFirstOrThrow();
      return { active: Number(r.active), finished: Number(r.finished) };
    },

    async setDeletedByExperiment(experimentId, deleted, updated) {
      const r = await db
        .updateTable('training_runs')
        .set({ deleted, updated })
        .where('experiment_id', '=', experimentId)
        .where('deleted', '=', !deleted)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async byObservations(experimentId, observationIds) {
      if (observationIds.length === 0) return [];
      const rows = await db
        .selectFrom('training_runs')
        .selectAll()
        .where('observation_id', 'in', [...observationIds])
        .where('experiment_id', '=', experimentId)
        .where('deleted', '=', false)
        .execute();
      return rows.map(toRun);
    },

    async projectCounts(clientId, projectIds) {
      const counts = new Map<string, number>(projectIds.map((id) => [id, 0]));
      if (projectIds.length === 0) return counts;
      const rows = await db
        .selectFrom('training_runs')
        .select(['project_id', sql<string>`count(*)`.as('n')])
        .where('client_id', '=', clientId)
        .where('project_id', 'in', [...projectIds])
        .where('deleted', '=', false)
        .groupBy('project_id')
        .execute();
      for (const r of rows) if (r.project_id !== null) counts.set(r.project_id, Number(r.n));
      return counts;
    },

    async createCheckpoint(input) {
      const r = await db
        .insertInto('checkpoints')
        .values({
          training_run_id: input.trainingRunId,
          created: input.created,
          values: storedValues(input.values),
          metadata: jsonOrNull(input.metadata),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toCheckpoint(r);
    },

    async checkpointCount(trainingRunId) {
      const r = await db
        .selectFrom('checkpoints')
        .select(sql<string>`count(*)`.as('n'))
        .where('training_run_id', '=', trainingRunId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async listCheckpoints(trainingRunId, page) {
      const base = () => db.selectFrom('checkpoints').where('training_run_id', '=', trainingRunId);
      return keysetPage(
        {
          columns: ['id'],
          kinds: ['int'],
          fetch: async (seek, direction, limit) => {
            let q = base().selectAll();
            if (seek) q = q.where(seek);
            return (await q.orderBy('id', direction).limit(limit).execute()).map(toCheckpoint);
          },
          count: async () =>
            Number(
              (
                await base()
                  .select(sql<string>`count(*)`.as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          keyOf: (c) => [c.id],
        },
        page,
      );
    },

    async createFile(input) {
      const r = await db
        .insertInto('run_files')
        .values({
          client_id: input.clientId,
          training_run_id: input.trainingRunId,
          user_id: input.userId,
          name: input.name,
          filename: input.filename,
          content_type: input.contentType,
          content_length: input.contentLength,
          content_md5: input.contentMd5,
          upload_hash: input.uploadHash,
          upload_expires: input.uploadExpires,
          created: input.created,
        })
        .returning(FILE_COLUMNS)
        .executeTakeFirstOrThrow();
      return toFile(r);
    },

    async getFile(id) {
      const r = await db.selectFrom('run_files').select(FILE_COLUMNS).where('id', '=', id).executeTakeFirst();
      return r ? toFile(r) : null;
    },

    async completeUpload(id, data) {
      const r = await db
        .updateTable('run_files')
        .set({ data, uploaded: true })
        .where('id', '=', id)
        .where('uploaded', '=', false)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async fileIds(trainingRunId) {
      const rows = await db
        .selectFrom('run_files')
        .select('id')
        .where('training_run_id', '=', trainingRunId)
        .orderBy('id', 'asc')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
