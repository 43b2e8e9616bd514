import { type BackoffPolicy, backoffDelay } from '../../common/backoff.ts';
import { systemClock } from '../../common/system-clock.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { JobConsumer, JobQueue, RefreshHandler } from '../job-queue.ts';

/** Options of {@link InProcessJobQueue}. */
export interface InProcessJobQueueOptions {
  readonly handler: RefreshHandler;
  /** Handlers running at once (different experiments). Default 1. */
  readonly concurrency?: number;
  /** Attempts per job before it is dropped (the next enqueue starts over). Default 3. */
  readonly attempts?: number;
  readonly retry?: BackoffPolicy;
  readonly random?: () => number;
  /** Called when a job exhausted its attempts. */
  onFailed?(experimentId: string, error: unknown): void;
  /** Clock of job ages; default the system clock. */
  readonly clock?: Clock;
}

/**
 * The job queue of embedded mode and of unit tests: a FIFO of experiment ids in this process with
 * the coalescing of the port. A request for an experiment whose handler is running marks it for a
 * rerun right after, so a write during a refresh is never missed.
 */
export class InProcessJobQueue implements JobQueue, JobConsumer {
  private readonly waiting: string[] = [];
  /** Waiting experiment id → when it was enqueued (ms); insertion order is the FIFO order. */
  private readonly queued = new Map<string, number>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly rerun = new Set<string>();
  private closed = false;
  private idle: Array<() => void> = [];

  constructor(private readonly opts: InProcessJobQueueOptions) {}

  async enqueueRefresh(experimentId: string): Promise<void> {
    if (this.closed) return;
    if (this.running.has(experimentId)) this.rerun.add(experimentId);
    else if (!this.queued.has(experimentId)) {
      this.queued.set(experimentId, (this.opts.clock ?? systemClock).nowMs());
      this.waiting.push(experimentId);
    }
    this.pump();
  }

  async depth(): Promise<number> {
    return this.waiting.length + this.running.size;
  }

  async oldestWaitingAgeMs(): Promise<number> {
    // The FIFO head is the oldest waiting job (a rerun re-enters at the back with a new time).
    const head = this.waiting[0];
    const since = head === undefined ? undefined : this.queued.get(head);
    return since === undefined ? 0 : Math.max(0, (this.opts.clock ?? systemClock).nowMs() - since);
  }

  /** Jobs waiting to start (not running). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves when nothing is waiting or running (tests). */
  drained(): Promise<void> {
    if (this.waiting.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiting.length = 0;
    this.queued.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  private pump(): void {
    const concurrency = Math.max(1, this.opts.concurrency ?? 1);
    while (!this.closed && this.running.size < concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift() as string;
      this.queued.delete(id);
      const run = this.runJob(id).finally(() => {
        this.running.delete(id);
        if (this.rerun.delete(id)) void this.enqueueRefresh(id);
        this.pump();
        if (this.waiting.length === 0 && this.running.size === 0) {
          const idle = this.idle;
          this.idle = [];
          for (const resolve of idle) resolve();
        }
      });
      this.running.set(id, run);
    }
  }

  private async runJob(id: string): Promise<void> {
    const attempts = Math.max(1, this.opts.attempts ?? 3);
    const retry = this.opts.retry ?? { baseMs: 100, capMs: 5_000 };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.opts.handler(id);
        return;
      } catch (error) {
        if (attempt + 1 >= attempts || this.closed) {
          this.opts.onFailed?.(id, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, retry, this.opts.random)));
      }
    }
  }
}
