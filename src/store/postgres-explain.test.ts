import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStores, type OpenedTestStore } from '../../test/support/databases.ts';
import { instrumentStore } from './instrumented-store.ts';
import { KyselyStore } from './kysely/kysely-store.ts';
import { bulkLoadStatements, EXPLAIN_SCALE } from '../../test/support/kits/bulk-load.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

const postgres = testStores().find((b) => b.name === 'postgres')!;

/** Tables that grow with usage: a sequential scan on any of them is a bug at scale (DESIGN §4). */
const BIG = new Set([
  'experiments',
  'observations',
  'suggestions',
  'queued_suggestions',
  'tokens',
  'projects',
  'audit_log',
  'optimizer_state',
]);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** SEXTANT_EXPLAIN_REPORT=1 prints the seeding time and each case's scans (for measurements in reports). */
const report = process.env.SEXTANT_EXPLAIN_REPORT === '1' ? (line: string) => console.log(line) : () => {};

/** The scans of one plan, e.g. `Index Scan observations_live_idx on observations`. */
function summary(nodes: PlanNode[]): string {
  const scans = nodes.filter((n) => n['Node Type'].includes('Scan'));
  return (
    scans
      .map(
        (n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`,
      )
      .join(', ') ||
    nodes[0]?.['Node Type'] ||
    ''
  );
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

/**
 * Realistic sizes with set-based SQL (test/support/kits/bulk-load.ts, shared with the data-scale
 * benchmark): 100 clients, 10^4 experiments, 10^6 observations and 2·10^5 suggestions (experiment
 * 1 is "hot" with 10^5 observations and 2·10^4 suggestions; the others get ~90 observations each),
 * 10^4 tokens and queued suggestions, 10^3 projects; then ANALYZE so the planner sees the real
 * distribution. Issue 4 item 6 asks for at least 10^6 observations.
 */
const seed = bulkLoadStatements(EXPLAIN_SCALE).map((s) => s.sql);

describe.skipIf(postgres.skip)('PostgreSQL plans at realistic size', () => {
  let opened: OpenedTestStore;
  let pool: pg.Pool;
  let db: Kysely<Database>;
  let store: Store;
  let captured: CompiledQuery[] = [];
  /** Statement names (instrumentStore) the cases below ran: the coverage check at the end. */
  const statements = new Set<string>();

  beforeAll(async () => {
    opened = await postgres.open();
    pool = new pg.Pool({ connectionString: opened.databaseUrl, max: 2 });
    // A second Kysely over the same database that records every statement the repositories run.
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        captured.push(event.query);
      },
    });
    const seeding = performance.now();
    for (const statement of seed) await sql.raw(statement).execute(opened.store instanceof KyselyStore ? opened.store.db : db);
    report(`seeded and analyzed in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    store = instrumentStore(new KyselyStore(db, 'postgres'), (statement) => statements.add(statement));
  }, 180_000);

  afterAll(async () => {
    await db?.destroy();
    await opened?.close();
  });

  /** Runs `call`, then EXPLAINs each statement it issued; returns the scanned relations. */
  async function plansOf(call: (s: Store) => Promise<unknown>): Promise<{ sql: string; nodes: PlanNode[] }[]> {
    captured = [];
    await call(store);
    const out = [];
    for (const q of captured.filter((q) => !/^\s*insert/i.test(q.sql))) {
      const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${q.sql}`, [...q.parameters]);
      const plan = (rows[0] as { 'QUERY PLAN': { Plan: PlanNode }[] })['QUERY PLAN'][0]!.Plan;
      out.push({ sql: q.sql, nodes: walk(plan) });
    }
    return out;
  }

  const hot: [string, (s: Store) => Promise<unknown>][] = [
    ['tokens.findByHash', (s) => s.tokens.findByHash('c4ca4238a0b923820dcc509a6f75849b')],
    ['tokens.list by user', (s) => s.tokens.list({ userId: '5', clientId: '6' })],
    ['experiments.get', (s) => s.experiments.get('4242')],
    ['experiments.list id', (s) => s.experiments.list({ clientIds: ['7'], state: 'active' }, 'id', { limit: 100, ascending: false })],
    [
      'experiments.list id before',
      (s) => s.experiments.list({ clientIds: ['7'], state: 'all' }, 'id', { limit: 10, ascending: false, before: ['5007'] }),
    ],
    [
      'experiments.list recent after',
      (s) => s.experiments.list({ clientIds: ['7'], state: 'active' }, 'recent', { limit: 10, ascending: true, after: [50000, '5007'] }),
    ],
    [
      'experiments.list search',
      (s) => s.experiments.list({ clientIds: ['7'], state: 'active', search: 'user 1' }, 'id', { limit: 10, ascending: false }),
    ],
    ['experiments.list by user', (s) => s.experiments.list({ userId: '17', state: 'active' }, 'id', { limit: 10, ascending: false })],
    [
      'experiments.list by project',
      (s) => s.experiments.list({ clientIds: ['7'], projectId: 'p106', state: 'active' }, 'id', { limit: 10, ascending: false }),
    ],
    ['experiments.touch', (s) => s.experiments.touch('1', 10 ** 9)],
    ['projects.get', (s) => s.projects.get('7', 'p106')],
    [
      'projects.list updated',
      (s) => s.projects.list('7', { deleted: false }, 'updated', { limit: 10, ascending: false, before: [500, 'p506'] }),
    ],
    ['projects.experimentCounts', (s) => s.projects.experimentCounts('7', ['p106', 'p206', 'p306'])],
    ['suggestions.get', (s) => s.suggestions.get('1', '123')],
    ['suggestions.list', (s) => s.suggestions.list('1', { deleted: false }, { limit: 100, ascending: false, before: ['15000'] })],
    ['suggestions.list open', (s) => s.suggestions.list('1', { deleted: false, state: 'open' }, { limit: 100, ascending: false })],
    ['suggestions.list ids', (s) => s.suggestions.list('1', { deleted: false, ids: ['1', '2', '3'] }, { limit: 100, ascending: false })],
    ['suggestions.listOpen', (s) => s.suggestions.listOpen('1')],
    ['suggestions.close', (s) => s.suggestions.close('1', '50')],
    ['suggestions.deleteAll open', (s) => s.suggestions.deleteAll('1', { onlyOpen: true })],
    ['queued.list', (s) => s.queuedSuggestions.list('42', { limit: 100, ascending: false })],
    ['queued.popOldest', (s) => s.queuedSuggestions.popOldest('42')],
    ['observations.get', (s) => s.observations.get('1', '777')],
    // A warm model's delta load: the observations after the last one it has.
    ['observations.listLive after', (s) => s.observations.listLive('1', '99000')],
    [
      'observations.list id',
      (s) => s.observations.list('1', { deleted: false }, { kind: 'id' }, { limit: 100, ascending: false, before: ['10000'] }),
    ],
    [
      'observations.list id deep page',
      (s) => s.observations.list('1', { deleted: false }, { kind: 'id' }, { limit: 100, ascending: true, after: ['60000'] }),
    ],
    [
      'observations.list timestamp',
      (s) => s.observations.list('1', { deleted: false }, { kind: 'timestamp' }, { limit: 100, ascending: true }),
    ],
    [
      'observations.list value (in memory)',
      (s) => s.observations.list('42', { deleted: false }, { kind: 'value', metric: 'f', field: 'value' }, { limit: 10, ascending: false }),
    ],
    ['observations.listLive', (s) => s.observations.listLive('1')],
    ['observations.countLive', (s) => s.observations.countLive('1')],
    ['observations.firstLive', (s) => s.observations.firstLive('1')],
    ['observations.lastLive', (s) => s.observations.lastLive('1')],
    // A cold experiment (~90 observations spread over the whole id range): the LIMIT-1 and
    // list plans must not walk the primary key hoping to meet its rows early.
    ['observations.firstLive cold', (s) => s.observations.firstLive('4242')],
    ['observations.lastLive cold', (s) => s.observations.lastLive('4242')],
    ['observations.listLive cold', (s) => s.observations.listLive('4242')],
    ['observations.list id cold', (s) => s.observations.list('4242', { deleted: false }, { kind: 'id' }, { limit: 100, ascending: false })],
    ['suggestions.list cold', (s) => s.suggestions.list('4242', { deleted: false }, { limit: 100, ascending: false })],
    ['observations.deleteAll', (s) => s.observations.deleteAll('42')],
    ['optimizerState.get', (s) => s.optimizerState.get('42')],
    ['audit.listForObject', (s) => s.audit.listForObject('token', '5', { limit: 10, ascending: false })],
  ];

  it('control: the plan walk does see a sequential scan when no index fits', async () => {
    const plans = await plansOf(() => sql`SELECT id FROM observations WHERE task = 'nope'`.execute(db));
    const nodes = plans.flatMap((p) => p.nodes);
    expect(nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'observations')).toBe(true);
  });

  it.each(hot)('%s uses indexes only on big tables', async (name, call) => {
    const plans = await plansOf(call);
    report(`${name}: ${plans.map((p) => summary(p.nodes)).join(' ; ')}`);
    expect(plans.length).toBeGreaterThan(0);
    for (const { sql: text, nodes } of plans) {
      const seqScans = nodes.filter((n) => n['Node Type'] === 'Seq Scan' && BIG.has(n['Relation Name'] ?? ''));
      expect(
        seqScans.map((n) => n['Relation Name']),
        text,
      ).toEqual([]);
      const scanned = nodes.filter((n) => n['Node Type'].includes('Scan') && BIG.has(n['Relation Name'] ?? ''));
      // Every read of a big table is through an index (index, index-only or bitmap scan);
      // ModifyTable/LockRows nodes name the table too but act on rows an index scan found.
      for (const n of scanned) expect(n['Node Type'], text).toMatch(/Index|Bitmap Heap/);
    }
  });

  /** The statements the API runs on every request of its hot endpoints (auth, experiment, suggestion, observation, project). */
  const perRequest = [
    'tokens.findByHash',
    'experiments.get',
    'experiments.list',
    'experiments.touch',
    'projects.get',
    'projects.list',
    'suggestions.get',
    'suggestions.list',
    'suggestions.listOpen',
    'queuedSuggestions.popOldest',
    'observations.get',
    'observations.list',
    'observations.listLive',
    'observations.countLive',
  ];

  it('the cases above cover every per-request statement by name', () => {
    expect(perRequest.filter((name) => !statements.has(name))).toEqual([]);
  });
});
