import type { ExperimentRecord } from '../../store/ports/records.ts';

/**
 * Recently read experiments for the hot write paths (suggestion and observation creation), which
 * need the spec, state and owner but not the freshest `updated`. Saves one database statement per
 * loop request. Changes made through this process are seen at once; changes made through another
 * API process are broadcast (distributed mode) and at worst seen after the snapshot's lifetime.
 */
export interface ExperimentSnapshots {
  get(id: string): Promise<ExperimentRecord | null>;
  /** The experiment changed: forget it here and tell the other processes. */
  changed(id: string): Promise<void>;
}
