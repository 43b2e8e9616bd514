import { requireExperiment } from '../access/access-policy.ts';
import type { Principal } from '../access/principal.ts';
import { apiError } from '../errors.ts';
import type { ExperimentRecord } from '../../store/ports/records.ts';
import type { Store } from '../../store/store.ts';
import type { ExperimentSnapshots } from '../ports/experiment-snapshots.ts';

/** Largest id PostgreSQL's BIGINT holds: larger path ids cannot exist (404, not a 500). */
const MAX_ID = 9223372036854775807n;

/** Whether a decimal id string can name a row (ids beyond BIGINT cannot exist). */
export function isValidId(id: string): boolean {
  return /^\d{1,19}$/.test(id) && BigInt(id) <= MAX_ID;
}

/** Validates a numeric path id; ids beyond BIGINT simply do not exist. */
export function checkId(id: string): string {
  if (!isValidId(id)) throw apiError('NOT_FOUND');
  return id;
}

/** Fetches an experiment the caller may read (or write): 404 unless readable (docs/api-compatibility.md#access-rules). */
export async function loadExperiment(store: Store, p: Principal, id: string, needed: 'read' | 'write'): Promise<ExperimentRecord> {
  const exp = await store.experiments.get(checkId(id));
  return requireExperiment(p, exp ?? undefined, needed);
}

/**
 * {@link loadExperiment} for the optimization loop's writes (suggestion and observation creation):
 * the experiment may come from a recent snapshot (spec, state and owner are what these need).
 */
export async function loadExperimentForLoop(snapshots: ExperimentSnapshots, p: Principal, id: string): Promise<ExperimentRecord> {
  const exp = await snapshots.get(checkId(id));
  return requireExperiment(p, exp ?? undefined, 'write');
}
