import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { sourcesOption } from '../charts/chart-options.ts';
import { EChart } from '../charts/echart.tsx';
import { type OperationsFigures, operationsFigures, parsePrometheusText } from '../data/prometheus-text.ts';

const SCRAPE_MS = 5000;
/** Ten minutes of scrapes: the history is bounded, so an open page does not grow. */
const KEEP = 120;

interface Scrape {
  readonly at: number;
  readonly figures: OperationsFigures;
}

/**
 * The server's own figures, read from its `/metrics` (the Prometheus text this process, or in
 * `serve --processes N` the whole cluster, exposes): suggestion sources per interval, queue depth
 * and age, worker heartbeats, request rate, mean latency and server errors.
 */
export function LiveFigures(): ReactNode {
  const [scrapes, setScrapes] = useState<readonly Scrape[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scrape = async () => {
      try {
        const res = await fetch('/metrics', { signal: ctrl.signal });
        if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
        const figures = operationsFigures(parsePrometheusText(await res.text()));
        setScrapes((s) => [...s.slice(-(KEEP - 1)), { at: Date.now(), figures }]);
        setError(null);
      } catch (err) {
        if (!ctrl.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      } finally {
        if (!ctrl.signal.aborted) timer = setTimeout(scrape, SCRAPE_MS);
      }
    };
    void scrape();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, []);

  const option = useMemo(() => {
    const sources = new Set(scrapes.flatMap((s) => Object.keys(s.figures.suggestions)));
    const perSource: Record<string, number[]> = {};
    for (const src of sources) {
      perSource[src] = scrapes
        .slice(1)
        .map((s, i) => Math.max(0, (s.figures.suggestions[src] ?? 0) - (scrapes[i]!.figures.suggestions[src] ?? 0)));
    }
    return sourcesOption(
      scrapes.slice(1).map((s) => s.at),
      perSource,
    );
  }, [scrapes]);

  const last = scrapes.at(-1);
  const prev = scrapes.at(-2);
  const seconds = last && prev ? (last.at - prev.at) / 1000 : 0;
  const requests = last && prev ? last.figures.requests - prev.figures.requests : 0;
  const meanMs = last && prev && requests > 0 ? ((last.figures.requestSeconds - prev.figures.requestSeconds) / requests) * 1000 : null;
  const now = Date.now() / 1000;
  return (
    <section className="panel" aria-labelledby="figures-title">
      <h2 id="figures-title">Server figures</h2>
      {error && <p className="error">{error}</p>}
      <EChart option={option} label="Suggestions per interval by source" testId="chart-sources" height={260} />
      {last && (
        <dl className="facts" data-testid="server-figures">
          <dt>Suggestions (all time)</dt>
          <dd>
            {Object.entries(last.figures.suggestions)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || 'none'}
          </dd>
          <dt>Queue depth</dt>
          <dd>{last.figures.queueDepth ?? '—'}</dd>
          <dt>Oldest waiting job</dt>
          <dd>{last.figures.queueOldestAgeSeconds === null ? '—' : `${last.figures.queueOldestAgeSeconds.toFixed(1)} s`}</dd>
          <dt>Requests</dt>
          <dd>{seconds > 0 ? `${(requests / seconds).toFixed(1)}/s` : '—'}</dd>
          <dt>Mean latency</dt>
          <dd>{meanMs === null ? '—' : `${meanMs.toFixed(1)} ms`}</dd>
          <dt>Server errors (5xx)</dt>
          <dd>{last.figures.serverErrors}</dd>
          <dt>Workers</dt>
          <dd>
            {Object.entries(last.figures.workers)
              .map(([w, t]) => `${w} (seen ${Math.max(0, Math.round(now - t))} s ago)`)
              .join(', ') || 'in-process (embedded mode)'}
          </dd>
        </dl>
      )}
    </section>
  );
}
