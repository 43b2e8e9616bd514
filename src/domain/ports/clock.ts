/** Time source, injected so tests are exact. */
export interface Clock {
  /** Unix seconds (integer). */
  now(): number;
  /** Milliseconds, for durations. */
  nowMs(): number;
}

export const systemClock: Clock = Object.freeze({
  now: () => Math.floor(Date.now() / 1000),
  nowMs: () => Date.now(),
});
