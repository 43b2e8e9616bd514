import type { Prior } from '../../optimizer/experiment-spec.ts';
import { apiError } from '../errors.ts';
import type { JsonObject } from './schema.ts';
import { getOwn, reqNumber, reqObject, reqString } from './schema.ts';

/** Prior names the original knows, in its message order. */
const PRIOR_NAMES = ['normal', 'beta'] as const;

/** What the prior check needs to know about its parameter. */
export interface PriorContext {
  readonly name: string;
  readonly type: string;
  readonly transformation: 'log' | null;
  readonly bounds: { readonly min: number; readonly max: number } | null;
}

/**
 * Parses a parameter's `prior` (docs/api-compatibility.md#prior-rules R1–R6, and G6 for grid parameters). The original
 * raised R1/R2 as "invalid key" errors whose text carried an `Invalid key: ` prefix; fix F6
 * (docs/api-compatibility.md#fixes) accepts both forms and prefers the bare text, which is what we send.
 */
export function parsePrior(raw: JsonObject, param: PriorContext): Prior | null {
  const value = getOwn(raw, 'prior');
  if (param.type !== 'double') {
    if (value !== undefined && value !== null) throw apiError('PRIOR_ON_NON_CONTINUOUS_PARAMETER');
    return null;
  }
  if (param.transformation === 'log' && value !== undefined && value !== null) {
    throw apiError('PRIOR_ON_LOG_PARAMETER');
  }
  if (value === undefined || value === null) return null;
  const grid = getOwn(raw, 'grid');
  if (grid !== undefined && grid !== null) {
    throw apiError('PRIOR_ON_GRID_PARAMETER', { name: param.name });
  }
  const prior = reqObject(raw, 'prior');
  const name = reqString(prior, 'name');
  if (!(PRIOR_NAMES as readonly string[]).includes(name)) {
    throw apiError('INVALID_PRIOR_TYPE', { name });
  }
  if (name === 'normal') {
    const mean = reqNumber(prior, 'mean');
    if (param.bounds !== null && (mean > param.bounds.max || mean < param.bounds.min)) {
      throw apiError('PRIOR_MEAN_OUT_OF_BOUNDS');
    }
    const scale = reqNumber(prior, 'scale');
    if (scale <= 0) throw apiError('PRIOR_SCALE_NOT_POSITIVE');
    return { name: 'normal', mean, scale };
  }
  const shapeA = reqNumber(prior, 'shape_a');
  const shapeB = reqNumber(prior, 'shape_b');
  if (shapeA <= 0 || shapeB <= 0) throw apiError('PRIOR_SHAPE_NOT_POSITIVE');
  return { name: 'beta', shapeA, shapeB };
}
