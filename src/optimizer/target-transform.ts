/**
 * The map from a raw metric value to a GP target, frozen at a fit so later observations can be
 * appended to the model without moving earlier targets (optimizer-notes §17: the whitened targets
 * z = L⁻¹ỹ stay valid only while ỹ's standardization and warping stay fixed).
 *
 * raw (minimization form; NaN = failed or missing → `impute`) → (v − offset) / scale
 * → Yeo-Johnson(λ) → (w − warpMean) / warpSd. A constraint metric is not warped (λ = 1, identity).
 * Fitted on the observations of a refit, it reproduces standardizeTargets + warpTargets exactly.
 */

import { standardizeTargets } from './metric-targets.ts';
import { warpTargets, warpValue } from './output-warping.ts';

/** JSON-serializable parameters of the map (saved in the model state). */
export interface TargetTransform {
  readonly offset: number;
  readonly scale: number;
  /** Raw minimization-form value given to failed or missing observations (the worst seen at fit). */
  readonly impute: number;
  readonly lambda: number;
  readonly warpMean: number;
  readonly warpSd: number;
}

/** Fits the transform to raw minimization-form values (NaN = failed) and returns the targets too. */
export function fitTargetTransform(
  values: Float64Array,
  stddev: Float64Array,
  warp: boolean,
): { transform: TargetTransform; y: Float64Array; noise: Float64Array } {
  const t = standardizeTargets(values, stddev);
  let impute = 0;
  let worst = -Infinity;
  for (const v of values) if (!Number.isNaN(v)) worst = Math.max(worst, v);
  if (Number.isFinite(worst)) impute = worst;
  const w = warp ? warpTargets(t) : { ...t, lambda: 1, warpMean: 0, warpSd: 1 };
  return {
    transform: { offset: t.offset, scale: t.scale, impute, lambda: w.lambda, warpMean: w.warpMean, warpSd: w.warpSd },
    y: w.y,
    noise: w.noise,
  };
}

/** The target and known noise variance of one raw value (NaN = failed or missing) under `t`. */
export function applyTargetTransform(t: TargetTransform, raw: number, stddev: number): { y: number; noise: number } {
  const v = Number.isNaN(raw) ? t.impute : raw;
  const s = (v - t.offset) / t.scale;
  const { y, slope } = warpValue(s, t);
  const sd = Number.isNaN(raw) ? 0 : stddev;
  const noise = (sd / t.scale) ** 2 * slope * slope;
  return { y, noise };
}

/** Whether a parsed value is a usable transform (saved states come back as unknown JSON). */
export function isTargetTransform(v: unknown): v is TargetTransform {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return ['offset', 'scale', 'impute', 'lambda', 'warpMean', 'warpSd'].every((k) => typeof o[k] === 'number' && Number.isFinite(o[k]));
}
