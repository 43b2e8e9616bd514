import { createHash } from 'node:crypto';
import type { Candidate } from '../../optimizer/engine-types.ts';
import type { Assignments } from '../../optimizer/experiment-spec.ts';
import { assignmentKey } from '../../optimizer/space/assignment-key.ts';
import { enumerateDiscretePoints } from '../../optimizer/space/discrete-points.ts';
import { gridPoint } from '../../optimizer/space/grid.ts';
import { initialDesignPoints, initialDesignSize } from '../../optimizer/space/initial-design.ts';
import { randomPoint } from '../../optimizer/space/random-point.ts';
import { createRng } from '../../numerics/rng.ts';
import type { Store } from '../../store/store.ts';
import type { CandidateProvider } from '../ports/candidate-provider.ts';
import type { ExperimentRecord, SuggestionSource } from '../records.ts';

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
 * The suggestion policy of spec §5 for a request without explicit assignments. Callers hold the
 * experiment's lock, so the open suggestions read here cannot change underneath.
 *
 * queued first → development / random: uniform random → grid: k-th grid point → offline:
 * scrambled-Sobol initial design while observations are few, then the model's candidates, with a
 * random fallback when the model has nothing within its wait budget. Server-generated points never
 * repeat an open suggestion or a live observation.
 */
export class SuggestionGenerator {
  constructor(
    private readonly store: Store,
    private readonly candidates: CandidateProvider,
  ) {}

  async generate(exp: ExperimentRecord, nowMs: number): Promise<GeneratedPoint> {
    const { store } = this;
    const queued = await store.queuedSuggestions.popOldest(exp.id);
    if (queued) return { assignments: queued.assignments, task: queued.task, source: 'queued' };

    const spec = exp.spec;
    const [open, live] = await Promise.all([store.suggestions.listOpen(exp.id), store.observations.listLive(exp.id)]);
    const taken = new Set<string>();
    for (const s of open) taken.add(assignmentKey(s.assignments, s.task));
    for (const o of live) taken.add(assignmentKey(o.assignments, o.task));
    const isTaken = (c: Candidate) => taken.has(assignmentKey(c.assignments, c.task));
    const seed = seedFor(exp.id, live.length + open.length, nowMs);

    if (spec.type === 'grid') {
      return { assignments: gridPoint(spec, live.length + open.length), task: null, source: 'grid' };
    }
    if (exp.development || spec.type === 'random') return this.random(exp, seed, isTaken, 'random');

    const bandwidth = spec.parallelBandwidth ?? 1;
    const progress = live.length + (bandwidth > 1 ? open.length : 0);
    if (progress < initialDesignSize(spec)) {
      const existing = [...open.map((s) => s.assignments), ...live.map((o) => o.assignments)];
      const [point] = initialDesignPoints(spec, { existing, count: 1, seed: seedFor(exp.id, 0, 0), index: live.length + open.length });
      if (point) {
        const candidate = { assignments: point, task: defaultTask(exp) };
        if (!isTaken(candidate)) return { ...candidate, source: 'initial' };
      }
      return this.random(exp, seed, isTaken, 'initial');
    }
    const modelPoint = await this.candidates.take(exp, isTaken);
    if (modelPoint) return { assignments: modelPoint.assignments, task: modelPoint.task, source: 'model' };
    return this.random(exp, seed, isTaken, 'fallback');
  }

  private random(exp: ExperimentRecord, seed: number, isTaken: (c: Candidate) => boolean, source: SuggestionSource): GeneratedPoint {
    const rng = createRng(seed);
    let candidate: Candidate = { assignments: randomPoint(exp.spec, rng), task: randomTask(exp, rng.next()) };
    for (let i = 1; i < DEDUP_TRIES && isTaken(candidate); i++) {
      candidate = { assignments: randomPoint(exp.spec, rng), task: randomTask(exp, rng.next()) };
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

/** Multitask random points favour cheap tasks, like SigOpt's softmax over −cost. */
function randomTask(exp: ExperimentRecord, u: number): string | null {
  const tasks = exp.spec.tasks;
  if (!tasks || tasks.length === 0) return null;
  const weights = tasks.map((t) => Math.exp(-t.cost));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < tasks.length; i++) {
    acc += (weights[i] ?? 0) / total;
    if (u < acc) return tasks[i]?.name ?? null;
  }
  return tasks[tasks.length - 1]?.name ?? null;
}

/** The initial design runs on the cheapest task (optimizer-notes §8.2). */
function defaultTask(exp: ExperimentRecord): string | null {
  const tasks = exp.spec.tasks;
  if (!tasks || tasks.length === 0) return null;
  return [...tasks].sort((a, b) => a.cost - b.cost)[0]?.name ?? null;
}
