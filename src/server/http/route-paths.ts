/**
 * Path patterns of the route table, converted for Fastify (find-my-way) and for the 405 check.
 * Numeric segments are restricted to 1–19 digits so that a non-integer id is "no such route".
 */
export function toFastifyPath(path: string): string {
  return path.replace(/\{(\w+):str\}/g, ':$1').replace(/\{(\w+)\}/g, ':$1(^\\d{1,19}$)');
}

/** A regex matching concrete paths of a pattern (used to answer 405 with the allowed methods). */
export function toPathRegex(path: string): RegExp {
  const body = path
    .split(/(\{\w+(?::str)?\})/)
    .map((part) => {
      if (/^\{\w+:str\}$/.test(part)) return '[^/]+';
      if (/^\{\w+\}$/.test(part)) return '\\d{1,19}';
      return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}/?$`);
}

/** The parameter names of a pattern, in order (the runtime side of `PathParamNames`). */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)(?::str)?\}/g)].map((m) => m[1] ?? '');
}
