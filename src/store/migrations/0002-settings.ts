import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Live setting overrides (src/config): the top layer over defaults, config file and environment,
 * shared by every process of a deployment. Values are JSON text (scalars) so both drivers return
 * them identically. `setting_profile` holds at most one row: the applied load profile and the
 * overrides it replaced, which `profile revert` restores.
 */
const up: readonly string[] = [
  `CREATE TABLE setting_overrides (
     key text PRIMARY KEY,
     value text NOT NULL,
     updated bigint NOT NULL,
     actor text NOT NULL)`,
  `CREATE TABLE setting_profile (
     id smallint PRIMARY KEY CHECK (id = 1),
     name text NOT NULL,
     applied bigint NOT NULL,
     actor text NOT NULL,
     previous text NOT NULL)`,
];

/** Setting overrides and the applied load profile. */
export const settings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const statement of up) await sql.raw(statement).execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['setting_profile', 'setting_overrides']) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  },
};
