import { type ReactNode, useEffect, useMemo, useState } from 'react';
import type { Api } from '../api.ts';
import { historyOption, sliceOption, contourOption, parallelOption, paretoOption, importanceOption } from '../charts/chart-options.ts';
import { EChart } from '../charts/echart.tsx';
import { metricLabel } from '../data/observation-table.ts';
import type { Experiment, MetricImportances, Observation, Page, QueuedSuggestion, Suggestion } from '../types.ts';
import { ErrorNote, formatTime, formatValue } from './common.tsx';
import { EditExperiment } from './edit-experiment.tsx';
import { ExperimentDefinition } from './experiment-definition.tsx';
import { ObservationsTable } from './observations-table.tsx';
import { useExperimentData } from './use-experiment-data.ts';

/** One experiment: progress, charts, the observations table, suggestions and the definition. */
export function ExperimentPage(props: { readonly api: Api; readonly id: string; readonly onSignOut: () => void }): ReactNode {
  const { experiment, observations, error, truncated, loading } = useExperimentData(props.api, props.id);
  if (experiment === null) {
    return error !== null ? <ErrorNote error={error} onSignOut={props.onSignOut} /> : <p aria-busy="true">Loading…</p>;
  }
  return (
    <article aria-labelledby="experiment-title">
      <Header experiment={experiment} />
      {error !== null && <ErrorNote error={error} onSignOut={props.onSignOut} />}
      {truncated && <p className="note">Showing the newest {observations.length} observations.</p>}
      {loading !== null && (
        <p className="note" role="status" data-testid="loading">
          Loading observations: {loading} of {experiment.progress?.observation_count ?? '?'}…
        </p>
      )}
      <EditExperiment api={props.api} experiment={experiment} />
      {observations.length === 0 ? (
        <p className="empty">No observations yet. Report one with any SigOpt client; this page updates by itself.</p>
      ) : (
        <Charts api={props.api} experiment={experiment} observations={observations} ready={loading === null} />
      )}
      <ObservationsTable experiment={experiment} observations={observations} />
      <Suggestions api={props.api} experiment={experiment} />
      <ExperimentDefinition experiment={experiment} />
    </article>
  );
}

function Header(props: { readonly experiment: Experiment }): ReactNode {
  const e = props.experiment;
  const p = e.progress;
  return (
    <header className="experiment-header">
      <h1 id="experiment-title">{e.name}</h1>
      <dl className="facts">
        <dt>Id</dt>
        <dd>{e.id}</dd>
        <dt>State</dt>
        <dd>{e.state}</dd>
        <dt>Type</dt>
        <dd>{e.type}</dd>
        <dt>Observations</dt>
        <dd data-testid="observation-count">
          {p?.observation_count ?? 0}
          {e.observation_budget ? ` / ${e.observation_budget}` : ''}
        </dd>
        <dt>Best</dt>
        <dd>
          {p?.best_observation
            ? p.best_observation.values.map((v) => `${metricLabel(v.name)} ${formatValue(v.value)}`).join(', ')
            : e.metrics.filter((m) => m.strategy === 'optimize').length > 1
              ? 'see the Pareto frontier'
              : '—'}
        </dd>
        <dt>Project</dt>
        <dd>{e.project ?? '—'}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(e.updated)}</dd>
      </dl>
    </header>
  );
}

