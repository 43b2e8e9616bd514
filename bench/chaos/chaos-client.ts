import { findObservationOfSuggestion, LOST_CHECK_PAGE_SIZE } from '../../src/client/lost-observation.ts';
import type { SimHttpClient, SimResponse } from '../../src/sim/sim-http-client.ts';
import type { ChaosLedger } from './chaos-ledger.ts';

/** One experiment of the campaign. */
export interface ChaosExperiment {
  readonly id: string;
  readonly parameters: readonly string[];
}

/** The function every client reports: a smooth bowl with its maximum at 0.3 in every coordinate. */
export function objective(assignments: Readonly<Record<string, unknown>>): number {
  let sum = 0;
  for (const v of Object.values(assignments)) sum += (Number(v) - 0.3) ** 2;
  return -sum;
}

interface ObservationBody {
  readonly id?: string;
  readonly suggestion?: string | null;
}

interface ObservationPage {
  readonly data?: readonly ObservationBody[];
  readonly paging?: { readonly before?: string | null };
}

/**
 * A SigOpt-style client: create a suggestion, evaluate, report the observation, until `stopped()`.
 * Every request retries 429/5xx/network failures with full-jitter backoff (the client's retry
 * policy). An observation POST is not idempotent in the SigOpt API (no idempotency key; a
 * suggestion may get several observations), so before retrying one whose answer was lost the
 * client lists the experiment's observations and looks for its suggestion id: found means the
 * lost attempt was committed, and retrying would store it twice.
 */
export async function runChaosClient(args: {
  readonly client: number;
  readonly experiment: ChaosExperiment;
  readonly http: SimHttpClient;
  readonly ledger: ChaosLedger;
  stopped(): boolean;
}): Promise<void> {
  const { http, ledger, experiment, client } = args;
  const onAttempt = (r: SimResponse) => ledger.attempt(r);
  while (!args.stopped()) {
    const s = await http.sendWithRetry('POST', `/v1/experiments/${experiment.id}/suggestions`, {}, { onAttempt });
    if (s.attempts > 1) ledger.retriedRequests++;
    const body = s.body as { id?: string; assignments?: Record<string, unknown> } | null;
    if (s.status !== 200 || !body?.id || !body.assignments) {
      ledger.failedSuggestionRequests++;
      continue;
    }
    const suggestionId = body.id;
    ledger.suggestions.push({
      id: suggestionId,
      experimentId: experiment.id,
      client,
      assignments: body.assignments,
      atMs: ledger.elapsed(),
    });
    await reportObservation(args, suggestionId, objective(body.assignments));
  }
}

async function reportObservation(
  args: { readonly client: number; readonly experiment: ChaosExperiment; readonly http: SimHttpClient; readonly ledger: ChaosLedger },
  suggestionId: string,
  value: number,
): Promise<void> {
  const { http, ledger, experiment, client } = args;
  let recovered = false;
  let unresolved = false;
  const o = await http.sendWithRetry(
    'POST',
    `/v1/experiments/${experiment.id}/observations`,
    { suggestion: suggestionId, values: [{ name: 'f', value }] },
    {
      onAttempt: (r) => ledger.attempt(r),
      beforeRetry: async () => {
        const found = await findObservation(http, ledger, experiment.id, suggestionId);
        if (found === 'unknown') {
          ledger.observationChecks.unknown++;
          unresolved = true;
          return { status: 0, body: null, ms: 0 };
        }
        if (found === null) {
          ledger.observationChecks.notStored++;
          return undefined;
        }
        ledger.observationChecks.stored++;
        recovered = true;
        return { status: 200, body: found, ms: 0 };
      },
    },
  );
  if (o.attempts > 1) ledger.retriedRequests++;
  const stored = o.body as ObservationBody | null;
  if (o.status !== 200 || unresolved || !stored?.id) {
    ledger.abandonedObservations++;
    return;
  }
  if (recovered) ledger.committedButUnacknowledged++;
  ledger.observations.push({ id: stored.id, suggestionId, experimentId: experiment.id, client, recovered });
}

/**
 * The stored observation of `suggestionId`, null when there is none, 'unknown' when the list could
 * not be read: the lost-answer rule of src/client/lost-observation.ts, over the simulator's HTTP
 * client (the lost POST is then not retried: a duplicate is worse than a missing point).
 */
async function findObservation(
  http: SimHttpClient,
  ledger: ChaosLedger,
  experimentId: string,
  suggestionId: string,
): Promise<ObservationBody | null | 'unknown'> {
  const readPage = async (before: string | undefined) => {
    const query = `limit=${LOST_CHECK_PAGE_SIZE}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
    const r = await http.sendWithRetry('GET', `/v1/experiments/${experimentId}/observations?${query}`, undefined, {
      onAttempt: (a) => ledger.attempt(a),
    });
    if (r.status !== 200) throw new Error(`observation list answered ${r.status}`);
    const body = r.body as ObservationPage;
    return { data: body.data ?? [], paging: { before: body.paging?.before ?? null } };
  };
  return findObservationOfSuggestion(readPage, suggestionId).catch(() => 'unknown' as const);
}
