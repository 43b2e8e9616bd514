/**
 * The stateless engine entry point: experiment state in, distinct candidate assignments out.
 *
 * The same strategies as the warm engine (engine.ts, engine-strategies.ts), keeping nothing
 * between calls: the GP is rebuilt from the saved fit in `state` (or fitted) on every call, and
 * refits run inline when due. Deterministic per input; never throws for a valid spec.
 */

import { createEngine } from './engine.ts';
import type { SuggestFn } from './engine-types.ts';

const stateless = createEngine({ maxModels: 0 });

/** See the module comment. */
export const suggest: SuggestFn = (input) => stateless.suggest({ ...input, modelKey: undefined, base: undefined } as typeof input);
