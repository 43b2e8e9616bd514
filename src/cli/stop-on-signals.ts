/**
 * Graceful shutdown of a long-running command: the first SIGINT or SIGTERM announces itself and
 * runs `shutdown` once (later signals are ignored while it runs); the process exits 0 when it
 * finished and 1, with the reason on stderr, when it failed.
 */
export function stopOnSignals(announce: (signal: string) => void, shutdown: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    announce(signal);
    shutdown().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
