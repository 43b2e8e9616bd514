import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { type BackoffPolicy, backoffDelay } from '../../common/backoff.ts';
import type { JobConsumer, JobQueue, RefreshHandler } from '../job-queue.ts';
import { PROCESS_DEFAULTS } from '../../config/settings-registry.ts';

const QUEUE_NAME = 'refresh';
const JOB_NAME = 'refresh';

/** Job retries after a handler error: the shared full-jitter schedule. */
export const JOB_RETRY_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 250, capMs: 30_000 });

/** Where the queue lives. */
export interface BullmqQueueOptions {
  /** A connection made by createRedisConnection with maxRetriesPerRequest null (BullMQ needs it). */
  readonly connection: Redis;
  /** BullMQ key prefix (keeps deployments and parallel tests apart), e.g. `sextant`. */
  readonly prefix: string;
}

/** The experiment's job id: a custom id is BullMQ's deduplication (no ':' allowed in it). */
function jobIdOf(experimentId: string): string {
  return `refresh-${experimentId}`;
}

/**
 * The {@link JobQueue} on BullMQ. One job id per experiment: adding while a job with that id
 * exists (waiting, delayed or active) is a no-op, which gives coalescing and at most one job per
 * experiment at a time. Jobs are removed when they finish, so the next write enqueues anew. A
 * request that arrives while the job is active is absorbed by that job (the handler reruns while
 * the experiment's generation moves; see refresh-job-handler.ts).
 */
export class BullmqJobQueue implements JobQueue {
  private readonly queue: Queue;

  constructor(opts: BullmqQueueOptions) {
    this.queue = new Queue(QUEUE_NAME, {
      connection: opts.connection,
      prefix: opts.prefix,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: true,
        attempts: 5,
        backoff: { type: 'sextant-full-jitter' },
      },
    });
    this.queue.on('error', () => {});
  }

  async enqueueRefresh(experimentId: string): Promise<void> {
    await this.queue.add(JOB_NAME, { experimentId }, { jobId: jobIdOf(experimentId) });
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Jobs waiting for a worker (not running, not in a retry pause). */
  async waitingCount(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async oldestWaitingAgeMs(): Promise<number> {
    // Oldest job of each waiting state (ascending order puts it first); `timestamp` is when it was
    // added, so a job retried after a failure keeps counting from its first enqueue. Delayed jobs
    // are retries in their backoff pause and count too: their experiment still waits for a refresh.
    const oldest = await Promise.all((['wait', 'prioritized', 'delayed'] as const).map((type) => this.queue.getJobs([type], 0, 0, true)));
    const stamps = oldest
      .flat()
      .map((job) => job.timestamp)
      .filter((t) => Number.isFinite(t));
    // Date.now, not an injected clock: BullMQ stamps jobs with the enqueuing host's Date.now.
    return stamps.length === 0 ? 0 : Math.max(0, Date.now() - Math.min(...stamps));
  }

  /** Waits until the queue's connection is usable (startup registration). */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

/** Options of {@link startBullmqConsumer}. */
export interface BullmqConsumerOptions extends BullmqQueueOptions {
  readonly handler: RefreshHandler;
  /** Jobs this process runs at once (different experiments: ids are unique per experiment). */
  readonly concurrency: number;
  /**
   * How long a job stays owned without a heartbeat. A worker killed mid-job loses the job to
   * another worker after at most about this long (BullMQ's stalled-job check). Default 30 s.
   */
  readonly lockDurationMs?: number;
  readonly random?: () => number;
  onFailed?(experimentId: string, error: unknown): void;
}

/**
 * Consumes refresh jobs with a BullMQ Worker. Failed attempts are retried on the shared
 * full-jitter schedule; jobs of a dead worker are recovered by the stalled-job check of the others.
 */
export async function startBullmqConsumer(opts: BullmqConsumerOptions): Promise<JobConsumer> {
  const lockDuration = opts.lockDurationMs ?? PROCESS_DEFAULTS.jobLockMs;
  const worker = new Worker<{ experimentId: string }>(QUEUE_NAME, async (job) => opts.handler(job.data.experimentId), {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: Math.max(1, opts.concurrency),
    lockDuration,
    stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
    // Killing a worker twice in a row must not drop an experiment's refresh.
    maxStalledCount: 10,
    settings: { backoffStrategy: (attemptsMade) => Math.max(1, backoffDelay(attemptsMade - 1, JOB_RETRY_BACKOFF, opts.random)) },
  });
  worker.on('error', () => {});
  worker.on('failed', (job, error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) opts.onFailed?.(job.data.experimentId, error);
  });
  await worker.waitUntilReady();
  return {
    close: () => worker.close(),
  };
}
