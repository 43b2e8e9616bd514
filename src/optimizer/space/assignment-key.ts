import type { Assignments } from '../experiment-spec.ts';

/**
 * Significant digits kept when a number enters a key. Values that agree to 15 significant digits
 * are the same point for duplicate detection: the difference is below what a double reliably
 * carries through JSON, SQL text and arithmetic round trips (e.g. 0.1 + 0.2 vs 0.3).
 */
const KEY_DIGITS = 15;

/**
 * A canonical string for one point (assignments plus task) so that equal points get equal keys.
 *
 * Names are sorted by code unit, numbers are normalized (−0 → 0, 15 significant digits, `1` and
 * `1.0` alike), strings and numbers never collide (`"1"` ≠ `1`), and absent/null entries are
 * skipped so an inactive parameter rendered as null equals one that is left out. Used by the
 * server and the engine to check a candidate against open suggestions and observations.
 */
export function assignmentKey(assignments: Assignments, task: string | null): string {
  const names = Object.keys(assignments).sort(compareCodeUnits);
  const parts: (string | number)[][] = [];
  for (const name of names) {
    const value: unknown = assignments[name];
    if (typeof value === 'number') parts.push([name, normalizeNumber(value)]);
    else if (typeof value === 'string') parts.push([name, 's', value]);
    // null/undefined: an inactive parameter, not part of the point.
  }
  return JSON.stringify([task, parts]);
}

function normalizeNumber(x: number): number | string {
  // NaN and ±Infinity are not valid assignments, but a key must still be total and distinct.
  if (!Number.isFinite(x)) return String(x);
  const rounded = Number(x.toPrecision(KEY_DIGITS));
  return rounded === 0 ? 0 : rounded;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
