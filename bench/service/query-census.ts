/**
 * Query census of the embedded hot path: starts an in-process embedded server whose PGlite store
 * logs every statement, drives one client through N cycles (suggestion → observation) on a few
 * experiments, and prints per endpoint the statements issued and the time they held PGlite's single
 * connection. In embedded mode every statement is serialized through that one connection, so
 * statements × time per request bounds the cycles per second of the whole server.
 *   npx tsx bench/service/query-census.ts [--cycles 200] [--experiments 4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { startServer } from '../../src/runtime/api-process.ts';
import { createRng } from '../../src/numerics/rng.ts';
import { KyselyStore } from '../../src/store/kysely/kysely-store.ts';
import { migrateToLatest } from '../../src/store/migrations/migrate-to-latest.ts';
import { PgliteDialect } from '../../src/store/pglite/pglite-dialect.ts';
import type { Database } from '../../src/store/schema.ts';
import { syntheticExperiment } from '../../src/sim/synthetic-experiment.ts';

interface Stat {
  requests: number;
  statements: number;
  dbMs: number;
  wallMs: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const cycles = arg('cycles', 200);
  const experiments = arg('experiments', 4);
  const dir = await mkdtemp(join(tmpdir(), 'sextant-census-'));
  const pg = await PGlite.create({ dataDir: join(dir, 'pgdata'), parsers: { 20: (v: string) => v } });
  let statements = 0;
  let dbMs = 0;
  const texts = new Map<string, { n: number; ms: number }>();
  const db = new Kysely<Database>({
    dialect: new PgliteDialect(pg),
    log: (e) => {
      statements++;
      dbMs += e.queryDurationMillis;
      const key = e.query.sql.replace(/\s+/g, ' ').slice(0, 110);
      const t = texts.get(key) ?? { n: 0, ms: 0 };
      t.n++;
      t.ms += e.queryDurationMillis;
      texts.set(key, t);
    },
  });
  await migrateToLatest(db);
  const server = await startServer({
    port: 0,
    dataDir: dir,
    store: new KyselyStore(db, 'pglite'),
    apiToken: 'census-token-0123456789',
    logger: false,
    // One client hammering one token: the census counts statements, not the per-token limits.
    settings: { 'rate_limit.reads_per_second': 0, 'rate_limit.writes_per_second': 0 },
  });
  const auth = { authorization: `Basic ${Buffer.from('census-token-0123456789:').toString('base64')}`, 'content-type': 'application/json' };
  const stats = new Map<string, Stat>();
  const call = async (endpoint: string, method: string, path: string, body?: unknown) => {
    const s0 = statements;
    const d0 = dbMs;
    const t0 = performance.now();
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: auth,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${endpoint}: ${res.status} ${JSON.stringify(json)}`);
    const st = stats.get(endpoint) ?? { requests: 0, statements: 0, dbMs: 0, wallMs: 0 };
    st.requests++;
    st.statements += statements - s0;
    st.dbMs += dbMs - d0;
    st.wallMs += performance.now() - t0;
    stats.set(endpoint, st);
    return json;
  };
  const rng = createRng(1);
  const ids: { id: string; plan: ReturnType<typeof syntheticExperiment> }[] = [];
  for (let i = 0; i < experiments; i++) {
    const plan = syntheticExperiment('census', i + 1, rng.fork(), { parallelShare: 0 });
    ids.push({ id: (await call('experiment.create', 'POST', '/v1/experiments', plan.body)).id as string, plan });
  }
  texts.clear();
  for (let c = 0; c < cycles; c++) {
    const e = ids[c % ids.length]!;
    const s = await call('suggestion.create', 'POST', `/v1/experiments/${e.id}/suggestions`, {});
    await call('observation.create', 'POST', `/v1/experiments/${e.id}/observations`, {
      suggestion: s.id,
      values: e.plan.evaluate(s.assignments as Record<string, unknown>, 0, rng),
    });
    if (c % 10 === 0) {
      await call('experiment.get', 'GET', `/v1/experiments/${e.id}`);
      await call('experiment.best_assignments', 'GET', `/v1/experiments/${e.id}/best_assignments`);
    }
  }
  process.stdout.write('endpoint                       requests  statements/req  db ms/req  wall ms/req\n');
  for (const [name, s] of stats) {
    process.stdout.write(
      `${name.padEnd(30)} ${String(s.requests).padStart(8)}  ${(s.statements / s.requests).toFixed(1).padStart(14)}  ${(s.dbMs / s.requests).toFixed(2).padStart(9)}  ${(s.wallMs / s.requests).toFixed(2).padStart(11)}\n`,
    );
  }
  process.stdout.write('\nstatements during the cycles (includes background refreshes), by total time:\n');
  for (const [k, t] of [...texts].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
    process.stdout.write(`${String(t.n).padStart(6)} × ${(t.ms / t.n).toFixed(2).padStart(6)} ms  ${k}\n`);
  }
  await server.close();
  await rm(dir, { recursive: true, force: true });
}

await main();
