import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Password logins (POST /v1/users, POST /v1/sessions): a user may carry a password hash. Nullable,
 * because the users an administrator makes (`sextant admin user create`) authenticate with tokens
 * only. The hash string names its KDF and parameters (see src/domain/accounts/password-hash.ts),
 * so a later change of cost needs no migration. Lookups go through `users_email_idx`.
 */
export const accounts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql.raw('ALTER TABLE users ADD COLUMN password_hash text').execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await sql.raw('ALTER TABLE users DROP COLUMN IF EXISTS password_hash').execute(db);
  },
};
