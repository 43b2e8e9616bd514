const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

/**
 * `--expires` of `sextant admin token create`: a duration from now (`90m`, `12h`, `30d`, `2w`),
 * an absolute unix time in seconds, or `never`. Returns unix seconds or null; throws on anything else.
 */
export function parseTokenExpiry(text: string, now: number): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'never') return null;
  const duration = /^(\d{1,9})([smhdw])$/.exec(t);
  if (duration) {
    const seconds = Number(duration[1]) * (UNITS[duration[2] ?? ''] ?? NaN);
    if (!(seconds > 0)) throw new Error(`--expires must be a positive duration, got ${text}`);
    return now + seconds;
  }
  if (/^\d{1,12}$/.test(t)) {
    const at = Number(t);
    if (at <= now) throw new Error(`--expires ${text} is in the past (now is ${now})`);
    return at;
  }
  throw new Error(`--expires takes a duration (90m, 12h, 30d, 2w), a unix time in seconds, or "never"; got ${JSON.stringify(text)}`);
}
