import type { Page, PageRequest } from '../keyset.ts';
import type { CheckpointRecord, RunFileRecord, TrainingRunRecord } from './records.ts';

/** Input of {@link TrainingRunRepository.create}. */
export type NewTrainingRun = Omit<TrainingRunRecord, 'id'>;

/** Fields a run update may change (absent = unchanged). */
export type TrainingRunPatch = Partial<
  Pick<TrainingRunRecord, 'projectId' | 'observationId' | 'state' | 'deleted' | 'updated' | 'completed' | 'data'>
>;

/**
 * Filter of {@link TrainingRunRepository.list}: one or more clients (an index leads), optionally a
 * project or an experiment. `deleted` undefined = both.
 */
export interface TrainingRunFilter {
  readonly clientIds: readonly string[];
  readonly projectId?: string;
  readonly experimentId?: string;
  readonly deleted?: boolean;
}

/** Run counts of an AI experiment's progress (non-deleted runs). */
export interface RunCounts {
  readonly active: number;
  readonly finished: number;
}

/** Training runs and their checkpoints. */
export interface TrainingRunRepository {
  create(input: NewTrainingRun): Promise<TrainingRunRecord>;
  /** Inserts several runs in one statement, in order (batch create). */
  createMany(inputs: readonly NewTrainingRun[]): Promise<TrainingRunRecord[]>;
  get(id: string): Promise<TrainingRunRecord | null>;
  update(id: string, patch: TrainingRunPatch): Promise<TrainingRunRecord | null>;
  /** Keyset paging on id (SortKey [id]) over training_runs(client_id[, project_id], id) or (experiment_id, id). */
  list(filter: TrainingRunFilter, page: PageRequest): Promise<Page<TrainingRunRecord>>;
  /**
   * Non-deleted runs of an experiment: finished = completed, failed or with an observation;
   * active = the rest. One grouped query on training_runs(experiment_id, id).
   */
  countsByExperiment(experimentId: string): Promise<RunCounts>;
  /** Soft-deletes (or restores) every run of an experiment; returns how many changed. */
  setDeletedByExperiment(experimentId: string, deleted: boolean, updated: number): Promise<number>;
  /** The non-deleted runs that recorded these observations. */
  byObservations(experimentId: string, observationIds: readonly string[]): Promise<TrainingRunRecord[]>;
  /** Number of runs per project of a client (project rendering), non-deleted. */
  projectCounts(clientId: string, projectIds: readonly string[]): Promise<Map<string, number>>;
  createCheckpoint(input: Omit<CheckpointRecord, 'id'>): Promise<CheckpointRecord>;
  checkpointCount(trainingRunId: string): Promise<number>;
  /** Keyset paging on id over checkpoints(training_run_id, id). */
  listCheckpoints(trainingRunId: string, page: PageRequest): Promise<Page<CheckpointRecord>>;
  createFile(input: Omit<RunFileRecord, 'id' | 'uploaded'>): Promise<RunFileRecord>;
  getFile(id: string): Promise<RunFileRecord | null>;
  /** Stores the content of a declared file once; false when it was already uploaded. */
  completeUpload(id: string, data: Uint8Array): Promise<boolean>;
  /** Ids of a run's files, ascending. */
  fileIds(trainingRunId: string): Promise<string[]>;
}
