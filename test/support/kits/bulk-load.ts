/**
 * Set-based SQL that fills a PostgreSQL database to realistic size in seconds (INSERT … SELECT
 * generate_series, no per-row round trips). Shared by the EXPLAIN test (src/store/postgres-explain.test.ts:
 * its own tenants, placeholder specs, fixed ids 1..n in a fresh database) and the data-scale benchmark
 * (bench/service/data-scale.ts: everything belongs to an existing tenant, experiments carry real specs
 * and their observations real assignments and metric values, ids follow what the database holds).
 */
import type { ExperimentSpec } from '../../../src/optimizer/experiment-spec.ts';

/** The shape of the data. */
export interface BulkLoadOptions {
  readonly experiments: number;
  readonly observations: number;
  /** Observations of the first experiment (the "hot" one); the rest go round robin. */
  readonly hotObservations: number;
  readonly suggestions: number;
  /** Suggestions of the first experiment. */
  readonly hotSuggestions: number;
  /**
   * Existing tenant every row belongs to. Unset: a fresh database gets its own organization, 100
   * clients, 1000 users and 1000 projects, and experiment ids are assumed to be 1..experiments.
   */
  readonly tenant?: { readonly clientId: string; readonly userId: string | null };
  /**
   * Specs assigned round robin (tenant mode); observation and suggestion assignments then follow
   * each experiment's parameters and the values its metrics. Unset: `{}` specs and `{x: i}` points.
   */
  readonly specs?: readonly ExperimentSpec[];
  /** Rows per observation INSERT (progress granularity). Default: all in one statement. */
  readonly chunk?: number;
}

/** The EXPLAIN test's scale (issue 4 item 6): 10^4 experiments, 10^6 observations, hot experiment 1. */
export const EXPLAIN_SCALE: BulkLoadOptions = Object.freeze({
  experiments: 10_000,
  observations: 1_000_000,
  hotObservations: 100_000,
  suggestions: 200_000,
  hotSuggestions: 20_000,
});

