import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md, checked on the imports themselves: a rule that only lives in
 * a drawing drifts. Each rule lists the offending `file -> import` pairs, so a failure names the fix.
 */
const root = resolve(import.meta.dirname, '../..');

interface ImportEdge {
  /** Importing file, relative to the repository root. */
  readonly from: string;
  /** A repository-relative path for relative imports, else the package specifier. */
  readonly to: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(e.name) && !/\.test\.ts$/.test(e.name) ? [path] : [];
  });
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const edges: ImportEdge[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4] ?? '';
    const to = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec;
    edges.push({ from: relative(root, file), to, typeOnly: m[2] !== undefined });
  }
  return edges;
}

const edges = sourceFiles(join(root, 'src')).flatMap(importsOf);
const under = (path: string, ...folders: string[]) => folders.some((f) => path.startsWith(`src/${f}/`));
const violations = (rule: (e: ImportEdge) => boolean) => edges.filter(rule).map((e) => `${e.from} -> ${e.to}`);

describe('import rules (layers read off the folders)', () => {
  it('reads imports at all (guards the rules below against a broken parser)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.some((e) => e.from === 'src/runtime/api-process.ts' && e.to === 'src/runtime/api-adapters.ts')).toBe(true);
  });

  it('adapters (store, cache, queue) import nothing from the domain but port types', () => {
    const bad = violations(
      (e) => under(e.from, 'store', 'cache', 'queue') && under(e.to, 'domain') && !(e.typeOnly && under(e.to, 'domain/ports')),
    );
    expect(bad).toEqual([]);
  });

  it('the domain knows ports, never concrete adapters or outer layers', () => {
    const adapters = ['cache/redis', 'cache/memory', 'queue/bullmq', 'queue/in-process', 'store/kysely', 'store/pglite', 'store/postgres'];
    const bad = violations(
      (e) =>
        under(e.from, 'domain') &&
        (under(e.to, ...adapters, 'server', 'runtime', 'cli', 'worker', 'sim') ||
          ['ioredis', 'bullmq', 'piscina', 'pg', 'kysely', 'fastify'].includes(e.to)),
    );
    expect(bad).toEqual([]);
  });

  it('src/server is HTTP only: no Redis, BullMQ, piscina, PGlite or PostgreSQL driver, no composition root', () => {
    const drivers = ['ioredis', 'bullmq', 'piscina', 'pg', '@electric-sql/pglite'];
    const bad = violations(
      (e) =>
        under(e.from, 'server') &&
        (drivers.some((d) => e.to === d || e.to.startsWith(`${d}/`)) ||
          under(e.to, 'cache/redis', 'queue/bullmq', 'store/pglite', 'store/postgres', 'store/kysely', 'worker', 'runtime', 'cli')),
    );
    expect(bad).toEqual([]);
  });

  it('the optimizer and the numerics are pure: they import only each other (numerics only itself)', () => {
    const bad = violations(
      (e) =>
        (under(e.from, 'optimizer') && !under(e.to, 'optimizer', 'numerics')) || (under(e.from, 'numerics') && !under(e.to, 'numerics')),
    );
    expect(bad).toEqual([]);
  });

  it('nothing inside imports the composition roots or the command line', () => {
    const bad = violations((e) => !under(e.from, 'runtime', 'cli', 'sim') && under(e.to, 'runtime', 'cli'));
    expect(bad).toEqual([]);
  });
});
