import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every reference to the API contract resolves inside the repository: code, tests and benches cite
 * docs/api-compatibility.md (or another doc) as `docs/<file>.md#<anchor>`, never a numbered section
 * of a document kept elsewhere. Checked, in src/, test/, bench/, docs/ and README.md: no citation of
 * the word "spec" followed by a section sign, nor of the former shared spec file; every
 * `docs/<file>.md#<anchor>` names an existing file and heading; every relative markdown link in the
 * docs resolves. A failure lists `file:line reference`.
 */
const root = resolve(import.meta.dirname, '../..');

const TEXT_FILE = /\.(ts|mts|cts|mjs|cjs|js|json|md|sql|ya?ml)$/;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : filesUnder(path);
    return TEXT_FILE.test(e.name) ? [path] : [];
  });
}

/** GitHub's heading anchor: inline markup and punctuation dropped, lowercase, spaces to dashes. */
function githubSlug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown text: ATX headings outside fenced code, duplicates suffixed -1, -2, … as GitHub does. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      const marker = f[1] ?? '';
      if (fence === null) fence = marker[0] ?? null;
      else if (marker[0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const h = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!h) continue;
    const base = githubSlug(h[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** A problem found in one file: `line` is 1-based. */
interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

const SPEC_CITATION = /\bspec\s*§|sigopt-api\.md/i;
/** `docs/<file>.md` with an optional `#anchor`, written from the repository root. */
const DOC_REFERENCE = /(?<![\w./-])docs\/([\w./-]+?\.md)(?:#([\w-]+))?/g;
/** A relative markdown link target: `](path.md#anchor)`, `](#anchor)`, `](../src/x.ts)`. */
const MARKDOWN_LINK = /\]\(([^)\s]*)\)/g;

/**
 * Checks one file's text. `read` returns a repository file's text (null when missing), so the
 * checker runs on the real tree and on the fabricated cases below alike.
 */
function checkFile(file: string, text: string, read: (path: string) => string | null): Finding[] {
  const findings: Finding[] = [];
  const anchorCache = new Map<string, Set<string> | null>();
  const anchorsIn = (path: string): Set<string> | null => {
    if (!anchorCache.has(path)) {
      const md = read(path);
      anchorCache.set(path, md === null ? null : anchorsOf(md));
    }
    return anchorCache.get(path) ?? null;
  };
  const resolves = (path: string, anchor: string | undefined): boolean => {
    if (anchor === undefined || anchor === '') return read(path) !== null;
    return anchorsIn(path)?.has(anchor.toLowerCase()) ?? false;
  };
  const isMarkdown = file.endsWith('.md');
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const at = (t: string) => findings.push({ file, line: i + 1, text: t });
    if (SPEC_CITATION.test(line)) at(line.trim());
    for (const m of line.matchAll(DOC_REFERENCE)) {
      if (!resolves(`docs/${m[1] ?? ''}`, m[2])) at(m[0]);
    }
    if (!isMarkdown) return;
    for (const m of line.matchAll(MARKDOWN_LINK)) {
      const target = m[1] ?? '';
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, mailto:, …
      const hash = target.indexOf('#');
      const pathPart = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? undefined : target.slice(hash + 1);
      const path = pathPart === '' ? file : join(dirname(file), decodeURIComponent(pathPart));
      if (anchor !== undefined && !path.endsWith('.md')) continue; // line anchors into source files
      if (!resolves(path, anchor)) at(target);
    }
  });
  return findings;
}

function readRepoFile(path: string): string | null {
  const full = join(root, path);
  if (!existsSync(full)) return null;
  return statSync(full).isDirectory() ? '' : readFileSync(full, 'utf8');
}

const scanned = [
  ...['src', 'test', 'bench'].flatMap((d) => filesUnder(join(root, d))),
  ...filesUnder(join(root, 'docs')).filter((f) => f.endsWith('.md')),
  join(root, 'README.md'),
].map((f) => relative(root, f));

describe('documentation links', () => {
  it('scans the code, tests, benches and docs', () => {
    expect(scanned.filter((f) => f.startsWith('src/')).length).toBeGreaterThan(50);
    expect(scanned).toContain('docs/api-compatibility.md');
  });

  it('cite no section of a document outside the repository and resolve every docs/<file>.md#anchor', () => {
    const findings = scanned.flatMap((f) => checkFile(f, readRepoFile(f) ?? '', readRepoFile));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.text}`)).toEqual([]);
  });

  it('has the sections the code cites most', () => {
    const anchors = anchorsOf(readRepoFile('docs/api-compatibility.md') ?? '');
    for (const a of ['errors-and-status-codes', 'authentication', 'access-rules', 'paging', 'validation-rules', 'suggestion-policy']) {
      expect(anchors).toContain(a);
    }
  });
});

describe('the link checker itself', () => {
  // Fixture paths are assembled so that the scan of this very file does not see them as references.
  const D = 'do' + 'cs/';
  const docs: Record<string, string> = {
    [`${D}a.md`]: '# Title\n\n## Errors and status codes\n\n```\n## Not a heading\n```\n\n### `fields` — the parameter\n\n## Title\n',
  };
  const read = (p: string) => docs[p] ?? null;

  it('computes GitHub anchors', () => {
    expect(githubSlug('Errors and status codes')).toBe('errors-and-status-codes');
    expect(githubSlug('`fields` — the parameter')).toBe('fields--the-parameter');
    expect(githubSlug('Where Sextant differs (§6)')).toBe('where-sextant-differs-6');
    expect([...anchorsOf(docs[`${D}a.md`] ?? '')]).toEqual(['title', 'errors-and-status-codes', 'fields--the-parameter', 'title-1']);
  });

  it('accepts good references and reports broken ones', () => {
    const good = `// see ${D}a.md#errors-and-status-codes and ${D}a.md#title-1 and ${D}a.md\n`;
    expect(checkFile('src/x.ts', good, read)).toEqual([]);
    const bad = [
      '/** The 403 of spec ' + '§1.2. */',
      `// ${D}a.md#no-such-heading`,
      `// ${D}a.md#not-a-heading`,
      `// ${D}missing.md#title`,
      `// ${D}missing.md`,
    ].join('\n');
    expect(checkFile('src/x.ts', bad, read).map((f) => f.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('checks relative markdown links from the linking file', () => {
    const md = '[ok](a.md#title) [self](#missing) [gone](b.md) [web](https://example.com/x.md#y) [code](../src/x.ts#L3)';
    expect(checkFile(`${D}z.md`, md, read).map((f) => f.text)).toEqual(['#missing', 'b.md']);
  });
});
