/**
 * Compact numbers for the markdown tables: 4 significant digits, scientific notation for very
 * large or small magnitudes, "∞" for null (+∞ encoded for JSON, i.e. nothing feasible found).
 */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '∞';
  if (Number.isNaN(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
