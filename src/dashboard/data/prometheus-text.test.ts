import { expect, test } from 'vitest';
import { operationsFigures, parsePrometheusText } from './prometheus-text.ts';

const TEXT = `# HELP sextant_suggestions_total Suggestions created, by source.
# TYPE sextant_suggestions_total counter
sextant_suggestions_total{source="fresh"} 12
sextant_suggestions_total{source="fallback"} 3
sextant_queue_depth 4
sextant_queue_oldest_job_age_seconds 1.5
sextant_worker_last_heartbeat_timestamp_seconds{worker="host-a:12"} 1700000000
sextant_http_request_duration_seconds_bucket{le="+Inf",route="root",method="GET",status="200"} 5
sextant_http_request_duration_seconds_sum{route="root",method="GET",status="200"} 0.25
sextant_http_request_duration_seconds_count{route="root",method="GET",status="200"} 5
sextant_http_request_duration_seconds_count{route="x",method="POST",status="500"} 1
sextant_http_server_errors_total{route="x"} 1
weird_label{a="quote \\" and, comma"} NaN
`;

test('parses samples, labels with escapes and special values', () => {
  const samples = parsePrometheusText(TEXT);
  expect(samples.find((s) => s.name === 'sextant_http_request_duration_seconds_bucket')?.value).toBe(5);
  expect(samples.find((s) => s.name === 'sextant_http_request_duration_seconds_bucket')?.labels.le).toBe('+Inf');
  expect(samples.find((s) => s.name === 'weird_label')?.labels.a).toBe('quote " and, comma');
  expect(Number.isNaN(samples.find((s) => s.name === 'weird_label')?.value)).toBe(true);
});

test('sums a scrape into the operations figures', () => {
  expect(operationsFigures(parsePrometheusText(TEXT))).toEqual({
    suggestions: { fresh: 12, fallback: 3 },
    queueDepth: 4,
    queueOldestAgeSeconds: 1.5,
    workers: { 'host-a:12': 1700000000 },
    requests: 6,
    requestSeconds: 0.25,
    serverErrors: 1,
  });
});
