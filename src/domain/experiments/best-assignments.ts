import type { ObservationRecord } from '../../store/ports/records.ts';
import type { ExperimentSpec, ParameterSpec } from '../../optimizer/experiment-spec.ts';
import { eligibleObservations, metricValue, optimizedMetrics, oriented, paretoFront } from './metric-values.ts';

/**
 * The best observations of an experiment (docs/api-compatibility.md#best-assignments), best first:
 * one optimized metric → the single best; several → the Pareto frontier sorted by the first
 * optimized metric; none (search experiment) → every eligible observation by the first constraint
 * metric; `num_solutions = k > 1` → up to k diverse, high-quality observations.
 */
export function bestAssignments(spec: ExperimentSpec, observations: readonly ObservationRecord[]): ObservationRecord[] {
  let eligible = eligibleObservations(spec, observations);
  const optimized = optimizedMetrics(spec);
  if (spec.tasks) {
    const full = spec.tasks.find((t) => t.cost === 1)?.name;
    eligible = eligible.filter((o) => o.task === full);
  }
  if (eligible.length === 0) return [];
  const first = optimized[0] ?? spec.metrics.find((m) => m.strategy === 'constraint');
  if (!first) return [];
  const score = (o: ObservationRecord) => oriented(first, metricValue(o, first) ?? -Infinity);
  const byScore = (a: ObservationRecord, b: ObservationRecord) => score(b) - score(a) || Number(a.id) - Number(b.id);

  if (optimized.length === 0) return [...eligible].sort(byScore);
  if (optimized.length >= 2) {
    const points = eligible.map((o) => optimized.map((m) => oriented(m, metricValue(o, m) ?? -Infinity)));
    return paretoFront(points)
      .map((i) => eligible[i] as ObservationRecord)
      .sort(byScore);
  }
  const k = spec.numSolutions ?? 1;
  const sorted = [...eligible].sort(byScore);
  if (k <= 1) return sorted.slice(0, 1);
  return diverseSolutions(spec, sorted, k);
}

/**
 * Multisolution rule (optimizer-notes §11, with the local driver's sort bug fixed): keep the top
 * 20 % (at least k), pick k centres by greedy farthest-first from the best point in the normalized
 * cube, and return the best observation of each centre's cluster.
 */
function diverseSolutions(spec: ExperimentSpec, sortedBestFirst: ObservationRecord[], k: number): ObservationRecord[] {
  if (sortedBestFirst.length < k + 1) return sortedBestFirst;
  const top = sortedBestFirst.slice(0, Math.max(Math.round(0.2 * sortedBestFirst.length), k));
  const params = spec.parameters.filter((p) => !p.deleted);
  const coords = top.map((o) => params.map((p) => normalizedCoordinate(p, o.assignments[p.name])));
  const dist = (a: number, b: number) => distance(coords[a] ?? [], coords[b] ?? []);
  const centres = [0];
  const minDist = top.map((_, i) => dist(i, 0));
  while (centres.length < k) {
    let far = -1;
    let farDist = -1;
    minDist.forEach((d, i) => {
      if (!centres.includes(i) && d > farDist) {
        far = i;
        farDist = d;
      }
    });
    if (far < 0) break;
    centres.push(far);
    minDist.forEach((d, i) => {
      minDist[i] = Math.min(d, dist(i, far));
    });
  }
  // Members join their nearest centre; the best member (lowest index) represents the cluster.
  const best = new Map<number, number>();
  top.forEach((_, i) => {
    let nearest = centres[0] ?? 0;
    for (const c of centres) if (dist(i, c) < dist(i, nearest)) nearest = c;
    const current = best.get(nearest);
    if (current === undefined || i < current) best.set(nearest, i);
  });
  return [...best.values()].sort((a, b) => a - b).map((i) => top[i] as ObservationRecord);
}

/** A categorical coordinate is an index (compared for equality); numbers go to [0, 1]. */
function normalizedCoordinate(p: ParameterSpec, v: number | string | undefined): number | string {
  if (v === undefined) return -1;
  if (typeof v === 'string' || !p.bounds) return String(v);
  const { min, max } = p.bounds;
  if (p.transformation === 'log' && min > 0 && v > 0) return (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min) || 1);
  return (v - min) / (max - min || 1);
}

function distance(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') s += (x - y) ** 2;
    else if (x !== y) s += 1;
  }
  return Math.sqrt(s);
}