/** One statement and what it does (for progress lines). */
export interface BulkStatement {
  readonly label: string;
  readonly sql: string;
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Random assignments following the parameters of the spec expression `spec` (SQL, jsonb): doubles
 * uniform within bounds (log-uniform when log-scaled), ints uniform, categoricals a random value.
 */
export function randomAssignmentsSql(spec: string): string {
  const min = "(p->'bounds'->>'min')::float8";
  const max = "(p->'bounds'->>'max')::float8";
  return `(SELECT coalesce(jsonb_object_agg(p->>'name', CASE p->>'type'
      WHEN 'categorical' THEN (p->'categoricalValues'->(floor(random() * jsonb_array_length(p->'categoricalValues')))::int)->'name'
      WHEN 'int' THEN to_jsonb(floor(${min} + random() * (${max} - ${min} + 1))::bigint)
      WHEN 'double' THEN CASE WHEN p->>'transformation' = 'log'
        THEN to_jsonb(exp(ln(${min}) + random() * (ln(${max}) - ln(${min}))))
        ELSE to_jsonb(${min} + random() * (${max} - ${min})) END
    END), '{}'::jsonb) FROM jsonb_array_elements(${spec}->'parameters') p WHERE NOT coalesce((p->>'deleted')::boolean, false))`;
}

/** Random values, one per metric of the spec expression `spec` (SQL, jsonb). */
export function randomValuesSql(spec: string): string {
  return `(SELECT coalesce(jsonb_agg(jsonb_build_object('name', m->'name', 'value', random(), 'value_stddev', NULL)), '[]'::jsonb)
    FROM jsonb_array_elements(${spec}->'metrics') m)`;
}

/** The statements, in order; the last is ANALYZE so the planner sees the real distribution. */
export function bulkLoadStatements(o: BulkLoadOptions): BulkStatement[] {
  const { experiments: E, observations: N, hotObservations: HOT, suggestions: S, hotSuggestions: HOT_S } = o;
  if (o.tenant) return tenantStatements(o, o.tenant);
  // Fresh database, own tenants: experiment i has id i.
  return [
    { label: 'organization', sql: `INSERT INTO organizations (name, created) VALUES ('org', 0)` },
    { label: 'clients', sql: `INSERT INTO clients (organization_id, name, created) SELECT 1, 'c' || i, 0 FROM generate_series(1, 100) i` },
    {
      label: 'users',
      sql: `INSERT INTO users (name, email, created) SELECT 'user ' || i, 'u' || i || '@x.org', 0 FROM generate_series(1, 1000) i`,
    },
    {
      label: 'projects',
      sql: `INSERT INTO projects (client_id, id, name, user_id, created, updated) SELECT 1 + i % 100, 'p' || i, 'P', NULL, i, i FROM generate_series(1, 1000) i`,
    },
    {
      label: 'experiments',
      sql: `INSERT INTO experiments (client_id, user_id, project_id, name, state, development, runs_only, created, updated, spec)
     SELECT 1 + i % 100, 1 + i % 1000, CASE WHEN i % 3 = 0 THEN 'p' || (i % 100 + 100 * (1 + i % 9)) END, 'experiment ' || i,
            CASE WHEN i % 10 = 0 THEN 'deleted' ELSE 'active' END, i % 7 = 0, false, i, (i * 7919) % 100000, '{}'::jsonb
     FROM generate_series(1, ${E}) i`,
    },
    {
      label: 'suggestions',
      sql: `INSERT INTO suggestions (experiment_id, assignments, task, state, deleted, created, source)
     SELECT CASE WHEN i <= ${HOT_S} THEN 1 ELSE 1 + i % ${E} END, jsonb_build_object('x', i), NULL,
            CASE WHEN i % 50 = 0 THEN 'open' ELSE 'closed' END, i % 97 = 0, i, 'model'
     FROM generate_series(1, ${S}) i`,
    },
    {
      label: 'observations',
      sql: `INSERT INTO observations (experiment_id, suggestion_id, assignments, task, "values", failed, deleted, created)
     SELECT CASE WHEN i <= ${HOT} THEN 1 ELSE 1 + i % ${E} END, NULL, jsonb_build_object('x', i), NULL,
            jsonb_build_array(jsonb_build_object('name', 'f', 'value', i, 'value_stddev', NULL)), false, i % 101 = 0, i
     FROM generate_series(1, ${N}) i`,
    },
    ...commonTail(E, '1 + i % 100', '1 + i % 1000', '1 + i % 10000', 'i'),
  ];
}

/** Queued suggestions, tokens, optimizer state, audit log, ANALYZE. */
function commonTail(E: number, client: string, user: string, experiment: string, stateExperiment: string): BulkStatement[] {
  return [
    {
      label: 'queued suggestions',
      sql: `INSERT INTO queued_suggestions (experiment_id, assignments, created) SELECT ${experiment}, '{}'::jsonb, i FROM generate_series(1, ${E}) i`,
    },
    {
      label: 'tokens',
      sql: `INSERT INTO tokens (hash, type, scope, client_id, user_id, permissions, created)
     SELECT md5(i::text), 'client-api', 'all_endpoints', ${client}, ${user}, 'write', i FROM generate_series(1, 10000) i`,
    },
    {
      label: 'optimizer state',
      sql: `INSERT INTO optimizer_state (experiment_id, state, updated) SELECT ${stateExperiment}, '{}'::jsonb, i FROM generate_series(1, ${E}) i`,
    },
    {
      label: 'audit log',
      sql: `INSERT INTO audit_log (actor, action, object_type, object_id, created) SELECT 'cli', 'a', 'token', (i % 1000)::text, i FROM generate_series(1, 10000) i`,
    },
    { label: 'analyze', sql: 'ANALYZE' },
  ];
}

/**
 * Tenant mode: experiments get explicit ids after the largest existing one (the identity sequence
 * is moved past them), so the statements need no assumption about what the database already holds.
 */
function tenantStatements(o: BulkLoadOptions, tenant: { clientId: string; userId: string | null }): BulkStatement[] {
  const { experiments: E, observations: N, hotObservations: HOT, suggestions: S, hotSuggestions: HOT_S } = o;
  const client = literal(tenant.clientId);
  const user = tenant.userId === null ? 'NULL' : literal(tenant.userId);
  const specs = o.specs && o.specs.length > 0 ? o.specs : null;
  const specArray = specs ? `ARRAY[${specs.map((s) => `${literal(JSON.stringify(s))}::jsonb`).join(', ')}]` : null;
  // Experiment k (1..E) has id base + k; base is read when the statement runs.
  const base = `(SELECT coalesce(max(id), 0) FROM experiments)`;
  const bulk = `(SELECT id, spec, row_number() OVER (ORDER BY id) AS k FROM experiments WHERE name LIKE 'bulk %')`;
  const points = (table: 'observations' | 'suggestions', lo: number, hi: number, hot: number) => {
    const k = `CASE WHEN i <= ${hot} THEN 1 ELSE 1 + i % ${E} END`;
    const assignments = specs ? randomAssignmentsSql('e.spec') : `jsonb_build_object('x', i)`;
    return table === 'observations'
      ? `INSERT INTO observations (experiment_id, suggestion_id, assignments, task, "values", failed, deleted, created)
     SELECT e.id, NULL, ${assignments}, NULL, ${specs ? randomValuesSql('e.spec') : `jsonb_build_array(jsonb_build_object('name', 'f', 'value', i, 'value_stddev', NULL))`},
            false, i % 101 = 0, i
     FROM generate_series(${lo}, ${hi}) i JOIN ${bulk} e ON e.k = ${k}`
      : `INSERT INTO suggestions (experiment_id, assignments, task, state, deleted, created, source)
     SELECT e.id, ${assignments}, NULL, 'closed', i % 97 = 0, i, 'model'
     FROM generate_series(${lo}, ${hi}) i JOIN ${bulk} e ON e.k = ${k}`;
  };
  const chunk = Math.max(1, o.chunk ?? N);
  const observationChunks: BulkStatement[] = [];
  for (let lo = 1; lo <= N; lo += chunk) {
    const hi = Math.min(N, lo + chunk - 1);
    observationChunks.push({ label: `observations ${lo}–${hi} of ${N}`, sql: points('observations', lo, hi, HOT) });
  }
  const bulkId = `(SELECT min(id) FROM experiments WHERE name LIKE 'bulk %') + (i - 1) % ${E}`;
  return [
    {
      label: 'projects',
      sql: `INSERT INTO projects (client_id, id, name, user_id, created, updated)
     SELECT ${client}, 'bulk-p' || i, 'P', ${user}, i, i FROM generate_series(1, 100) i ON CONFLICT DO NOTHING`,
    },
    {
      label: `experiments (${E})`,
      sql: `INSERT INTO experiments (id, client_id, user_id, project_id, name, state, development, runs_only, created, updated, spec)
     SELECT ${base} + i, ${client}, ${user}, CASE WHEN i % 3 = 0 THEN 'bulk-p' || (1 + i % 100) END, 'bulk experiment ' || i,
            CASE WHEN i % 10 = 0 THEN 'deleted' ELSE 'active' END, i % 7 = 0, false, i, (i * 7919) % 100000,
            ${specArray ? `(${specArray})[1 + i % ${specs!.length}]` : `'{}'::jsonb`}
     FROM generate_series(1, ${E}) i`,
    },
    { label: 'identity sequence', sql: `SELECT setval(pg_get_serial_sequence('experiments', 'id'), (SELECT max(id) FROM experiments))` },
    { label: `suggestions (${S})`, sql: points('suggestions', 1, S, HOT_S) },
    ...observationChunks,
    ...commonTail(E, client, user, bulkId, bulkId),
  ];
}
