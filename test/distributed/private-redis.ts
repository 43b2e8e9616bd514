import { spawnSync } from 'node:child_process';

let probe: string | false | undefined;

/**
 * Synchronous probe for suites that start (and kill) their own redis-server: false when the binary
 * runs, else the reason. With SEXTANT_REQUIRE_SERVICES=1 (CI) a missing binary fails instead of skipping.
 * The servers themselves come from `spawnRedis` in fleet.ts.
 */
export function redisServerUnavailable(): string | false {
  if (probe !== undefined) return probe;
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  probe = r.status === 0 ? false : `no runnable redis-server binary on PATH (${(r.stderr || r.error?.message || 'timeout').trim()})`;
  if (probe) {
    if (process.env.SEXTANT_REQUIRE_SERVICES === '1') throw new Error(`${probe}; SEXTANT_REQUIRE_SERVICES=1 forbids skipping`);
    console.warn(`[sextant tests] skipping suites that restart a private Redis: ${probe}`);
  }
  return probe;
}
