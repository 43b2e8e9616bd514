import type { Metric, ValueInput } from '../../client/index.ts';

/** What a run reported: metric values, or why none could be read. */
export type ParsedMetrics = { readonly values: ValueInput[] } | { readonly error: string };

/**
 * Reads metric values from what the command printed last or wrote to its metrics file:
 *
 * - JSON: a number (the only metric), `{"name": value, …}`, or `[{"name", "value", "value_stddev"}]`;
 * - `name=value` pairs separated by spaces or commas (`accuracy=0.91 loss=0.3`).
 *
 * Values must be finite numbers, and every metric of the experiment must be present (the server
 * takes an observation only with a value for each metric, stored ones included).
 */
export function parseMetrics(text: string, metrics: readonly Metric[]): ParsedMetrics {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'no metrics: the command printed nothing and wrote no metrics file' };
  let values: ValueInput[] | null = null;
  try {
    values = fromJson(JSON.parse(trimmed) as unknown, metrics);
  } catch {
    values = fromPairs(trimmed);
  }
  if (values === null) return { error: `no metrics in the last output line: ${JSON.stringify(trimmed.slice(0, 120))}` };
  const bad = values.find((v) => typeof v.value !== 'number' || !Number.isFinite(v.value));
  if (bad) return { error: `metric ${bad.name ?? '(unnamed)'} is not a finite number` };
  const names = new Set(values.map((v) => v.name ?? null));
  const missing = metrics.filter((m) => !names.has(m.name) && !(metrics.length === 1 && names.has(null)));
  if (missing.length > 0) return { error: `missing metrics: ${missing.map((m) => m.name ?? '(unnamed)').join(', ')}` };
  const known = new Set(metrics.map((m) => m.name));
  const unknown = values.filter((v) => v.name !== undefined && v.name !== null && !known.has(v.name));
  if (unknown.length > 0) return { error: `unknown metrics: ${unknown.map((v) => v.name).join(', ')}` };
  return { values };
}

/** The last non-empty line of a command's output. */
export function lastLine(stdout: string): string {
  const lines = stdout.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

function fromJson(json: unknown, metrics: readonly Metric[]): ValueInput[] | null {
  if (typeof json === 'number') return metrics.length === 1 ? [{ name: metrics[0]!.name, value: json }] : null;
  if (Array.isArray(json)) {
    return json.every((v) => typeof v === 'object' && v !== null && 'value' in v)
      ? json.map((v: { name?: string | null; value: number; value_stddev?: number | null }) => ({
          name: v.name ?? (metrics.length === 1 ? metrics[0]!.name : null),
          value: v.value,
          ...(v.value_stddev !== undefined && v.value_stddev !== null ? { value_stddev: v.value_stddev } : {}),
        }))
      : null;
  }
  if (typeof json === 'object' && json !== null) return Object.entries(json).map(([name, value]) => ({ name, value: value as number }));
  return null;
}

function fromPairs(line: string): ValueInput[] | null {
  const parts = line.split(/[\s,]+/).filter(Boolean);
  const values: ValueInput[] = [];
  for (const part of parts) {
    const m = /^([^=]+)=(.+)$/.exec(part);
    if (!m) return null;
    const value = Number(m[2]);
    values.push({ name: m[1]!, value: Number.isNaN(value) ? NaN : value });
  }
  return values.length > 0 ? values : null;
}
