import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jobKey, type Job } from './job.ts';
import type { WorkerReply, WorkerRequest } from './job-worker.ts';

const WORKER = fileURLToPath(new URL('./job-worker.ts', import.meta.url));

/** Outcome of one job as seen by the pool. */
export interface JobOutcome {
  readonly job: Job;
  readonly error: string | null;
  readonly totalMs: number;
}

/**
 * Runs jobs in `size` long-lived child processes (forked with this process's tsx loader), one job
 * per child at a time. A child that dies takes only its current job down: the job is reported as
 * failed and a fresh child takes its place.
 */
export async function runPool(
  jobs: readonly Job[],
  size: number,
  onOutcome: (outcome: JobOutcome) => void,
): Promise<JobOutcome[]> {
  const queue = [...jobs];
  const outcomes: JobOutcome[] = [];
  const workers = Math.max(1, Math.min(size, queue.length));
  await Promise.all(Array.from({ length: workers }, () => drain()));
  return outcomes;

  async function drain(): Promise<void> {
    let child: ChildProcess | null = null;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      child ??= fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const outcome = await runOn(child, job);
      if (outcome.error?.startsWith('worker exited') === true) child = null;
      outcomes.push(outcome);
      onOutcome(outcome);
    }
    if (child !== null && child.connected) child.send({ type: 'stop' } satisfies WorkerRequest);
  }
}

function runOn(child: ChildProcess, job: Job): Promise<JobOutcome> {
  return new Promise((resolve) => {
    const onMessage = (msg: WorkerReply): void => {
      cleanup();
      resolve({ job, error: msg.error, totalMs: msg.totalMs });
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      resolve({ job, error: `worker exited (${code ?? signal}) during ${jobKey(job)}`, totalMs: 0 });
    };
    const cleanup = (): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send({ type: 'job', job } satisfies WorkerRequest);
  });
}
