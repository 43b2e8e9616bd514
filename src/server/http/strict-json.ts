/**
 * A strict JSON parser for request bodies. `JSON.parse` silently keeps the last of duplicate keys,
 * turns overflowing literals into Infinity and accepts NUL characters; the SigOpt contract
 * (docs/api-compatibility.md#request-parsing) rejects all three, so bodies go through this single-pass parser instead. It is linear
 * in the input (a multi-megabyte number literal fails fast) and bounds nesting depth so a hostile
 * `[[[[…` cannot exhaust the stack.
 */
export class JsonSyntaxError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'JsonSyntaxError';
  }
}

/** Nesting deeper than this is rejected; real SigOpt bodies are < 10 levels deep. */
export const MAX_JSON_DEPTH = 128;

/** Parses `text` as one JSON value; throws {@link JsonSyntaxError} with a short detail. */
export function parseStrictJson(text: string): unknown {
  const p = new Parser(text);
  p.skipWs();
  const value = p.value(0);
  p.skipWs();
  if (p.pos !== text.length) p.fail('Unexpected data after JSON value');
  return value;
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  fail(detail: string): never {
    throw new JsonSyntaxError(detail);
  }

  skipWs(): void {
    const s = this.s;
    let i = this.pos;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.pos = i;
  }

  value(depth: number): unknown {
    if (depth > MAX_JSON_DEPTH) this.fail('JSON nested too deeply');
    const c = this.s[this.pos];
    switch (c) {
      case '{':
        return this.object(depth + 1);
      case '[':
        return this.array(depth + 1);
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        return this.number();
    }
  }

  literal<T>(word: string, v: T): T {
    if (this.s.startsWith(word, this.pos)) {
      this.pos += word.length;
      return v;
    }
    return this.fail(`Unexpected token at position ${this.pos}`);
  }

  number(): number {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.s);
    if (!m || m[0].length === 0) this.fail(`Unexpected token at position ${this.pos}`);
    this.pos += m[0].length;
    const v = Number(m[0]);
    if (!Number.isFinite(v)) this.fail(`Number out of range: ${m[0].length > 40 ? `${m[0].slice(0, 40)}…` : m[0]}`);
    return v;
  }

  string(): string {
    const s = this.s;
    let i = this.pos + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= s.length) this.fail('Unterminated string');
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0) this.fail('NUL character in string');
      if (c < 0x20) this.fail('Control character in string');
      if (c === 0x5c) {
        out += s.slice(start, i);
        const e = s[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = s.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid unicode escape');
            const code = parseInt(hex, 16);
            if (code === 0) this.fail('NUL character in string');
            i += 4;
            // PostgreSQL rejects unpaired surrogates in JSONB; refuse them here as bad input.
            if (code >= 0xd800 && code <= 0xdbff) {
              const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})$/.exec(s.slice(i, i + 6));
              if (!low) this.fail('Unpaired surrogate in string');
              out += String.fromCharCode(code, parseInt(low[1] ?? '', 16));
              i += 6;
            } else if (code >= 0xdc00 && code <= 0xdfff) {
              this.fail('Unpaired surrogate in string');
            } else {
              out += String.fromCharCode(code);
            }
            break;
          }
          default:
            this.fail('Invalid escape in string');
        }
        start = i;
        continue;
      }
      i++;
    }
    out += s.slice(start, i);
    this.pos = i + 1;
    return out;
  }

  array(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    this.skipWs();
    if (this.s[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      out.push(this.value(depth));
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail(`Expected , or ] at position ${this.pos - 1}`);
    }
  }

  object(depth: number): Record<string, unknown> {
    this.pos++;
    // A null-prototype object: keys like "__proto__" are plain data, never prototype pollution.
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    this.skipWs();
    if (this.s[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.s[this.pos] !== '"') this.fail(`Expected string key at position ${this.pos}`);
      const key = this.string();
      if (Object.prototype.hasOwnProperty.call(out, key)) this.fail(`Duplicate key value in JSON document: ${key}`);
      this.skipWs();
      if (this.s[this.pos++] !== ':') this.fail(`Expected : at position ${this.pos - 1}`);
      this.skipWs();
      out[key] = this.value(depth);
      this.skipWs();
      const c = this.s[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail(`Expected , or } at position ${this.pos - 1}`);
    }
  }
}
