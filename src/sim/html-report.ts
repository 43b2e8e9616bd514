import type { SimulationReport } from './simulation-report.ts';
import { esc, svgLineChart } from './svg-line-chart.ts';

/** Endpoints drawn in the latency chart, in this order when present. */
const CHARTED = ['cycle', 'suggestion.create', 'observation.create', 'experiment.get', 'experiment.best_assignments'];

/**
 * The report as one self-contained HTML page: summary, per-endpoint table, errors, suggestion
 * sources, server figures, and inline SVG charts of throughput and latency over time. No external
 * scripts, styles or fonts, so it can be mailed or attached to an issue and opened offline.
 */
export function renderHtmlReport(r: SimulationReport): string {
  const t = r.timeline;
  const mid = (w: (typeof t)[number]) => w.t + w.seconds / 2;
  const throughput = svgLineChart({
    title: 'Throughput over time',
    xLabel: 'seconds since start of the measured phase',
    yLabel: 'per second',
    series: [
      { name: 'cycles/s', points: t.map((w) => [mid(w), w.cycles / w.seconds] as const) },
      { name: 'requests/s', points: t.map((w) => [mid(w), w.requests / w.seconds] as const) },
      { name: 'errors/s', points: t.map((w) => [mid(w), w.errors / w.seconds] as const) },
    ],
  });
  const charted = CHARTED.filter((e) => t.some((w) => w.endpoints[e]));
  const latency = (q: 'p50' | 'p99') =>
    svgLineChart({
      title: `Latency over time (${q})`,
      xLabel: 'seconds since start of the measured phase',
      yLabel: 'ms (log scale)',
      logY: true,
      series: charted.map((e) => ({ name: e, points: t.filter((w) => w.endpoints[e]).map((w) => [mid(w), w.endpoints[e]![q]] as const) })),
    });
  const s = r.summary;
  const rows = Object.entries(r.endpoints)
    .map(([name, e]) => {
      const statuses = Object.entries(e.statuses)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
      const l = e.latency;
      return `<tr><td>${esc(name)}</td><td>${e.requests}</td><td>${e.throughput}</td><td>${l.p50}</td><td>${l.p95}</td><td>${l.p99}</td><td>${l.max}</td><td>${l.mean}</td><td>${e.errors}</td><td>${esc(statuses)}</td></tr>`;
    })
    .join('\n');
  const kv = (o: Readonly<Record<string, unknown>>) =>
    Object.entries(o)
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))}</td></tr>`)
      .join('\n');
  const mixTotal = Object.values(r.sourceMix.counts).reduce((a, b) => a + b, 0);
  const mix = Object.entries(r.sourceMix.counts)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${v}</td><td>${mixTotal > 0 ? ((100 * v) / mixTotal).toFixed(1) : '0'} %</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sextant load simulation ${esc(r.startedAt)}</title>
<style>
body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}
th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}h2{margin-top:28px}
.big{font-size:22px;font-weight:bold}.ok{color:#2a7a2a}.bad{color:#b00}
</style></head><body>
<h1>Sextant load simulation</h1>
<p>${esc(r.startedAt)} · target ${esc(r.target.url)} (${esc(r.target.mode)}) · profile ${esc(r.settings.profile)} · ${r.settings.experiments} experiments · ${r.settings.clients} clients · seed ${r.settings.seed}</p>
<p class="big">${s.cyclesPerSecond} cycles/s · cycle p50 ${s.cycleLatency.p50} ms · p95 ${s.cycleLatency.p95} ms · p99 ${s.cycleLatency.p99} ms · <span class="${s.errors === 0 ? 'ok' : 'bad'}">${s.errors} errors</span></p>
<p>${s.cycles} cycles in ${s.measuredSeconds} s (stopped by ${esc(s.stoppedBy)}); ${s.requests} requests; error rate ${(s.errorRate * 100).toFixed(3)} %.
Observations acknowledged ${r.verification.observationsAcknowledged}, stored ${r.verification.observationsStored ?? 'unknown'}
<span class="${r.verification.match ? 'ok' : 'bad'}">(${r.verification.match === null ? 'not verified' : r.verification.match ? 'match' : 'MISMATCH'})</span>.</p>
${throughput}
${latency('p50')}
${latency('p99')}
<h2>Endpoints</h2>
<table><tr><th>endpoint</th><th>requests</th><th>ok/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>mean ms</th><th>errors</th><th>statuses</th></tr>
${rows}</table>
<h2>Errors by status</h2>
<table>${kv(r.errorsByStatus) || '<tr><td>none</td></tr>'}</table>
<h2>Suggestion sources (${esc(r.sourceMix.origin)})</h2>
<table><tr><th>source</th><th>count</th><th>share</th></tr>${mix}</table>
<p>Model share of post-initial suggestions: ${r.sourceMix.modelShare === null ? 'n/a' : `${(r.sourceMix.modelShare * 100).toFixed(1)} %`}; fresh: ${r.sourceMix.freshShare == null ? 'n/a' : `${(r.sourceMix.freshShare * 100).toFixed(1)} %`}</p>
<h2>Server (from /metrics)</h2>
${r.server ? `<table>${kv(r.server as unknown as Record<string, unknown>)}</table>` : '<p>No /metrics endpoint answered.</p>'}
<h2>Setup and settings</h2>
<table>${kv(r.setup)}</table>
<table>${kv(r.settings as unknown as Record<string, unknown>)}</table>
<table>${kv(r.environment)}</table>
</body></html>
`;
}
