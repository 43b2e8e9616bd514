/**
 * Child-process entry of the quality benchmark: receives jobs from the parent over IPC, runs each
 * one, writes its cache file and reports back. One job at a time, so each child uses one core
 * (plus, for TPE, the Python process it waits on).
 */
import { writeCached, type Job } from './job.ts';
import { runJob } from './run-job.ts';

/** Message from the pool to a worker. */
export type WorkerRequest = { readonly type: 'job'; readonly job: Job } | { readonly type: 'stop' };

/** Message from a worker to the pool. */
export interface WorkerReply {
  readonly type: 'done';
  readonly error: string | null;
  readonly totalMs: number;
}

process.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'stop') {
    process.disconnect();
    return;
  }
  void (async () => {
    const result = await runJob(msg.job);
    // Failed runs are cached too (for the report), but readCached ignores them so they are retried.
    await writeCached(result);
    const reply: WorkerReply = { type: 'done', error: result.error, totalMs: result.totalMs };
    process.send?.(reply);
  })();
});
