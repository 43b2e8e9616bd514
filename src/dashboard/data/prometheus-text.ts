/** One sample of the Prometheus text exposition format. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the server's own `/metrics` text (comments skipped; `+Inf`, `NaN` understood). */
export function parsePrometheusText(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    const v = m[3]!;
    out.push({ name: m[1]!, labels, value: v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v) });
  }
  return out;
}

/** The figures the operations page shows, read from one scrape. */
export interface OperationsFigures {
  /** Suggestions created since the process started, by source (fresh, stale, fallback, …). */
  readonly suggestions: Readonly<Record<string, number>>;
  readonly queueDepth: number | null;
  readonly queueOldestAgeSeconds: number | null;
  /** Last heartbeat (unix seconds) of each optimizer worker (distributed mode). */
  readonly workers: Readonly<Record<string, number>>;
  readonly requests: number;
  readonly requestSeconds: number;
  readonly serverErrors: number;
}

/** Sums the samples of a scrape into {@link OperationsFigures}. */
export function operationsFigures(samples: readonly Sample[]): OperationsFigures {
  const suggestions: Record<string, number> = {};
  const workers: Record<string, number> = {};
  let queueDepth: number | null = null;
  let queueOldestAgeSeconds: number | null = null;
  let requests = 0;
  let requestSeconds = 0;
  let serverErrors = 0;
  for (const s of samples) {
    switch (s.name) {
      case 'sextant_suggestions_total':
        suggestions[s.labels.source ?? 'unknown'] = (suggestions[s.labels.source ?? 'unknown'] ?? 0) + s.value;
        break;
      case 'sextant_queue_depth':
        queueDepth = s.value;
        break;
      case 'sextant_queue_oldest_job_age_seconds':
        queueOldestAgeSeconds = s.value;
        break;
      case 'sextant_worker_last_heartbeat_timestamp_seconds':
        workers[s.labels.worker ?? '?'] = s.value;
        break;
      case 'sextant_http_request_duration_seconds_count':
        requests += s.value;
        break;
      case 'sextant_http_request_duration_seconds_sum':
        requestSeconds += s.value;
        break;
      case 'sextant_http_server_errors_total':
        serverErrors += s.value;
        break;
      default:
    }
  }
  return { suggestions, queueDepth, queueOldestAgeSeconds, workers, requests, requestSeconds, serverErrors };
}
