import type { Objective } from '../types.ts';

/**
 * The best value seen up to each position, in the given (creation) order. Failed or missing
 * values (null) keep the previous best; positions before the first value are null.
 */
export function bestSoFar(values: readonly (number | null)[], objective: Objective): (number | null)[] {
  const out: (number | null)[] = new Array(values.length);
  let best: number | null = null;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      if (best === null || (objective === 'maximize' ? v > best : v < best)) best = v;
    }
    out[i] = best;
  }
  return out;
}