function Select(props: {
  readonly label: string;
  readonly value: string;
  readonly options: readonly string[];
  readonly onChange: (v: string) => void;
}): ReactNode {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

function Charts(props: {
  readonly api: Api;
  readonly experiment: Experiment;
  readonly observations: readonly Observation[];
  readonly ready: boolean;
}): ReactNode {
  const { experiment, observations } = props;
  const metrics = experiment.metrics.map((m) => m.name);
  const labels = metrics.map(metricLabel);
  const fromLabel = (l: string) => metrics[labels.indexOf(l)] ?? null;
  const optimized = experiment.metrics.filter((m) => m.strategy === 'optimize').map((m) => metricLabel(m.name));
  const [metric, setMetric] = useState(optimized[0] ?? labels[0] ?? 'value');
  const params = experiment.parameters.map((p) => p.name);
  // Numeric parameters first: their pair view is the more telling landscape.
  const numericFirst = [...experiment.parameters]
    .sort((a, b) => Number(a.type === 'categorical') - Number(b.type === 'categorical'))
    .map((p) => p.name);
  const [pairX, setPairX] = useState(numericFirst[0] ?? '');
  const [pairY, setPairY] = useState(numericFirst[1] ?? numericFirst[0] ?? '');
  const [paretoX, setParetoX] = useState(optimized[0] ?? labels[0] ?? '');
  const [paretoY, setParetoY] = useState(optimized[1] ?? labels[1] ?? '');
  const m = fromLabel(metric);

  const history = useMemo(() => historyOption(experiment, observations, m), [experiment, observations, m]);
  const slices = useMemo(
    () => params.slice(0, 12).map((p) => [p, sliceOption(experiment, observations, p, m)] as const),
    [experiment, observations, m],
  );
  const contour = useMemo(
    () => (params.length >= 2 ? contourOption(experiment, observations, pairX, pairY, m) : null),
    [experiment, observations, pairX, pairY, m],
  );
  const parallel = useMemo(() => parallelOption(experiment, observations), [experiment, observations]);
  const pareto = useMemo(
    () => (labels.length >= 2 ? paretoOption(experiment, observations, fromLabel(paretoX), fromLabel(paretoY)) : null),
    [experiment, observations, paretoX, paretoY],
  );

  return (
    <>
      <section aria-labelledby="history-title" className="panel">
        <div className="panel-head">
          <h2 id="history-title">History</h2>
          {labels.length > 1 && <Select label="Metric" value={metric} options={labels} onChange={setMetric} />}
        </div>
        <EChart option={history} label="Each observation's value and the best so far" testId="chart-history" />
      </section>
      <section aria-labelledby="slices-title" className="panel">
        <h2 id="slices-title">Parameters against {metric}</h2>
        <div className="grid-charts">
          {slices.map(([p, option]) => (
            <figure key={p}>
              <figcaption>{p}</figcaption>
              <EChart option={option} label={`${p} against ${metric}`} testId={`chart-slice-${p}`} height={220} />
            </figure>
          ))}
        </div>
      </section>
      {contour && (
        <section aria-labelledby="contour-title" className="panel">
          <div className="panel-head">
            <h2 id="contour-title">Pair of parameters</h2>
            <Select label="x" value={pairX} options={params} onChange={setPairX} />
            <Select label="y" value={pairY} options={params} onChange={setPairY} />
          </div>
          <EChart option={contour} label={`Mean ${metric} over ${pairX} and ${pairY}`} testId="chart-contour" />
        </section>
      )}
      <section aria-labelledby="parallel-title" className="panel">
        <h2 id="parallel-title">Parallel coordinates</h2>
        <EChart option={parallel} label="Parameters and metrics of every observation" testId="chart-parallel" />
      </section>
      <Importances api={props.api} experiment={experiment} count={observations.length} ready={props.ready} />
      {pareto && (
        <section aria-labelledby="pareto-title" className="panel">
          <div className="panel-head">
            <h2 id="pareto-title">Pareto frontier</h2>
            <Select label="x" value={paretoX} options={labels} onChange={setParetoX} />
            <Select label="y" value={paretoY} options={labels} onChange={setParetoY} />
          </div>
          <EChart option={pareto} label="Feasible and infeasible observations and the Pareto frontier" testId="chart-pareto" />
        </section>
      )}
    </>
  );
}

/** Above this many observations importances are computed on request only (the server fits them). */
const AUTO_IMPORTANCES = 5000;

function Importances(props: {
  readonly api: Api;
  readonly experiment: Experiment;
  readonly count: number;
  readonly ready: boolean;
}): ReactNode {
  const [data, setData] = useState<readonly MetricImportances[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const auto = props.count <= AUTO_IMPORTANCES;
  useEffect(() => {
    // Not while a big experiment's first load runs (both compete for the server), and for big
    // experiments only when asked; small ones refetch as observations arrive.
    if (!props.ready || (!auto && asked === 0)) return;
    const ctrl = new AbortController();
    props.api.get<Page<MetricImportances>>(`/v1/experiments/${props.experiment.id}/metric_importances`, undefined, ctrl.signal).then(
      (page) => {
        setData(page.data);
        setNote(null);
      },
      (err: unknown) => {
        if (!ctrl.signal.aborted) setNote(err instanceof Error ? err.message : String(err));
      },
    );
    return () => ctrl.abort();
  }, [props.api, props.experiment.id, props.ready, auto ? props.count : asked]);
  return (
    <section aria-labelledby="importance-title" className="panel">
      <h2 id="importance-title">Parameter importance</h2>
      {!auto && (
        <button type="button" onClick={() => setAsked(asked + 1)}>
          {asked === 0 ? 'Compute importances' : 'Recompute importances'}
        </button>
      )}
      {note && <p className="note">{note}</p>}
      <div className="grid-charts">
        {(data ?? []).map((d) => (
          <figure key={d.metric ?? ''}>
            <figcaption>{metricLabel(d.metric)}</figcaption>
            <EChart
              option={importanceOption(d.importances)}
              label={`Parameter importance for ${metricLabel(d.metric)}`}
              testId={`chart-importance-${metricLabel(d.metric)}`}
              height={60 + 28 * Object.keys(d.importances).length}
            />
          </figure>
        ))}
      </div>
    </section>
  );
}

function Suggestions(props: { readonly api: Api; readonly experiment: Experiment }): ReactNode {
  const [open, setOpen] = useState<Page<Suggestion> | null>(null);
  const [queued, setQueued] = useState<Page<QueuedSuggestion> | null>(null);
  const { id, updated } = props.experiment;
  useEffect(() => {
    const ctrl = new AbortController();
    const ignore = () => undefined;
    props.api.get<Page<Suggestion>>(`/v1/experiments/${id}/suggestions`, { state: 'open', limit: 100 }, ctrl.signal).then(setOpen, ignore);
    props.api.get<Page<QueuedSuggestion>>(`/v1/experiments/${id}/queued_suggestions`, { limit: 100 }, ctrl.signal).then(setQueued, ignore);
    return () => ctrl.abort();
  }, [props.api, id, updated]);
  const rows = [...(queued?.data ?? []).map((s) => ({ kind: 'queued', ...s })), ...(open?.data ?? []).map((s) => ({ kind: 'open', ...s }))];
  return (
    <section aria-labelledby="suggestions-title" className="panel">
      <h2 id="suggestions-title">Open and queued suggestions</h2>
      {rows.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Id</th>
              <th scope="col">Created</th>
              <th scope="col">Assignments</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={`${s.kind}-${s.id}`}>
                <td>{s.kind}</td>
                <td>{s.id}</td>
                <td>{formatTime(s.created)}</td>
                <td>
                  <code>{JSON.stringify(s.assignments)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
