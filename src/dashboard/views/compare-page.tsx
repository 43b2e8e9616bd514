import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { Api } from '../api.ts';
import { compareOption } from '../charts/chart-options.ts';
import { EChart } from '../charts/echart.tsx';
import { bestSoFar } from '../data/best-so-far.ts';
import { metricValue } from '../data/observation-table.ts';
import { navigate } from '../router.ts';
import type { Experiment, Observation, Page } from '../types.ts';
import { ErrorNote } from './common.tsx';

const MAX_PER_EXPERIMENT = 20_000;

async function curve(api: Api, id: string, signal: AbortSignal): Promise<{ name: string; best: (number | null)[] }> {
  const experiment = await api.get<Experiment>(`/v1/experiments/${id}`, undefined, signal);
  const observations: Observation[] = [];
  let before: string | undefined;
  do {
    const page = await api.get<Page<Observation>>(`/v1/experiments/${id}/observations`, { limit: 1000, before }, signal);
    observations.push(...page.data);
    before = page.paging.before ?? undefined;
  } while (before && observations.length < MAX_PER_EXPERIMENT);
  observations.reverse();
  const metric = experiment.metrics.find((m) => m.strategy === 'optimize') ?? experiment.metrics[0];
  const values = observations.map((o) => metricValue(experiment, o, metric?.name ?? null));
  return { name: `${experiment.name} (#${experiment.id})`, best: bestSoFar(values, metric?.objective ?? 'maximize') };
}

/**
 * Best-so-far curves of several experiments on one chart (`/compare?ids=3,5`), each on its first
 * optimized metric, against the observation count.
 */
export function ComparePage(props: { readonly api: Api; readonly search: string }): ReactNode {
  const ids = useMemo(() => (new URLSearchParams(props.search).get('ids') ?? '').split(',').filter((s) => /^\d+$/.test(s)), [props.search]);
  const [draft, setDraft] = useState(ids.join(', '));
  const [curves, setCurves] = useState<{ name: string; best: (number | null)[] }[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    Promise.all(ids.map((id) => curve(props.api, id, ctrl.signal))).then(setCurves, (err: unknown) => {
      if (!ctrl.signal.aborted) setError(err);
    });
    return () => ctrl.abort();
  }, [props.api, ids]);
  const option = useMemo(() => compareOption(curves), [curves]);
  return (
    <section aria-labelledby="compare-title">
      <h1 id="compare-title">Compare experiments</h1>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const list = draft.split(/[\s,]+/).filter((s) => /^\d+$/.test(s));
          navigate(`/compare?ids=${list.join(',')}`);
        }}
      >
        <label>
          Experiment ids <input name="ids" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="e.g. 3, 5" />
        </label>
        <button type="submit">Compare</button>
      </form>
      {error !== null && <ErrorNote error={error} />}
      {ids.length === 0 ? (
        <p className="empty">Enter two or more experiment ids to compare their best-so-far curves.</p>
      ) : (
        <EChart option={option} label="Best-so-far curves" testId="chart-compare" height={420} />
      )}
    </section>
  );
}
