import type { SimulationProgress } from './simulation.ts';

/** A one-line live status; a no-op unless the stream is a terminal (logs and CI stay clean). */
export interface ProgressDisplay {
  update(p: SimulationProgress): void;
  /** Clears the line. */
  done(): void;
}

/** A progress line rewritten in place on a TTY (`\r` + clear-line); silent on pipes and files. */
export function createProgressDisplay(stream: NodeJS.WriteStream): ProgressDisplay {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update(p) {
      const limit = p.maxCycles < 10_000_000 ? `${p.cycles}/${p.maxCycles} cycles` : `${p.cycles} cycles`;
      const line =
        p.phase === 'setup'
          ? `setup: ${p.experiments} experiments created (${p.elapsedSeconds.toFixed(0)} s)`
          : p.phase === 'verifying'
            ? 'verifying stored observations and scraping /metrics…'
            : `${p.elapsedSeconds.toFixed(0)}/${p.limitSeconds} s  ${limit}  ${p.cyclesPerSecond.toFixed(1)} cycles/s  p99 ${p.recentCycleP99Ms.toFixed(1)} ms  errors ${p.errors}`;
      stream.write(`\r\x1b[2K${line}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
