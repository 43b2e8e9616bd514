/**
 * Cache keys shared by API processes (DistributedCandidateProvider) and optimizer workers
 * (refresh-job-handler): one definition so both sides always agree.
 *
 * An experiment's **generation** counts observation changes; candidates are stored under the
 * generation they were computed for, so a write makes older pools unreachable at once (no delete
 * race) and they expire on their own.
 */
export const poolKeys = Object.freeze({
  generation: (experimentId: string) => `gen:${experimentId}`,
  /**
   * Moves when stored observations are rewritten (updated, deleted) rather than added: a warm
   * model cannot append its way there, so the next refresh loads and fits the whole history.
   */
  epoch: (experimentId: string) => `epoch:${experimentId}`,
  pool: (experimentId: string, generation: number) => `pool:${experimentId}:${generation}`,
  /** The generation of the newest filled pool: its leftovers serve requests whose refresh is late. */
  lastFilled: (experimentId: string) => `pool:${experimentId}:last`,
  /** Channel announcing `<experimentId>:<generation>` when a worker filled a pool. */
  filledChannel: 'pool-filled',
});

/** A missing generation (new experiment, or a cache that lost its data) is generation 0. */
export function parseGeneration(value: string | null): number {
  const n = value === null ? 0 : Number(value);
  return Number.isFinite(n) ? n : 0;
}
