import type { Clock } from '../../src/domain/ports/clock.ts';

/** A {@link Clock} that moves only when a test moves it, so times and expiries are exact. */
export interface ManualClock extends Clock {
  /** Moves the time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the time to `ms` milliseconds. */
  set(ms: number): void;
}

/** A {@link ManualClock} starting at `startMs` milliseconds; `now()` is its whole seconds, as for the system clock. */
export function manualClock(startMs = 0): ManualClock {
  let ms = startMs;
  return {
    now: () => Math.floor(ms / 1000),
    nowMs: () => ms,
    advance: (by) => {
      ms += by;
    },
    set: (to) => {
      ms = to;
    },
  };
}
