import type { Clock } from '../domain/ports/clock.ts';

/**
 * The process's real {@link Clock}, the default of every component that reads the time. It lives
 * outside src/domain so adapters, which take only port types from the domain, can default to it.
 */
export const systemClock: Clock = Object.freeze({
  now: () => Math.floor(Date.now() / 1000),
  nowMs: () => Date.now(),
});
