import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numerics/rng.ts';
import { compareReports, formatComparison } from '../../src/sim/compare-reports.ts';
import { renderHtmlReport } from '../../src/sim/html-report.ts';
import { LatencyHistogram } from '../../src/sim/latency-histogram.ts';
import { parsePrometheusText, serverFigures } from '../../src/sim/metrics-scrape.ts';
import { RunControl } from '../../src/sim/run-control.ts';
import { RunRecorder } from '../../src/sim/run-recorder.ts';
import { resolveSimulationSettings } from '../../src/sim/simulation-options.ts';
import type { SimulationReport } from '../../src/sim/simulation-report.ts';
import { syntheticExperiment } from '../../src/sim/synthetic-experiment.ts';

describe('LatencyHistogram', () => {
  it('percentiles are within 1 % of the exact sorted-sample percentiles', () => {
    const rng = createRng(3);
    const h = new LatencyHistogram();
    const samples: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const v = Math.exp(rng.normal() * 1.5 + 1); // log-normal latencies, 0.02 ms … seconds
      samples.push(v);
      h.record(v);
    }
    samples.sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = samples[Math.ceil(q * samples.length) - 1]!;
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThan(0.011);
    }
    expect(h.summary().max).toBeCloseTo(samples.at(-1)!, 3);
    expect(h.summary().min).toBeCloseTo(samples[0]!, 3);
    expect(h.count).toBe(20_000);
  });

  it('merges histograms of the same shape and refuses others', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.record(1);
    b.record(100);
    a.merge(b);
    expect(a.count).toBe(2);
    expect(a.summary().max).toBe(100);
    expect(() => a.merge(new LatencyHistogram({ precision: 0.05 }))).toThrow(/shapes/);
  });
});

describe('RunRecorder', () => {
  it('keeps at most maxWindows windows by merging neighbours, without losing counts', () => {
    let t = 0;
    const rec = new RunRecorder({ now: () => t, windowMs: 1000, maxWindows: 8 });
    rec.request('experiment.create', 200, 5); // setup: counted per endpoint, not in windows
    rec.start();
    for (let i = 0; i < 100; i++) {
      t = i * 500;
      rec.request('suggestion.create', 200, 2);
      rec.request('observation.create', i % 10 === 0 ? 503 : 200, 3);
      rec.cycle(5);
    }
    rec.stop();
    const windows = rec.windowFigures();
    expect(windows.length).toBeLessThanOrEqual(8);
    expect(windows.reduce((a, w) => a + w.cycles, 0)).toBe(100);
    expect(windows.reduce((a, w) => a + w.errors, 0)).toBe(10);
    expect(windows[1]!.t).toBe(windows[0]!.seconds);
    const e = rec.endpointFigures();
    expect(e['observation.create']?.statuses).toEqual({ '200': 90, '503': 10 });
    expect(e['experiment.create']?.requests).toBe(1);
    expect(e['suggestion.create']?.throughput).toBeCloseTo(100 / 49.5, 2);
  });
});

describe('RunControl', () => {
  it('grants exactly the cycle budget, gives back failed reservations, and stops at the deadline', () => {
    let t = 0;
    const c = new RunControl(10, 1000, () => t);
    expect(c.reserve(4)).toBe(4);
    expect(c.reserve(4)).toBe(4);
    expect(c.reserve(4)).toBe(2);
    c.release(2);
    expect(c.reserve(4)).toBe(2);
    expect(c.reserve(1)).toBe(0);
    expect(c.stopReason).toBe('cycles');
    const d = new RunControl(1_000_000, 1000, () => t);
    expect(d.reserve(1)).toBe(1);
    t = 1000;
    expect(d.stopped).toBe(true);
    expect(d.stopReason).toBe('duration');
    expect(d.reserve(1)).toBe(0);
  });

  it('wakes sleepers when stopped', async () => {
    const c = new RunControl(10, Number.POSITIVE_INFINITY, () => 0);
    const sleeping = c.sleep(60_000);
    c.stop('aborted');
    await sleeping;
    expect(c.stopReason).toBe('aborted');
  });
});

