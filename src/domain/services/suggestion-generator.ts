import { createHash } from 'node:crypto';
import type { Candidate } from '../../optimizer/engine-types.ts';
import type { Assignments } from '../../optimizer/experiment-spec.ts';
import { assignmentKey } from '../../optimizer/space/assignment-key.ts';
import { enumerateDiscretePoints } from '../../optimizer/space/discrete-points.ts';
import { gridPoint } from '../../optimizer/space/grid.ts';
import { inDesignPhase, initialDesignPoints } from '../../optimizer/space/initial-design.ts';
import { cheapestTask, randomPoint, randomTask } from '../../optimizer/space/random-point.ts';
import { createRng } from '../../numerics/rng.ts';
import type { TakenPoint } from '../../store/store.ts';
import type { ExperimentRecord, SuggestionSource } from '../../store/ports/records.ts';
import type { DomainDeps } from './domain-deps.ts';

/** A point chosen by the server, with where it came from. */
export interface GeneratedPoint {
  readonly assignments: Assignments;
  readonly task: string | null;
  readonly source: SuggestionSource;
}

/** How many random draws to try before enumerating a (nearly) exhausted discrete space. */
const DEDUP_TRIES = 25;
/** Discrete spaces up to this size are enumerated to find unused points (optimizer-notes §7.5). */
const ENUMERATION_LIMIT = 100_000;

/**
 * The suggestion policy of docs/api-compatibility.md#suggestion-policy for a request without explicit assignments. Callers hold the
 * experiment's lock, so the open suggestions read here cannot change underneath.
 *
 * queued first → development / random: uniform random → grid: k-th grid point → offline:
 * scrambled-Sobol initial design while observations are few, then the model's candidates, with a
 * random fallback when the model has nothing within its wait budget. Server-generated points never
 * repeat an open suggestion or a live observation (in continuous spaces: the last and the best one).
 */
export class SuggestionGenerator {
  constructor(private readonly deps: Pick<DomainDeps, 'store' | 'candidates' | 'progress' | 'queueHint'>) {}

  async generate(exp: ExperimentRecord, nowMs: number): Promise<GeneratedPoint> {
    const { store, queueHint } = this.deps;
    if (await queueHint.mayHaveEntries(exp.id)) {
      await queueHint.markEmpty(exp.id);
      const queued = await store.queuedSuggestions.popOldest(exp.id);
      if (queued) {
        await queueHint.markNonEmpty(exp.id);
        return { assignments: queued.assignments, task: queued.task, source: 'queued' };
      }
    }

    const spec = exp.spec;
    const progress = await this.deps.progress.progress(exp);
    // Positions in the grid and the design must be exact, so those read the observations (few:
    // at most the grid or design size); so do discrete spaces, where repeats are likely. In spaces
    // with an always-active continuous parameter only open suggestions and the last and best
    // observation can be repeated (a candidate clamped to a bound), so no scan is needed. (Open
    // suggestions only shorten the design, so "design phase without them" covers every case.)
    const withObservations = spec.type === 'grid' || inDesignPhase(spec, progress.observationCount, 0) || !alwaysContinuous(spec);
    const { open, observed } = await store.suggestions.takenPoints(exp.id, { withObservations });
    // The exact count where the observations were read; else the cached one.
    const observedCount = withObservations ? observed.length : progress.observationCount;
    const designPhase = inDesignPhase(spec, observedCount, open.length);
    const recent: readonly TakenPoint[] = withObservations ? observed : [progress.last, progress.best].filter((o) => o !== null);
    const taken = new Set<string>();
    for (const s of open) taken.add(assignmentKey(s.assignments, s.task));
    for (const o of recent) taken.add(assignmentKey(o.assignments, o.task));
    const isTaken = (c: Candidate) => taken.has(assignmentKey(c.assignments, c.task));
    const served = observedCount + open.length;
    const seed = seedFor(exp.id, served, nowMs);

    if (spec.type === 'grid') {
      return { assignments: gridPoint(spec, served), task: null, source: 'grid' };
    }
    if (exp.development || spec.type === 'random') return this.random(exp, seed, isTaken, 'random');

    if (designPhase) {
      const existing = [...open.map((s) => s.assignments), ...recent.map((o) => o.assignments)];
      const [point] = initialDesignPoints(spec, { existing, count: 1, seed: seedFor(exp.id, 0, 0), index: served });
      if (point) {
        const candidate = { assignments: point, task: cheapestTask(spec) };
        if (!isTaken(candidate)) return { ...candidate, source: 'initial' };
      }
      return this.random(exp, seed, isTaken, 'initial');
    }
    const model = await this.deps.candidates.take(exp, isTaken);
    if (model) return { assignments: model.candidate.assignments, task: model.candidate.task, source: model.fresh ? 'fresh' : 'stale' };
    return this.random(exp, seed, isTaken, 'fallback');
  }

  private random(exp: ExperimentRecord, seed: number, isTaken: (c: Candidate) => boolean, source: SuggestionSource): GeneratedPoint {
    const rng = createRng(seed);
    let candidate: Candidate = { assignments: randomPoint(exp.spec, rng), task: randomTask(exp.spec, rng) };
    for (let i = 1; i < DEDUP_TRIES && isTaken(candidate); i++) {
      candidate = { assignments: randomPoint(exp.spec, rng), task: randomTask(exp.spec, rng) };
    }
    if (isTaken(candidate)) {
      // A nearly exhausted small discrete space: pick among the points nobody holds yet.
      const unused = (enumerateDiscretePoints(exp.spec, ENUMERATION_LIMIT) ?? [])
        .map((assignments) => ({ assignments, task: candidate.task }))
        .filter((c) => !isTaken(c));
      const pick = unused[rng.int(unused.length)];
      if (pick) candidate = pick;
    }
    // A fully exhausted space leaves only repeats; SigOpt then repeats too.
    return { ...candidate, source };
  }
}

/** Deterministic per experiment and position, varied by time so retries after deletes differ. */
function seedFor(experimentId: string, position: number, salt: number): number {
  const h = createHash('sha256').update(`${experimentId}:${position}:${salt}`).digest();
  return h.readUInt32LE(0);
}

/**
 * True when every point of the space has a continuous coordinate: an unconditional double without
 * a grid or a precision. Two independently drawn or optimized points then coincide with
 * probability zero, except where an optimizer clamps them to the same bounds.
 */
function alwaysContinuous(spec: ExperimentRecord['spec']): boolean {
  return spec.parameters.some(
    (p) => !p.deleted && p.type === 'double' && p.grid === null && p.precision === null && Object.keys(p.conditions).length === 0,
  );
}
