/**
 * Response JSON as the original server wrote it (docs/api-compatibility.md#responses): indented by 2 with a trailing newline,
 * `&`, `<`, `>` escaped (safe to embed in HTML), never NaN/Infinity (JSON.stringify gives null).
 * Those three characters can only occur inside JSON strings, so a global replace is exact.
 */
export function serializeJson(body: unknown): string {
  return `${JSON.stringify(body, null, 2).replace(/[&<>]/g, escapeChar)}\n`;
}

function escapeChar(c: string): string {
  return c === '&' ? '\\u0026' : c === '<' ? '\\u003C' : '\\u003E';
}
