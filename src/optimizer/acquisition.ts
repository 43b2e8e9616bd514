/**
 * The acquisition value (to maximize) in log space:
 *   log EI(x) + Σ_c log P(c(x) ≤ t_c) + log P(success) − log cost
 * on standardized, minimization-form GPs. Working in logs keeps the signal alive far from the
 * incumbent (Ament et al. 2023) and turns the feasibility product into a sum.
 */

import { logH, logHGrad } from '../numerics/log-ei.ts';
import { normalLogCdf, normalLogCdfGrad } from '../numerics/normal.ts';
import type { GpModel } from './gp.ts';
import type { SuccessModel } from './success-probability.ts';

/** A constraint GP: feasible when the (standardized, minimization-form) value ≤ threshold. */
export interface ConstraintModel {
  readonly model: GpModel;
  readonly threshold: number;
}

/** Everything the acquisition needs. */
export interface AcquisitionContext {
  /** null: no feasible incumbent yet, so only the probability of feasibility is maximized. */
  readonly objective: GpModel | null;
  /** Best (lowest) value to improve on, standardized units. */
  readonly incumbent: number;
  readonly constraints: readonly ConstraintModel[];
  /** ln(task cost); 0 for single-task experiments. */
  readonly logCost: number;
  /** Probability of a non-failed evaluation; absent/null when nothing has failed. */
  readonly success?: SuccessModel | null;
}

/** Posterior moments of one model at one point. */
export interface Moments {
  readonly mean: number;
  readonly variance: number;
}

/** log EI of a minimization-form posterior N(mean, variance) below `incumbent`. */
export function logImprovementTerm(incumbent: number, mean: number, variance: number): number {
  const sd = Math.sqrt(variance);
  return Math.log(sd) + logH((incumbent - mean) / sd);
}

/** log P(value ≤ threshold) of a posterior N(mean, variance). */
export function logFeasibilityTerm(threshold: number, mean: number, variance: number): number {
  return normalLogCdf((threshold - mean) / Math.sqrt(variance));
}

/** Returns the log acquisition at x; when `grad` is given, writes ∂/∂x into it. */
export function logAcquisition(ctx: AcquisitionContext, x: ArrayLike<number>, grad?: Float64Array): number {
  const d = x.length;
  let value = -ctx.logCost;
  const gm = grad !== undefined ? new Float64Array(d) : undefined;
  const gv = grad !== undefined ? new Float64Array(d) : undefined;
  grad?.fill(0);
  if (ctx.objective !== null) {
    const p = ctx.objective.predict(x, gm, gv);
    const sd = Math.sqrt(p.variance);
    const z = (ctx.incumbent - p.mean) / sd;
    value += Math.log(sd) + logH(z);
    if (grad !== undefined && gm !== undefined && gv !== undefined) {
      const dlh = logHGrad(z);
      for (let k = 0; k < d; k++) {
        const dsd = gv[k]! / (2 * sd);
        const dz = -gm[k]! / sd - (z * dsd) / sd;
        grad[k] = grad[k]! + dsd / sd + dlh * dz;
      }
    }
  }
  for (const c of ctx.constraints) {
    const p = c.model.predict(x, gm, gv);
    const sd = Math.sqrt(p.variance);
    const z = (c.threshold - p.mean) / sd;
    value += normalLogCdf(z);
    if (grad !== undefined && gm !== undefined && gv !== undefined) {
      const dl = normalLogCdfGrad(z);
      for (let k = 0; k < d; k++) {
        const dsd = gv[k]! / (2 * sd);
        grad[k] = grad[k]! + dl * (-gm[k]! / sd - (z * dsd) / sd);
      }
    }
  }
  if (ctx.success) {
    const gs = grad !== undefined ? new Float64Array(d) : undefined;
    value += ctx.success.logProbability(x, gs);
    if (grad !== undefined && gs !== undefined) for (let k = 0; k < d; k++) grad[k] = grad[k]! + gs[k]!;
  }
  if (!Number.isFinite(value)) return -1e300;
  return value;
}
