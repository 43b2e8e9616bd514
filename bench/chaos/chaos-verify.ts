import pg from 'pg';
import type { ChaosLedger } from './chaos-ledger.ts';

/** The invariants checked against the database after the faults, with counts and examples. */
export interface ChaosVerdict {
  readonly acknowledgedObservations: number;
  readonly acknowledgedSuggestions: number;
  /** Acknowledged observation ids missing from the database (lost writes). */
  readonly lostObservations: readonly string[];
  /** Suggestions of the campaign's clients with more than one stored observation (double writes). */
  readonly observationsStoredTwice: readonly string[];
  /** The same observation id acknowledged more than once. */
  readonly observationIdsAcknowledgedTwice: readonly string[];
  /** The same suggestion id handed out more than once (to one client or two). */
  readonly suggestionIdsHandedOutTwice: readonly string[];
  /** Suggestion ids handed to two different clients. */
  readonly suggestionIdsSharedByClients: readonly string[];
  /** Acknowledged suggestions with assignments identical to another acknowledged suggestion of the experiment (continuous space). */
  readonly identicalAssignmentsServed: readonly string[];
  /** Stored suggestions (acknowledged or not) with identical assignments in one experiment. */
  readonly identicalAssignmentsStored: number;
  /** Stored suggestions no client heard of (answer lost; harmless, they stay open). */
  readonly unacknowledgedSuggestionsStored: number;
  /** Observations stored by the campaign's clients in total. */
  readonly storedObservations: number;
  /** Suggestions by source (initial, model, fallback, …). */
  readonly suggestionSources: Readonly<Record<string, number>>;
}

/** Reads the database and compares it with what the clients were told. */
export async function verifyAgainstDatabase(
  databaseUrl: string,
  ledger: ChaosLedger,
  experimentIds: readonly string[],
): Promise<ChaosVerdict> {
  const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await db.connect();
  try {
    const obsRows = (
      await db.query<{ id: string; suggestion_id: string | null }>(
        'SELECT id::text AS id, suggestion_id::text AS suggestion_id FROM observations WHERE experiment_id = ANY($1::bigint[]) AND NOT deleted',
        [experimentIds],
      )
    ).rows;
    const sugRows = (
      await db.query<{ id: string; experiment_id: string; assignments: string; source: string }>(
        'SELECT id::text AS id, experiment_id::text AS experiment_id, assignments::text AS assignments, source FROM suggestions WHERE experiment_id = ANY($1::bigint[])',
        [experimentIds],
      )
    ).rows;

    const storedObservationIds = new Set(obsRows.map((r) => r.id));
    const perSuggestion = countBy(obsRows.map((r) => r.suggestion_id ?? ''));
    const ackedSuggestionIds = new Set(ledger.suggestions.map((s) => s.id));
    const ackedIds = countBy(ledger.observations.map((o) => o.id));
    const handed = new Map<string, Set<number>>();
    for (const s of ledger.suggestions) handed.set(s.id, (handed.get(s.id) ?? new Set()).add(s.client));
    const handedCount = countBy(ledger.suggestions.map((s) => s.id));
    const served = new Map<string, string[]>();
    for (const s of ledger.suggestions) {
      const key = `${s.experimentId} ${canonical(s.assignments)}`;
      served.set(key, [...(served.get(key) ?? []), s.id]);
    }
    const storedKeys = countBy(sugRows.map((r) => `${r.experiment_id} ${canonical(JSON.parse(r.assignments) as Record<string, unknown>)}`));

    return {
      acknowledgedObservations: ledger.observations.length,
      acknowledgedSuggestions: ledger.suggestions.length,
      lostObservations: ledger.observations.filter((o) => !storedObservationIds.has(o.id)).map((o) => o.id),
      observationsStoredTwice: [...ackedSuggestionIds].filter((id) => (perSuggestion.get(id) ?? 0) > 1),
      observationIdsAcknowledgedTwice: [...ackedIds].filter(([, n]) => n > 1).map(([id]) => id),
      suggestionIdsHandedOutTwice: [...handedCount].filter(([, n]) => n > 1).map(([id]) => id),
      suggestionIdsSharedByClients: [...handed].filter(([, clients]) => clients.size > 1).map(([id]) => id),
      identicalAssignmentsServed: [...served.values()].filter((ids) => ids.length > 1).flat(),
      identicalAssignmentsStored: [...storedKeys.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0),
      unacknowledgedSuggestionsStored: sugRows.filter((r) => !ackedSuggestionIds.has(r.id)).length,
      storedObservations: obsRows.length,
      suggestionSources: Object.fromEntries(countBy(sugRows.map((r) => r.source))),
    };
  } finally {
    await db.end();
  }
}

/** The invariants that must hold, as human-readable failures (empty: all hold). */
export function violations(v: ChaosVerdict): string[] {
  const out: string[] = [];
  const check = (ids: readonly string[] | number, what: string) => {
    const n = typeof ids === 'number' ? ids : ids.length;
    if (n > 0) out.push(`${n} ${what}${typeof ids === 'number' ? '' : ` (e.g. ${ids.slice(0, 5).join(', ')})`}`);
  };
  check(v.lostObservations, 'acknowledged observations missing from the database');
  check(v.observationsStoredTwice, 'suggestions with an observation stored more than once');
  check(v.observationIdsAcknowledgedTwice, 'observation ids acknowledged twice');
  check(v.suggestionIdsHandedOutTwice, 'suggestion ids handed out twice');
  check(v.suggestionIdsSharedByClients, 'suggestion ids handed to two clients');
  check(v.identicalAssignmentsServed, 'suggestions served with identical assignments');
  if (v.acknowledgedObservations === 0) out.push('no observation was acknowledged at all');
  return out;
}

/** The stored `source` of each suggestion id (initial, model, fallback, …). */
export async function sourcesOf(databaseUrl: string, ids: readonly string[]): Promise<Map<string, string>> {
  const db = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  await db.connect();
  try {
    const rows = (
      await db.query<{ id: string; source: string }>('SELECT id::text AS id, source FROM suggestions WHERE id = ANY($1::bigint[])', [ids])
    ).rows;
    return new Map(rows.map((r) => [r.id, r.source]));
  } finally {
    await db.end();
  }
}

function countBy(keys: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

/** Key order independent JSON (JSONB reorders keys). */
function canonical(a: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(
    Object.keys(a)
      .sort()
      .map((k) => [k, a[k]]),
  );
}
