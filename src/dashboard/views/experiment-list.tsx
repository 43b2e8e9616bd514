import { type ReactNode, useEffect, useState } from 'react';
import type { Api } from '../api.ts';
import { metricLabel } from '../data/observation-table.ts';
import { Link, navigate } from '../router.ts';
import type { Experiment, Page } from '../types.ts';
import { ErrorNote, formatTime, formatValue } from './common.tsx';

const PAGE_SIZE = 25;

/**
 * Every experiment the token can see (`GET /v1/experiments`, paged on the server), with search,
 * state filter, progress against the budget, best value, last activity and project. Search and
 * state live in the URL so a filtered list can be shared.
 */
export function ExperimentList(props: { readonly api: Api; readonly search: string; readonly onSignOut: () => void }): ReactNode {
  const params = new URLSearchParams(props.search);
  const search = params.get('search') ?? '';
  const state = params.get('state') ?? 'active';
  const [draft, setDraft] = useState(search);
  // Paging markers: the list is newest first; `before` walks to older experiments.
  const [markers, setMarkers] = useState<string[]>([]);
  const [page, setPage] = useState<Page<Experiment> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const before = markers.at(-1);

  // Back and forward change the URL: the search box and the paging follow it.
  useEffect(() => {
    setMarkers([]);
    setDraft(search);
  }, [search, state]);
  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    props.api
      .get<Page<Experiment>>('/v1/experiments', { search, state, limit: PAGE_SIZE, before, sort: 'recent' }, ctrl.signal)
      .then(setPage, (err: unknown) => {
        if (!ctrl.signal.aborted) setError(err);
      });
    return () => ctrl.abort();
  }, [props.api, search, state, before]);

  const setQuery = (next: { search?: string; state?: string }) => {
    const q = new URLSearchParams({ search: next.search ?? search, state: next.state ?? state });
    if (q.get('search') === '') q.delete('search');
    if (q.get('state') === 'active') q.delete('state');
    const s = q.toString();
    navigate(`/experiments${s ? `?${s}` : ''}`);
  };

  return (
    <section aria-labelledby="experiments-title">
      <h1 id="experiments-title">Experiments</h1>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ search: draft.trim() });
        }}
      >
        <label>
          Search <input type="search" name="search" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <label>
          State{' '}
          <select name="state" value={state} onChange={(e) => setQuery({ state: e.target.value })}>
            <option value="active">active</option>
            <option value="deleted">deleted</option>
            <option value="all">all</option>
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      {error !== null ? (
        <ErrorNote error={error} onSignOut={props.onSignOut} />
      ) : page === null ? (
        <p aria-busy="true">Loading…</p>
      ) : page.data.length === 0 ? (
        <p className="empty">{search ? `No experiment matches “${search}”.` : 'No experiments yet. Create one with any SigOpt client.'}</p>
      ) : (
        <>
          <p className="count">{page.count} experiments</p>
          <table className="data" data-testid="experiment-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Progress</th>
                <th scope="col">Best value</th>
                <th scope="col">Last activity</th>
                <th scope="col">Project</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {page.data.map((e) => (
                <ExperimentRow key={e.id} experiment={e} />
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={markers.length === 0} onClick={() => setMarkers(markers.slice(0, -1))}>
              Newer
            </button>
            <button
              type="button"
              disabled={!page.paging.before}
              onClick={() => page.paging.before && setMarkers([...markers, page.paging.before])}
            >
              Older
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function ExperimentRow(props: { readonly experiment: Experiment }): ReactNode {
  const e = props.experiment;
  const count = e.progress?.observation_count ?? 0;
  const budget = e.observation_budget;
  const best = e.progress?.best_observation?.values ?? [];
  return (
    <tr>
      <td>
        <Link to={`/experiments/${e.id}`}>{e.name}</Link>
      </td>
      <td>{e.id}</td>
      <td>
        {budget ? (
          <>
            <progress max={budget} value={Math.min(count, budget)} aria-label={`${count} of ${budget} observations`} /> {count} / {budget}
          </>
        ) : (
          `${count} observations`
        )}
      </td>
      <td>{best.length > 0 ? best.map((v) => `${metricLabel(v.name)} ${formatValue(v.value)}`).join(', ') : '—'}</td>
      <td>{formatTime(e.updated)}</td>
      <td>{e.project ?? '—'}</td>
      <td>{e.state}</td>
    </tr>
  );
}
