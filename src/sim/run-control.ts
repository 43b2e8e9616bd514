/** Why a run's measured phase ended. */
export type StopReason = 'duration' | 'cycles' | 'errors' | 'aborted';

/**
 * The shared stop rule of all simulated clients: a cycle budget (reserved before a cycle starts,
 * released when it fails, so `--cycles N` yields exactly N completed cycles when nothing fails) and
 * a deadline. Either limit ends the run; nothing loops without both.
 */
export class RunControl {
  private reserved = 0;
  private completed = 0;
  private reason: StopReason | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly maxCycles: number,
    private readonly deadlineMs: number,
    private readonly now: () => number,
  ) {}

  /** Why the run stopped, or null while it runs. */
  get stopReason(): StopReason | null {
    if (this.reason === null && this.now() >= this.deadlineMs) this.stop('duration');
    return this.reason;
  }

  /** Whether clients should stop starting new cycles. */
  get stopped(): boolean {
    return this.stopReason !== null;
  }

  /** Up to `wanted` cycles granted to a client (0 = stop). */
  reserve(wanted: number): number {
    if (this.stopped) return 0;
    const granted = Math.max(0, Math.min(wanted, this.maxCycles - this.reserved));
    this.reserved += granted;
    if (granted === 0) this.stop('cycles');
    return granted;
  }

  /** Returns reserved cycles that did not complete (their suggestion or observation failed). */
  release(n: number): void {
    this.reserved -= n;
  }

  /** Counts a completed cycle; the last one of the budget stops the run. */
  complete(): void {
    this.completed++;
    if (this.completed >= this.maxCycles) this.stop('cycles');
  }

  /** Ends the run (first reason wins) and wakes every sleeping client. */
  stop(reason: StopReason): void {
    this.reason ??= reason;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Sleeps `ms`, or less if the run stops meanwhile. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.reason !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }
}
