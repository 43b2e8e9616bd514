/**
 * A one-line progress indicator that only draws on a terminal (DESIGN §6: progress output only on
 * a TTY), so logs and CI output stay clean.
 */
export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): {
  tick(label: string): void;
  done(): void;
} {
  const started = Date.now();
  let count = 0;
  const tty = stream.isTTY === true;
  return {
    tick(label) {
      count++;
      if (!tty) return;
      const elapsed = (Date.now() - started) / 1000;
      const eta = count > 0 ? (elapsed / count) * (total - count) : 0;
      const line = `[${count}/${total}] ${label}  ${Math.round(elapsed)}s elapsed, ~${Math.round(eta)}s left`;
      stream.write(`\r\x1b[K${line.slice(0, (stream.columns ?? 100) - 1)}`);
    },
    done() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
