import { createHash } from 'node:crypto';
import type { EngineInput } from '../optimizer/engine-types.ts';
import { inDesignPhase } from '../domain/services/suggestion-generator.ts';
import type { Store } from '../store/store.ts';

/**
 * The engine input for one pool refresh (embedded pools and distributed workers alike): the live
 * observations, the open suggestions as pending points, the saved model state, a pool of
 * `parallel_bandwidth` + `spares` candidates (capped by `poolSize`), and a seed fixed by experiment,
 * generation and data size. Null when there is nothing to compute: the experiment is gone or
 * deleted, or it is still in its initial design, where the server serves design points itself
 * (the suggestion generator's own rule).
 */
export async function loadEngineInput(
  store: Store,
  experimentId: string,
  generation: number,
  opts: { readonly poolSize: number; readonly spares: number },
): Promise<EngineInput | null> {
  const experiment = await store.experiments.get(experimentId);
  if (!experiment || experiment.state === 'deleted') return null;
  const [live, open, saved] = await Promise.all([
    store.observations.listLive(experimentId),
    store.suggestions.listOpen(experimentId),
    store.optimizerState.get(experimentId),
  ]);
  const bandwidth = experiment.spec.parallelBandwidth ?? 1;
  if (inDesignPhase(experiment.spec, live.length, open.length)) return null;
  return {
    experiment: experiment.spec,
    observations: live.map((o) => ({ assignments: o.assignments, values: o.values, failed: o.failed, task: o.task })),
    pending: open.map((s) => ({ assignments: s.assignments, task: s.task })),
    state: saved?.state ?? null,
    count: Math.max(1, Math.min(bandwidth + Math.max(0, opts.spares), opts.poolSize)),
    seed: createHash('sha256')
      .update(`${experimentId}/${generation}/${live.length + open.length}`)
      .digest()
      .readUInt32LE(0),
  };
}
