import type { ExperimentListQuery } from '../../domain/services/experiment-service.ts';
import type { RouteContext } from './route.ts';

/** The filters of an experiment list (classic and AI experiments alike) from the query string. */
export function experimentListQuery(c: RouteContext): ExperimentListQuery {
  const q = c.query;
  const out: Record<string, unknown> = {
    state: q.string('state'),
    search: q.string('search'),
    user: q.int('user'),
    periodStart: q.int('period_start'),
    periodEnd: q.int('period_end'),
    development: q.bool('development'),
    includeAi: q.bool('include_ai'),
    sort: q.string('sort'),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as ExperimentListQuery;
}
