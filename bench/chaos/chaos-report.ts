import type { ChaosResult } from './chaos-campaign.ts';

/** bench/results/chaos.md: the campaign's timeline, counts and verdict for people. */
export function renderChaosMarkdown(r: ChaosResult, commandLine: string, environment: string): string {
  const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
  const statuses = (by: Readonly<Record<string, number>>) =>
    Object.entries(by)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([k, n]) => `${k === '0' ? 'no answer' : k === '-1' ? 'timeout' : k}: ${n}`)
      .join(', ') || '—';
  const v = r.verdict;
  const o = r.options;
  const lines = [
    '# Fault campaign (issue 7)',
    '',
    `${r.passed ? '**PASSED**' : '**FAILED**'} — ${r.startedAt}, ${s(r.wallMs)} wall. ${environment}`,
    '',
    '```sh',
    commandLine,
    '```',
    '',
    `Deployment: private PostgreSQL 15 and redis-server (never the shared ones), \`sextant serve --processes ${o.apiProcesses}\`, ${o.workers} × \`sextant worker\`.`,
    `Load: ${o.clients} clients in suggest → observe loops on ${o.experiments} experiments (2 continuous parameters; \`parallel_bandwidth\` = clients per experiment), ${s(o.durationMs)};`,
    `each request retried on 429/5xx/no answer with full-jitter backoff (base 100 ms, cap 4 s, ${o.maxAttempts} attempts); an observation POST whose answer was lost is retried only after listing the experiment's observations shows it is not stored.`,
    '',
    '## Timeline',
    '',
    'Times since the campaign started; "running again": the replacement process forked / the server restarted; "whole again": /ready 200 on fresh connections to every API process (the service reconnected by itself).',
    '',
    '| fault | injected at | running again | whole again | attempts overlapping the window | their statuses | slowest attempt |',
    '|---|---|---|---|---|---|---|',
    ...r.faults.map(
      (f) =>
        `| ${f.detail} | ${s(f.startMs)} | ${s(f.restartedMs ?? null)} | ${s(f.endMs)} | ${f.stats.attempts} | ${statuses(f.stats.byStatus)} | ${f.stats.maxMs.toFixed(0)} ms |`,
    ),
    '',
    ...(r.faultErrors.length > 0 ? ['Fault injection errors:', '', ...r.faultErrors.map((e) => `- ${e.split('\n')[0]}`), ''] : []),
    '## While PostgreSQL was down (single attempts, no retry)',
    '',
    '| request | status | ms | Retry-After | message |',
    '|---|---|---|---|---|',
    ...r.outageProbes.map(
      (p) => `| ${p.request} | ${p.status} | ${p.ms} | ${p.retryAfter ?? '—'} | ${(p.message ?? '').replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Counts',
    '',
    '| | |',
    '|---|---|',
    `| request attempts | ${r.attempts} (${statuses(r.attemptsByStatus)}) |`,
    `| 503 answers seen by clients | ${r.attemptsByStatus['503'] ?? 0} |`,
    `| slowest attempt of the whole run | ${r.maxAttemptMs} ms |`,
    ...r.faults
      .filter((f) => f.kind === 'postgres-restart')
      .map(
        (f) =>
          `| attempts in flight while PostgreSQL was down or reconnecting | ${f.stats.attempts} (${statuses(f.stats.byStatus)}), slowest ${f.stats.maxMs.toFixed(0)} ms |`,
      ),
    `| requests that needed retries | ${r.retriedRequests} |`,
    `| acknowledged suggestions / observations | ${v.acknowledgedSuggestions} / ${v.acknowledgedObservations} |`,
    `| stored-or-not checks before re-sending an observation | ${r.observationChecks.stored + r.observationChecks.notStored + r.observationChecks.unknown} (not stored → re-sent: ${r.observationChecks.notStored}; stored: ${r.observationChecks.stored}; could not tell: ${r.observationChecks.unknown}) |`,
    `| observations committed but unacknowledged (found by the check, not re-sent) | ${r.committedButUnacknowledged} |`,
    `| observations abandoned (retries exhausted or stored-or-not unknown) | ${r.abandonedObservations} |`,
    `| suggestion requests failed after all retries | ${r.failedSuggestionRequests} |`,
    `| stored suggestions no client heard of (answer lost; stay open) | ${v.unacknowledgedSuggestionsStored} |`,
    `| suggestions by source | ${Object.entries(v.suggestionSources)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')} |`,
    '',
    '## Throughput by phase (acknowledged suggestions)',
    '',
    '| phase | from | to | per second | sources |',
    '|---|---|---|---|---|',
    ...r.throughput.map(
      (p) =>
        `| ${p.phase} | ${s(p.fromMs)} | ${s(p.toMs)} | ${p.perSecond} | ${Object.entries(p.sources)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')} |`,
    ),
    '',
    '## Invariants (checked in the database afterwards)',
    '',
    '| invariant | violations |',
    '|---|---|',
    `| every acknowledged observation is stored | ${v.lostObservations.length} lost |`,
    `| … exactly once (one observation per acknowledged suggestion) | ${v.observationsStoredTwice.length} stored twice |`,
    `| no observation id acknowledged twice | ${v.observationIdsAcknowledgedTwice.length} |`,
    `| no suggestion id handed out twice | ${v.suggestionIdsHandedOutTwice.length} |`,
    `| no suggestion id handed to two clients | ${v.suggestionIdsSharedByClients.length} |`,
    `| no identical continuous assignments served twice in an experiment | ${v.identicalAssignmentsServed.length} (stored, incl. unacknowledged: ${v.identicalAssignmentsStored}) |`,
    '',
    '## Recovery (no manual action)',
    '',
    `- /ready 200 on fresh connections to every API process after the load: ${r.recovery.ready ? 'yes' : 'NO'}`,
    `- API processes alive: ${r.recovery.apiProcessesAlive} of ${o.apiProcesses}; workers alive: ${r.recovery.workersAlive} of ${o.workers}`,
    `- model suggestions after the last fault: ${r.recovery.modelSuggestionAfterFaults ? 'yes' : 'NO'} (${r.recovery.recoverySteps} suggest → observe steps)`,
    '',
    r.violations.length === 0 ? 'Verdict: every invariant holds.' : `Verdict: FAILED — ${r.violations.join('; ')}`,
    '',
  ];
  return lines.join('\n');
}
