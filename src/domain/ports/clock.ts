/**
 * Time source, injected so tests are exact. The one time-injection style of Sextant: a component
 * that reads the time takes an optional `clock?: Clock` (default {@link systemClock}), never a bare
 * `nowMs` function or a direct `Date.now()`, and the composition roots pass the process's clock.
 */
export interface Clock {
  /** Unix seconds (integer). */
  now(): number;
  /** Milliseconds, for durations. */
  nowMs(): number;
}

export { systemClock } from '../../common/system-clock.ts';