describe('simulation settings', () => {
  it('profiles scale experiments and clients; explicit numbers win', () => {
    const one = resolveSimulationSettings({ profile: '1x' });
    const ten = resolveSimulationSettings({ profile: '10x' });
    const thousand = resolveSimulationSettings({ profile: '1000x' });
    expect([one.experiments, one.clients]).toEqual([1, 1]);
    expect([ten.experiments / one.experiments, ten.clients / one.clients]).toEqual([10, 10]);
    expect([thousand.experiments, thousand.clients]).toEqual([1000, 1000]);
    expect(resolveSimulationSettings({ profile: '1000x', clients: 64 })).toMatchObject({ experiments: 1000, clients: 64 });
  });

  it('every run is bounded in time and in count', () => {
    expect(resolveSimulationSettings({ cycles: 50 })).toMatchObject({ maxCycles: 50, durationSeconds: 600 });
    const d = resolveSimulationSettings({ durationSeconds: 5 });
    expect(d.durationSeconds).toBe(5);
    expect(Number.isFinite(d.maxCycles)).toBe(true);
    expect(() => resolveSimulationSettings({ failureRate: 2 })).toThrow(/failure-rate/);
    expect(() => resolveSimulationSettings({ clients: 0 })).toThrow(/clients/);
  });
});

describe('synthetic experiments', () => {
  it('are reproducible for a seed and evaluate every metric', () => {
    const a = syntheticExperiment('run', 1, createRng(5));
    const b = syntheticExperiment('run', 1, createRng(5));
    expect(a.body).toEqual(b.body);
    const point = Object.fromEntries(a.body.parameters.map((p) => [p.name, p.categorical_values?.[0] ?? p.bounds!.min]));
    const va = a.evaluate(point, 0, createRng(1));
    expect(va).toEqual(b.evaluate(point, 0, createRng(1)));
    expect(va.map((v) => v.name)).toEqual(a.body.metrics.map((m) => m.name));
    expect(va.every((v) => Number.isFinite(v.value))).toBe(true);
    expect(a.evaluate(point, 0.5, createRng(2))[0]!.value_stddev).toBe(0.5);
  });

  it('mix single and two-metric experiments and parallel bandwidths in the requested shares', () => {
    const rng = createRng(9);
    const all = Array.from({ length: 400 }, (_, i) =>
      syntheticExperiment('run', i, rng.fork(), { multiMetricShare: 0.3, parallelShare: 0.5 }),
    );
    const multi = all.filter((e) => e.body.metrics.length === 2).length / all.length;
    const parallel = all.filter((e) => e.bandwidth > 1).length / all.length;
    expect(multi).toBeGreaterThan(0.22);
    expect(multi).toBeLessThan(0.38);
    expect(parallel).toBeGreaterThan(0.42);
    expect(parallel).toBeLessThan(0.58);
    expect(all.every((e) => e.bandwidth === (e.body.parallel_bandwidth ?? 1))).toBe(true);
    const types = new Set(all.flatMap((e) => e.body.parameters.map((p) => p.type)));
    expect(types).toEqual(new Set(['double', 'int', 'categorical']));
  });
});

