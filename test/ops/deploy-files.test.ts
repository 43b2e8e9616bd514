import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SextantMetrics } from '../../src/observability/sextant-metrics.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/**
 * Series that distributed mode (issue 4) will emit; the alert rules already use these names.
 * Moving one from here into SextantMetrics (or another registry) is the contract.
 */
const DISTRIBUTED_SERIES = ['sextant_queue_oldest_job_age_seconds', 'sextant_worker_last_heartbeat_timestamp_seconds'];

function referencedSeries(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\b((?:sextant|process|nodejs)_[a-z0-9_]+)/g)) names.add((m[1] as string).replace(/_(bucket|count|sum)$/, ''));
  return [...names].sort();
}

describe('deploy/ alert rules and dashboard', () => {
  it('reference only series the server exposes (or the listed distributed-mode ones)', async () => {
    const text = await new SextantMetrics({ refreshesInFlight: () => 0 }).render();
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    for (const file of ['deploy/prometheus/alerts.yml', 'deploy/grafana/sextant-dashboard.json']) {
      const unknown = referencedSeries(read(file)).filter((n) => !exposed.has(n) && !DISTRIBUTED_SERIES.includes(n));
      expect(unknown, file).toEqual([]);
    }
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
