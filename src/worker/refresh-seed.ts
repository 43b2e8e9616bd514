import { createHash } from 'node:crypto';

/** The engine seed of a refresh: fixed by experiment, generation and data size, so a retry repeats it. */
export function refreshSeed(experimentId: string, generation: number, size: number): number {
  return createHash('sha256').update(`${experimentId}/${generation}/${size}`).digest().readUInt32LE(0);
}
