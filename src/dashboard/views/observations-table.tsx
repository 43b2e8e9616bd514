import { type ReactNode, useMemo, useState } from 'react';
import { toCsv } from '../data/csv.ts';
import { type Cell, observationTable } from '../data/observation-table.ts';
import type { Experiment, Observation } from '../types.ts';
import { formatTime } from './common.tsx';

const PAGE_SIZE = 25;

function compare(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1; // empty cells (failed values) always last
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * The observations table: sort by any column, filter by text, page, and export to CSV or JSON.
 * Exports hold every loaded observation in the table's order (newest first by default, as the API
 * lists them), not only the page on screen.
 */
export function ObservationsTable(props: { readonly experiment: Experiment; readonly observations: readonly Observation[] }): ReactNode {
  const { experiment, observations } = props;
  const [sort, setSort] = useState<{ col: number; asc: boolean }>({ col: 0, asc: false });
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const table = useMemo(() => observationTable(experiment, observations), [experiment, observations]);
  const order = useMemo(() => {
    const idx = table.rows.map((_, i) => i);
    const needle = filter.trim().toLowerCase();
    const kept =
      needle === '' ? idx : idx.filter((i) => table.rows[i]!.some((c) => c !== null && String(c).toLowerCase().includes(needle)));
    const col = sort.col;
    // Ids are 64-bit integers rendered as strings: compare them as numbers.
    const key = (i: number): Cell => (col === 0 ? Number(table.rows[i]![0]) : table.rows[i]![col]!);
    return kept.sort((i, j) => {
      const a = key(i);
      const b = key(j);
      if (a === null || b === null) return compare(a, b);
      return sort.asc ? compare(a, b) : compare(b, a);
    });
  }, [table, sort, filter]);
  const pages = Math.max(1, Math.ceil(order.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const visible = order.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const byIndex = (i: number) => observations[i]!;

  const exportCsv = () =>
    download(
      `experiment-${experiment.id}-observations.csv`,
      'text/csv',
      toCsv(
        table.columns,
        order.map((i) => table.rows[i]!),
      ),
    );
  const exportJson = () =>
    download(`experiment-${experiment.id}-observations.json`, 'application/json', `${JSON.stringify(order.map(byIndex), null, 2)}\n`);

  return (
    <section aria-labelledby="observations-title" className="panel">
      <div className="panel-head">
        <h2 id="observations-title">Observations</h2>
        <label>
          Filter{' '}
          <input
            type="search"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value);
              setPage(0);
            }}
          />
        </label>
        <button type="button" onClick={exportCsv}>
          Export CSV
        </button>
        <button type="button" onClick={exportJson}>
          Export JSON
        </button>
      </div>
      <div className="scroll">
        <table className="data" data-testid="observations-table">
          <thead>
            <tr>
              {table.columns.map((c, k) => (
                <th key={c} scope="col" aria-sort={sort.col === k ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="sort" onClick={() => setSort({ col: k, asc: sort.col === k ? !sort.asc : true })}>
                    {c}
                    {sort.col === k ? (sort.asc ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((i) => (
              <tr key={table.rows[i]![0] as string} className={byIndex(i).failed ? 'failed' : undefined}>
                {table.rows[i]!.map((c, k) => (
                  <td key={table.columns[k]}>{k === 1 ? formatTime(c as number) : c === null ? '' : String(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
          Previous
        </button>
        <span>
          Page {current + 1} of {pages} ({order.length} observations)
        </span>
        <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
          Next
        </button>
      </div>
    </section>
  );
}
