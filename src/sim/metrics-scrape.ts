/** One parsed Prometheus sample. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** A parsed /metrics page. */
export class MetricsSnapshot {
  constructor(readonly samples: readonly MetricSample[]) {}

  /** Sum of a metric's samples whose labels include `match`. */
  sum(name: string, match: Readonly<Record<string, string>> = {}): number {
    let total = 0;
    for (const s of this.samples) {
      if (s.name !== name) continue;
      if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  /** Whether any sample of that name exists. */
  has(name: string): boolean {
    return this.samples.some((s) => s.name === name);
  }

  /** Sums of a metric grouped by one label. */
  byLabel(name: string, label: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.samples) {
      if (s.name !== name) continue;
      const key = s.labels[label] ?? '';
      out[key] = (out[key] ?? 0) + s.value;
    }
    return out;
  }
}

/**
 * Parses the Prometheus text exposition format (what prom-client renders): comment lines are
 * skipped, each sample line is `name{label="value",…} value [timestamp]`.
 */
export function parsePrometheusText(text: string): MetricsSnapshot {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf('}') >= 0 ? line.indexOf(' ', line.lastIndexOf('}')) : line.indexOf(' ');
    if (space < 0) continue;
    const name = brace >= 0 && brace < space ? line.slice(0, brace) : line.slice(0, space);
    const labels: Record<string, string> = {};
    if (brace >= 0 && brace < space) {
      const body = line.slice(brace + 1, line.lastIndexOf('}'));
      for (const m of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
        labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
    }
    const value = Number(
      line
        .slice(space + 1)
        .trim()
        .split(/\s+/)[0],
    );
    if (!Number.isNaN(value)) samples.push({ name, labels, value });
  }
  return new MetricsSnapshot(samples);
}

/** Fetches and parses `<url>/metrics`; null when the server has no metrics endpoint or is unreachable. */
export async function scrapeMetrics(baseUrl: string, timeoutMs = 5000): Promise<MetricsSnapshot | null> {
  try {
    const res = await fetch(`${baseUrl.replace(/\/$/, '')}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return null;
    return parsePrometheusText(await res.text());
  } catch {
    return null;
  }
}

/** Server-side figures of a run, from a /metrics scrape before and after it. */
export interface ServerFigures {
  /** Suggestions created during the run by source (queued, initial, model, fallback, …). */
  readonly suggestionsBySource: Readonly<Record<string, number>>;
  /** CPU seconds the scraped process used during the run, and that over the run's wall time. */
  readonly cpuSeconds: number | null;
  readonly cpuUtilisation: number | null;
  readonly residentMemoryMb: number | null;
  readonly heapUsedMb: number | null;
  /** Event-loop delay p99 since the previous scrape (prom-client resets it per scrape), ms. */
  readonly eventLoopLagP99Ms: number | null;
  readonly engineRefreshes: number;
  readonly engineRefreshErrors: number;
  readonly engineRefreshMeanMs: number | null;
  readonly serverErrors: number;
  /** Mean server-side handling time per route during the run (ms), to compare with client latency. */
  readonly serverMeanMsByRoute: Readonly<Record<string, number>>;
}

/**
 * The run's server figures as differences of two scrapes. With several API processes behind one
 * address each scrape reaches one of them; the figures then describe that process only.
 */
export function serverFigures(before: MetricsSnapshot, after: MetricsSnapshot, wallSeconds: number): ServerFigures {
  const delta = (name: string, match: Record<string, string> = {}) => after.sum(name, match) - before.sum(name, match);
  const sources: Record<string, number> = {};
  const a = after.byLabel('sextant_suggestions_total', 'source');
  const b = before.byLabel('sextant_suggestions_total', 'source');
  for (const [k, v] of Object.entries(a)) {
    const d = v - (b[k] ?? 0);
    if (d > 0) sources[k] = d;
  }
  const optional = (name: string, scale = 1) => (after.has(name) ? round(after.sum(name) * scale) : null);
  const cpu = after.has('process_cpu_seconds_total') ? delta('process_cpu_seconds_total') : null;
  const refreshes = delta('sextant_engine_refresh_duration_seconds_count');
  const refreshSeconds = delta('sextant_engine_refresh_duration_seconds_sum');
  const counts = after.byLabel('sextant_http_request_duration_seconds_count', 'route');
  const sums = after.byLabel('sextant_http_request_duration_seconds_sum', 'route');
  const countsBefore = before.byLabel('sextant_http_request_duration_seconds_count', 'route');
  const sumsBefore = before.byLabel('sextant_http_request_duration_seconds_sum', 'route');
  const serverMeanMsByRoute: Record<string, number> = {};
  for (const [route, c] of Object.entries(counts)) {
    const n = c - (countsBefore[route] ?? 0);
    if (n > 0) serverMeanMsByRoute[route] = round((((sums[route] ?? 0) - (sumsBefore[route] ?? 0)) * 1000) / n);
  }
  return {
    suggestionsBySource: sources,
    cpuSeconds: cpu === null ? null : round(cpu),
    cpuUtilisation: cpu === null || wallSeconds <= 0 ? null : round(cpu / wallSeconds),
    residentMemoryMb: optional('process_resident_memory_bytes', 1 / 2 ** 20),
    heapUsedMb: optional('nodejs_heap_size_used_bytes', 1 / 2 ** 20),
    eventLoopLagP99Ms: optional('nodejs_eventloop_lag_p99_seconds', 1000),
    engineRefreshes: refreshes,
    engineRefreshErrors: delta('sextant_engine_refresh_duration_seconds_count', { outcome: 'error' }),
    engineRefreshMeanMs: refreshes > 0 ? round((refreshSeconds / refreshes) * 1000) : null,
    serverErrors: delta('sextant_http_server_errors_total'),
    serverMeanMsByRoute,
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
