import { apiError } from '../../domain/errors.ts';

/**
 * Typed access to query-string parameters with the SigOpt rules (docs/api-compatibility.md#request-parsing): every value is a
 * string; booleans are 1/true/0/false in any case (the python client sends `True`/`False`); lists
 * are comma-separated, or JSON arrays (the python client JSON-encodes list values).
 */
export class QueryParams {
  private readonly values: ReadonlyMap<string, string>;

  constructor(values: ReadonlyMap<string, string>) {
    this.values = values;
  }

  /** Parses a raw query string (without `?`). The last of repeated keys wins. */
  static parse(raw: string): QueryParams {
    const map = new Map<string, string>();
    for (const [k, v] of new URLSearchParams(raw)) {
      if (k.includes('\0') || v.includes('\0')) {
        throw apiError('INVALID_STRING_PARAMETER', { value: JSON.stringify(k.includes('\0') ? k : v) });
      }
      map.set(k, v);
    }
    return new QueryParams(map);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  bool(name: string): boolean | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const lower = v.toLowerCase();
    if (lower === '1' || lower === 'true') return true;
    if (lower === '0' || lower === 'false') return false;
    throw apiError('INVALID_BOOLEAN_VALUE', { value: v });
  }

  int(name: string): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (!/^-?\d{1,15}$/.test(v.trim())) {
      throw apiError('INVALID_INTEGER_STRING', { name, value: JSON.stringify(v) });
    }
    return Number(v.trim());
  }

  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const trimmed = v.trim();
    if (trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) return parsed.map((x) => String(x));
      } catch {
        // Not JSON after all: fall through to the comma-separated form.
      }
    }
    if (trimmed === '') return [];
    return trimmed.split(',').map((s) => s.trim());
  }
}
