import type { ObservationRecord } from '../ports/records.ts';
import type { ObservationSort } from '../ports/observation-repository.ts';
import type { SortKey } from '../keyset.ts';

type Scalar = string | number | null;

/**
 * Sort keys and list-order comparison for the observation sorts that PostgreSQL cannot serve from
 * an index (they read inside JSONB). Missing values sort LAST in list order whichever the
 * direction, so a failed observation never jumps to the top of a "best first" view; numbers come
 * before strings so a mixed parameter still has a total order; ids compare numerically.
 */
export function observationKey(sort: Exclude<ObservationSort, { kind: 'id' | 'timestamp' }>, o: ObservationRecord): SortKey {
  switch (sort.kind) {
    case 'value':
      return [metricField(o, sort.metric, sort.field), o.id];
    case 'parameter':
      return [o.assignments[sort.name] ?? null, o.id];
    case 'task': {
      const cost = o.task === null ? null : (sort.taskCosts[o.task] ?? null);
      return [cost, metricField(o, sort.metric, 'value'), o.id];
    }
  }
}

function metricField(o: ObservationRecord, metric: string | null, field: 'value' | 'valueStddev'): number | null {
  if (o.failed) return null;
  const v = o.values.find((x) => x.name === metric);
  if (v === undefined) return null;
  return field === 'value' ? v.value : v.valueStddev;
}

function compareScalar(a: Scalar, b: Scalar, ascending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  let c: number;
  if (typeof a === 'number' && typeof b === 'number') c = a < b ? -1 : a > b ? 1 : 0;
  else if (typeof a === 'number') c = -1;
  else if (typeof b === 'number') c = 1;
  else c = a < b ? -1 : a > b ? 1 : 0;
  return ascending ? c : -c;
}

function compareId(a: Scalar, b: Scalar, ascending: boolean): number {
  const x = BigInt(String(a));
  const y = BigInt(String(b));
  const c = x < y ? -1 : x > y ? 1 : 0;
  return ascending ? c : -c;
}

/** Compares two keys of the same sort in list order (see {@link observationKey}). */
export function compareObservationKeys(a: SortKey, b: SortKey, ascending: boolean): number {
  const n = a.length;
  for (let i = 0; i < n - 1; i++) {
    const c = compareScalar(a[i] ?? null, b[i] ?? null, ascending);
    if (c !== 0) return c;
  }
  return compareId(a[n - 1] ?? null, b[n - 1] ?? null, ascending);
}
