import type { CheckpointRecord, RunFileRecord, TrainingRunRecord } from '../../store/ports/records.ts';

/** The TrainingRun object, in sigopt-server's field set (the python client's `TrainingRun`). */
export function renderTrainingRun(
  run: TrainingRunRecord,
  checkpointCount: number,
  fileIds: readonly string[] = [],
): Record<string, unknown> {
  const d = run.data;
  return {
    object: 'training_run',
    id: run.id,
    client: run.clientId,
    project: run.projectId,
    experiment: run.experimentId,
    suggestion: run.suggestionId,
    observation: run.observationId,
    user: run.userId,
    name: d.name,
    state: run.state,
    finished: run.observationId !== null || run.completed !== null,
    deleted: run.deleted,
    created: run.created,
    updated: run.updated,
    completed: run.completed,
    checkpoint_count: checkpointCount,
    assignments: { ...d.assignments },
    values: Object.fromEntries(
      Object.entries(d.values).map(([name, v]) => [
        name,
        { object: 'metric_evaluation', name, value: v.value, value_stddev: v.value_stddev },
      ]),
    ),
    logs: Object.fromEntries(Object.entries(d.logs).map(([name, l]) => [name, { object: 'log', content: l.content }])),
    metadata: d.metadata,
    dev_metadata: d.dev_metadata ?? {},
    sys_metadata: d.sys_metadata ?? {},
    model: { object: 'model', type: d.model.type },
    datasets: Object.fromEntries(Object.keys(d.datasets).map((name) => [name, { object: 'dataset' }])),
    source_code: { object: 'source_code', content: d.source_code.content, hash: d.source_code.hash },
    favorite: d.favorite,
    tags: [...d.tags],
    files: [...fileIds],
  };
}

/** The Checkpoint object: values over time of one run. */
export function renderCheckpoint(c: CheckpointRecord): Record<string, unknown> {
  return {
    object: 'checkpoint',
    id: c.id,
    training_run: c.trainingRunId,
    created: c.created,
    values: c.values.map((v) => ({ object: 'metric_evaluation', name: v.name, value: v.value, value_stddev: v.valueStddev })),
    metadata: c.metadata,
  };
}

/**
 * The File object of a declared run file, with where and how to upload it (`upload`: method, URL
 * and the headers to send, which the python client passes to `requests.request` as they are).
 */
export function renderRunFile(f: RunFileRecord, uploadUrl: string | null): Record<string, unknown> {
  return {
    object: 'file',
    id: f.id,
    client: f.clientId,
    training_run: f.trainingRunId,
    user: f.userId,
    name: f.name,
    filename: f.filename,
    content_type: f.contentType,
    content_length: f.contentLength,
    content_md5: f.contentMd5,
    created: f.created,
    download: null,
    upload:
      uploadUrl === null
        ? null
        : { object: 'upload_info', method: 'PUT', url: uploadUrl, headers: { 'Content-Type': f.contentType, 'Content-MD5': f.contentMd5 } },
  };
}