describe('metrics scrape', () => {
  it('parses Prometheus text and turns two scrapes into run figures', () => {
    const before = parsePrometheusText(
      [
        '# HELP sextant_suggestions_total x',
        '# TYPE sextant_suggestions_total counter',
        'sextant_suggestions_total{source="initial"} 10',
        'process_cpu_seconds_total 5',
        'sextant_http_request_duration_seconds_sum{route="suggestion.create",method="POST",status="200"} 1',
        'sextant_http_request_duration_seconds_count{route="suggestion.create",method="POST",status="200"} 100',
      ].join('\n'),
    );
    const after = parsePrometheusText(
      [
        'sextant_suggestions_total{source="initial"} 30',
        'sextant_suggestions_total{source="model"} 5',
        'process_cpu_seconds_total 8',
        'nodejs_eventloop_lag_p99_seconds 0.012',
        'sextant_http_request_duration_seconds_sum{route="suggestion.create",method="POST",status="200"} 2',
        'sextant_http_request_duration_seconds_count{route="suggestion.create",method="POST",status="200"} 300',
        'weird{label="a \\"quoted\\" b"} 1 1700000000',
      ].join('\n'),
    );
    expect(after.sum('weird', { label: 'a "quoted" b' })).toBe(1);
    const f = serverFigures(before, after, 10);
    expect(f.suggestionsBySource).toEqual({ initial: 20, model: 5 });
    expect(f.cpuSeconds).toBe(3);
    expect(f.cpuUtilisation).toBe(0.3);
    expect(f.eventLoopLagP99Ms).toBe(12);
    expect(f.serverMeanMsByRoute['suggestion.create']).toBe(5);
  });
});

function fakeReport(cyclesPerSecond: number, p99: number, errors: number): SimulationReport {
  const latency = { count: 10, mean: p99 / 2, min: 1, p50: p99 / 4, p95: p99 / 2, p99, max: p99 * 2 };
  return {
    format: 'sextant-simulation/1',
    startedAt: '2026-01-01T00:00:00.000Z',
    target: { url: 'http://127.0.0.1:1', mode: 'embedded' },
    settings: resolveSimulationSettings({}),
    environment: { node: 'v20', platform: 'linux-x64', cpus: 2, loadAverageAtStart: [1, 1, 1] },
    setup: { experimentsCreated: 10, multiMetric: 2, parallel: 3, seconds: 1 },
    summary: {
      measuredSeconds: 10,
      stoppedBy: 'duration',
      cycles: cyclesPerSecond * 10,
      cyclesPerSecond,
      cycleLatency: latency,
      requests: 100,
      errors,
      errorRate: errors / 100,
    },
    endpoints: { 'suggestion.create': { requests: 50, throughput: cyclesPerSecond, latency, statuses: { '200': 50 }, errors: 0 } },
    errorsByStatus: errors ? { '503': errors } : {},
    sourceMix: { origin: 'metrics', counts: { initial: 5, fresh: 30, stale: 10, fallback: 10 }, modelShare: 0.8, freshShare: 0.6 },
    verification: { suggestionsAcknowledged: 50, observationsAcknowledged: 50, observationsStored: 50, match: true },
    server: null,
    timeline: [{ t: 0, seconds: 1, cycles: 5, requests: 10, errors: 0, endpoints: { cycle: { count: 5, p50: 1, p99: 2 } } }],
  };
}

describe('compare', () => {
  it('prints b/a ratios and says which direction is better', () => {
    const rows = compareReports(fakeReport(100, 40, 2), fakeReport(250, 20, 0));
    const by = Object.fromEntries(rows.map((r) => [r.figure, r]));
    expect(by['cycles/s']?.ratio).toBe(2.5);
    expect(by['cycle p99 ms']?.ratio).toBe(0.5);
    expect(by['suggestion.create ok/s']?.ratio).toBe(2.5);
    expect(by.errors?.ratio).toBe(0);
    expect(by['server CPU utilisation']?.ratio).toBeNull();
    const text = formatComparison(rows);
    expect(text).toMatch(/cycles\/s\s+100\s+250\s+2\.50×\s+better/);
    expect(text).toMatch(/cycle p99 ms\s+40\s+20\s+0\.50×\s+better/);
    expect(formatComparison(compareReports(fakeReport(100, 40, 0), fakeReport(50, 80, 0)))).toMatch(
      /cycles\/s\s+100\s+50\s+0\.50×\s+worse/,
    );
  });
});

describe('HTML report', () => {
  it('is self-contained: inline SVG charts, no scripts or external resources', () => {
    const html = renderHtmlReport(fakeReport(100, 40, 1));
    expect(html).toContain('<svg');
    expect(html).toContain('Throughput over time');
    expect(html).toContain('Latency over time');
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });
});
