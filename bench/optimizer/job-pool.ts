import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { jobKey, type Job } from './job.ts';
import type { WorkerReply, WorkerRequest } from './job-worker.ts';

const WORKER = fileURLToPath(new URL('./job-worker.ts', import.meta.url));

// The children load TypeScript through tsx's ESM loader, registered explicitly rather than
// inherited, so the pool also works when its parent was started by another runner (e.g. vitest).
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Outcome of one job as seen by the pool. */
export interface JobOutcome {
  readonly job: Job;
  readonly error: string | null;
  readonly totalMs: number;
}

/**
 * Runs jobs in `size` long-lived child processes (node + tsx loader), one job
 * per child at a time. A child that dies, or exceeds `timeoutMs` on one job and is killed, takes
 * only its current job down: the job is reported as failed and a fresh child takes its place.
 */
export async function runPool(
  jobs: readonly Job[],
  size: number,
  onOutcome: (outcome: JobOutcome) => void,
  timeoutMs = 30 * 60_000,
): Promise<JobOutcome[]> {
  const queue = [...jobs];
  const outcomes: JobOutcome[] = [];
  const workers = Math.max(1, Math.min(size, queue.length));
  await Promise.all(Array.from({ length: workers }, () => drain()));
  return outcomes;

  async function drain(): Promise<void> {
    let child: ChildProcess | null = null;
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      child ??= fork(WORKER, [], {
        execArgv: ['--import', TSX_LOADER],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      const outcome = await runOn(child, job, timeoutMs);
      if (outcome.error?.startsWith('worker exited') === true) child = null;
      outcomes.push(outcome);
      onOutcome(outcome);
    }
    if (child !== null && child.connected) child.send({ type: 'stop' } satisfies WorkerRequest);
  }
}

function runOn(child: ChildProcess, job: Job, timeoutMs: number): Promise<JobOutcome> {
  return new Promise((resolve) => {
    // Killing the child also ends a TPE driver: it exits when its stdin closes.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const onMessage = (msg: WorkerReply): void => {
      cleanup();
      resolve({ job, error: msg.error, totalMs: msg.totalMs });
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      resolve({ job, error: `worker exited (${code ?? signal}) during ${jobKey(job)}`, totalMs: 0 });
    };
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send({ type: 'job', job } satisfies WorkerRequest);
  });
}
