/**
 * The function a worker thread runs for each engine call: a plain `suggest`. Kept separate from
 * the bootstrap so it can be loaded either as compiled JavaScript or through tsx.
 */

import type { EngineInput, EngineOutput } from '../optimizer/engine-types.ts';
import { suggest } from '../optimizer/suggest.ts';

/** Piscina task entry: runs the engine on one input. */
export default function runEngineTask(input: EngineInput): EngineOutput {
  return suggest(input);
}
