import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabaseUrl, testStores } from '../../../test/support/databases.ts';
import { openPostgres } from './open-postgres.ts';

const postgres = testStores().find((b) => b.name === 'postgres')!;

describe.skipIf(postgres.skip)('openPostgres', () => {
  let db: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
  beforeAll(async () => {
    db = await createTestDatabaseUrl();
  });
  afterAll(async () => db?.drop());

  it('a checked-out connection killed between statements fails its next statement instead of crashing the process', async () => {
    const kysely = openPostgres(db.databaseUrl, 2);
    const admin = new pg.Client({ connectionString: db.databaseUrl });
    await admin.connect();
    try {
      const outcome = await kysely.connection().execute(async (conn) => {
        const pid = (await sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`.execute(conn)).rows[0]!.pid;
        // The server ends this session while the client is checked out and idle (a crash-restart).
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await new Promise((r) => setTimeout(r, 200));
        return sql`SELECT 1`.execute(conn).then(
          () => 'ran',
          (e: unknown) => `failed: ${(e as Error).message}`,
        );
      });
      expect(outcome).toMatch(/^failed/);
      // The pool recovers with a new connection.
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(kysely)).rows[0]?.one).toBe(1);
    } finally {
      await admin.end();
      await kysely.destroy();
    }
  });
});
