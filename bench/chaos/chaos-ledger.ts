import type { SimResponse } from '../../src/sim/sim-http-client.ts';

/** A suggestion the API handed to a client (a 200 answer reached it). */
export interface AckedSuggestion {
  readonly id: string;
  readonly experimentId: string;
  readonly client: number;
  readonly assignments: Readonly<Record<string, unknown>>;
  /** When it arrived (ms since the campaign started). */
  readonly atMs: number;
}

/** An observation the client knows is stored: a 200 answer, or found by the check after a lost answer. */
export interface AckedObservation {
  readonly id: string;
  readonly suggestionId: string;
  readonly experimentId: string;
  readonly client: number;
  /** Found by listing after its POST's answer was lost ("committed but unacknowledged"). */
  readonly recovered: boolean;
}

/** A fault and the time it was in effect (ms since the campaign started). */
export interface FaultWindow {
  readonly kind: 'api-process-kill' | 'worker-kill' | 'redis-restart' | 'postgres-restart';
  readonly detail: string;
  readonly startMs: number;
  /** When the killed part was running again (replacement forked, server restarted). */
  restartedMs?: number;
  /** When the service was whole again (replacement answering, /ready 200 on every API process). */
  endMs: number;
}

/** Request attempts that overlapped one fault window (in flight at the injection, or started before it was over). */
export interface WindowStats {
  attempts: number;
  byStatus: Record<string, number>;
  maxMs: number;
}

/**
 * Everything the campaign's clients were told, and what they saw on the way: the source of truth
 * the database is checked against afterwards. One instance per campaign; clients append to it.
 */
export class ChaosLedger {
  readonly suggestions: AckedSuggestion[] = [];
  readonly observations: AckedObservation[] = [];
  readonly faults: FaultWindow[] = [];
  /** Per fault window (same index as `faults`). */
  readonly windowStats: WindowStats[] = [];
  /** Every attempt, by status (0 = no answer, -1 = client timeout). */
  readonly attemptsByStatus: Record<string, number> = {};
  attempts = 0;
  maxAttemptMs = 0;
  /** Requests that needed more than one attempt. */
  retriedRequests = 0;
  /** Observation POSTs whose answer was lost but which the check found stored (not retried). */
  committedButUnacknowledged = 0;
  /** Stored-or-not checks made before retrying an observation POST, by outcome. */
  readonly observationChecks = { stored: 0, notStored: 0, unknown: 0 };
  /** Observation POSTs abandoned: retries ran out, or the stored-or-not check could not answer. */
  abandonedObservations = 0;
  /** Suggestion requests that failed after all retries. */
  failedSuggestionRequests = 0;

  constructor(private readonly now: () => number) {}

  /** ms since the campaign started. */
  elapsed(): number {
    return this.now();
  }

  /** Records one attempt (called by the clients' `onAttempt`). */
  attempt(r: SimResponse): void {
    const endedMs = this.now();
    const startedMs = endedMs - r.ms;
    const key = String(r.status);
    this.attempts++;
    this.attemptsByStatus[key] = (this.attemptsByStatus[key] ?? 0) + 1;
    this.maxAttemptMs = Math.max(this.maxAttemptMs, r.ms);
    this.faults.forEach((f, i) => {
      if (endedMs < f.startMs || startedMs > f.endMs) return;
      const s = this.windowStats[i]!;
      s.attempts++;
      s.byStatus[key] = (s.byStatus[key] ?? 0) + 1;
      s.maxMs = Math.max(s.maxMs, r.ms);
    });
  }

  /** Opens a fault window; close it by setting `endMs` (until then it extends to infinity). */
  openFault(kind: FaultWindow['kind'], detail: string): FaultWindow {
    const f: FaultWindow = { kind, detail, startMs: this.now(), endMs: Number.POSITIVE_INFINITY };
    this.faults.push(f);
    this.windowStats.push({ attempts: 0, byStatus: {}, maxMs: 0 });
    return f;
  }
}
