import type { Kysely } from 'kysely';
import type { SettingsRepository } from '../ports/settings-repository.ts';
import type { Database } from '../schema.ts';

/** Setting overrides and the applied profile over Kysely (values as JSON text). */
export function settingsRepository(db: Kysely<Database>): SettingsRepository {
  return {
    async listOverrides() {
      const rows = await db.selectFrom('setting_overrides').selectAll().orderBy('key').execute();
      return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown, updated: Number(r.updated), actor: r.actor }));
    },
    async putOverride(row) {
      const values = { value: JSON.stringify(row.value), updated: row.updated, actor: row.actor };
      await db
        .insertInto('setting_overrides')
        .values({ key: row.key, ...values })
        .onConflict((oc) => oc.column('key').doUpdateSet(values))
        .execute();
    },
    async deleteOverride(key) {
      const r = await db.deleteFrom('setting_overrides').where('key', '=', key).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    async getActiveProfile() {
      const r = await db.selectFrom('setting_profile').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!r) return null;
      return { name: r.name, applied: Number(r.applied), actor: r.actor, previous: JSON.parse(r.previous) as Record<string, unknown> };
    },
    async setActiveProfile(row) {
      if (row === null) {
        await db.deleteFrom('setting_profile').where('id', '=', 1).execute();
        return;
      }
      const values = { name: row.name, applied: row.applied, actor: row.actor, previous: JSON.stringify(row.previous) };
      await db
        .insertInto('setting_profile')
        .values({ id: 1, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    },
  };
}
