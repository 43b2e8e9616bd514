import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SextantMetrics } from '../../src/observability/sextant-metrics.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** The metrics of a distributed-mode API process: a job queue and one worker's heartbeat. */
function distributedMetrics(): SextantMetrics {
  return new SextantMetrics({
    refreshesInFlight: () => 0,
    queue: { depth: async () => 3, oldestWaitingAgeMs: async () => 1500 },
    workerHeartbeats: async () => [{ worker: 'host-1-abc', lastSeenSeconds: 1_700_000_000 }],
  });
}

function referencedSeries(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\b((?:sextant|process|nodejs)_[a-z0-9_]+)/g)) names.add((m[1] as string).replace(/_(bucket|count|sum)$/, ''));
  return [...names].sort();
}

describe('deploy/ alert rules and dashboard', () => {
  it('reference only series the server exposes', async () => {
    const text = await distributedMetrics().render();
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    for (const file of ['deploy/prometheus/alerts.yml', 'deploy/grafana/sextant-dashboard.json']) {
      const unknown = referencedSeries(read(file)).filter((n) => !exposed.has(n));
      expect(unknown, file).toEqual([]);
    }
  });

  it('distributed-mode series carry the units the alerts assume (seconds, unix time per worker)', async () => {
    const text = await distributedMetrics().render();
    expect(text).toMatch(/^sextant_queue_oldest_job_age_seconds 1\.5$/m);
    expect(text).toMatch(/^sextant_queue_depth 3$/m);
    expect(text).toMatch(/^sextant_worker_last_heartbeat_timestamp_seconds\{worker="host-1-abc"\} 1700000000$/m);
    expect(text).toMatch(/^sextant_cache_requests_total\{kind="pool",result="miss"\} 0$/m);
  });

  it('every alert has a runbook entry, and the dashboard is valid JSON with queries', () => {
    const runbook = read('docs/runbook.md');
    const alerts = [...read('deploy/prometheus/alerts.yml').matchAll(/- alert: (\w+)/g)].map((m) => m[1] as string);
    expect(alerts.length).toBeGreaterThanOrEqual(10);
    for (const a of alerts) {
      expect(runbook, a).toMatch(new RegExp(`^### ${a}$`, 'm'));
      expect(read('deploy/prometheus/alerts.yml')).toContain(`docs/runbook.md#${a.toLowerCase()}`);
    }
    const dash = JSON.parse(read('deploy/grafana/sextant-dashboard.json'));
    expect(dash.panels.length).toBeGreaterThan(10);
    for (const p of dash.panels) expect(p.targets.length, p.title).toBeGreaterThan(0);
  });

  const promtool = spawnSync('promtool', ['--version']).status === 0;
  it.skipIf(!promtool)('promtool accepts the rules and their unit tests pass (Debian package prometheus)', () => {
    const check = spawnSync('promtool', ['check', 'rules', 'deploy/prometheus/alerts.yml'], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const unit = spawnSync('promtool', ['test', 'rules', 'deploy/prometheus/alerts.test.yml'], { encoding: 'utf8' });
    expect(unit.status, unit.stdout + unit.stderr).toBe(0);
  });
});
