import type { ExperimentSpec } from '../../optimizer/experiment-spec.ts';
import { solveLinearProgram } from '../../numerics/linear-program.ts';

/** Smallest inscribed-ball radius that counts as a non-empty region. */
const MIN_RADIUS = 1e-12;

/**
 * Whether the box of the constrained parameters cut by the linear constraints has an interior
 * (spec §4.7 L9). Like the original, a region without interior (e.g. `x + y ≥ 0.5` together with
 * `x + y ≤ 0.5`) counts as empty: samplers need room to draw from. Solved as a Chebyshev-centre LP:
 * maximize r subject to aᵢ·x + r‖aᵢ‖ ≤ bᵢ for every constraint and box face.
 *
 * Stop-gap owned by validation until `optimizer/space/linear-constraints.ts` provides
 * `isFeasibleRegionNonEmpty`; same contract.
 */
export function isFeasibleRegionNonEmpty(spec: ExperimentSpec): boolean {
  if (spec.linearConstraints.length === 0) return true;
  const names = [...new Set(spec.linearConstraints.flatMap((c) => c.terms.map((t) => t.name)))];
  const n = names.length;
  const rows: number[][] = [];
  const b: number[] = [];
  const addRow = (coef: number[], rhs: number): void => {
    const norm = Math.hypot(...coef);
    if (norm === 0) {
      // 0 ≤ rhs: satisfiable by every point or by none.
      if (rhs < 0) rows.push([...coef, 0]), b.push(-1);
      return;
    }
    rows.push([...coef, norm]);
    b.push(rhs);
  };
  for (const c of spec.linearConstraints) {
    const coef = names.map((name) => c.terms.find((t) => t.name === name)?.weight ?? 0);
    // greater_than: Σ w·x ≥ t  ⇔  −Σ w·x ≤ −t
    if (c.type === 'greater_than') addRow(coef.map((w) => -w), -c.threshold);
    else addRow(coef, c.threshold);
  }
  names.forEach((name, i) => {
    const p = spec.parameters.find((q) => q.name === name);
    const bounds = p?.bounds;
    if (!bounds) return;
    const unit = names.map((_, j) => (j === i ? 1 : 0));
    addRow(unit, bounds.max);
    addRow(unit.map((v) => -v), -bounds.min);
  });
  const lower = [...names.map(() => -Infinity), 0];
  const upper = [...names.map(() => Infinity), Infinity];
  const objective = [...names.map(() => 0), 1];
  const result = solveLinearProgram({ objective, a: rows, b, lower, upper });
  if (result.status === 'infeasible') return false;
  if (result.status === 'unbounded') return true;
  return result.value > MIN_RADIUS * Math.max(1, n);
}
