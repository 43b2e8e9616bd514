import type { Principal } from '../../domain/access/principal.ts';
import { apiError } from '../../domain/errors.ts';
import { LOAD_PROFILES } from '../../config/load-profiles.ts';
import { type LiveSettings, type SettingView, UnknownSettingError } from '../../config/live-settings.ts';
import { InvalidSettingError } from '../../config/setting-definition.ts';
import type { AuditEntry } from '../../store/store.ts';
import { paginationBody, parsePageRequest, unpagedBody } from '../http/paging.ts';
import { route, type RouteContext, type RouteDef } from '../http/route.ts';

/**
 * The admin API behind `sextant config` (docs/configuration.md): list/get/set/reset live settings,
 * apply/revert load profiles, read the audit trail. Only the deployment operator (owner level in a
 * client of the first organization, see access-policy.ts) may call it; every change is audited.
 */
export function adminRoutes(settings: LiveSettings, requireOperator: (p: Principal) => Promise<void>): RouteDef[] {
  const guarded =
    <P extends string>(fn: (c: RouteContext<P>, actor: string) => Promise<unknown>) =>
    async (c: RouteContext<P>) => {
      // Settings are server-wide: only the deployment operator, never another team's admin.
      await requireOperator(c.principal);
      const actor = adminActor(c.principal);
      try {
        return await fn(c, actor);
      } catch (err) {
        if (err instanceof InvalidSettingError) throw apiError('INVALID_SETTING', { message: err.message });
        if (err instanceof UnknownSettingError) throw apiError('UNKNOWN_SETTING', { message: err.message });
        throw err;
      }
    };
  return [
    route({
      method: 'GET',
      path: '/v1/admin/settings',
      name: 'admin.settings.list',
      handler: guarded(async () => ({ ...unpagedBody(settings.list().map(renderSetting)), active_profile: renderProfile(settings) })),
    }),
    route({
      method: 'GET',
      path: '/v1/admin/settings/{key:str}',
      name: 'admin.settings.get',
      handler: guarded(async (c) => renderSetting(settings.describe(c.params.key))),
    }),
    route({
      method: 'PUT',
      path: '/v1/admin/settings/{key:str}',
      name: 'admin.settings.set',
      handler: guarded(async (c, actor) => {
        if (!Object.hasOwn(c.body, 'value')) throw apiError('MISSING_VALUE_KEY');
        return renderSetting(await settings.set(c.params.key, c.body.value, actor));
      }),
    }),
    route({
      method: 'DELETE',
      path: '/v1/admin/settings/{key:str}',
      name: 'admin.settings.reset',
      handler: guarded(async (c, actor) => renderSetting(await settings.reset(c.params.key, actor))),
    }),
    route({
      method: 'GET',
      path: '/v1/admin/profiles',
      name: 'admin.profiles.list',
      handler: guarded(async () => ({
        ...unpagedBody(LOAD_PROFILES.map((p) => ({ object: 'profile', name: p.name, description: p.description, overrides: p.overrides }))),
        active_profile: renderProfile(settings),
      })),
    }),
    route({
      method: 'POST',
      path: '/v1/admin/profiles/{name:str}/apply',
      name: 'admin.profiles.apply',
      handler: guarded(async (c, actor) => {
        const r = await settings.applyProfile(c.params.name, actor);
        return { object: 'profile_change', active_profile: renderProfile(settings), changed: r.changed };
      }),
    }),
    route({
      method: 'POST',
      path: '/v1/admin/profiles/revert',
      name: 'admin.profiles.revert',
      handler: guarded(async (_c, actor) => {
        const r = await settings.revertProfile(actor);
        return { object: 'profile_change', reverted: r.reverted, active_profile: renderProfile(settings), changed: r.changed };
      }),
    }),
    route({
      method: 'GET',
      path: '/v1/admin/audit',
      name: 'admin.audit.list',
      handler: guarded(async (c) => paginationBody(await settings.audit(parsePageRequest(c.query)), renderAudit)),
    }),
  ];
}

/** The audit actor of an operator: the user when the token is a user's, else the token. */
function adminActor(p: Principal): string {
  return p.type === 'user' && p.userId ? `user:${p.userId}` : `token:${p.token.id}`;
}

function renderSetting(v: SettingView): Record<string, unknown> {
  const d = v.definition;
  return {
    object: 'setting',
    key: v.key,
    value: v.value,
    source: v.source,
    default: d.default,
    base_value: v.baseValue,
    base_source: v.baseSource,
    override: v.override,
    type: d.kind,
    ...(d.kind === 'integer' || d.kind === 'number' ? { min: d.min, max: d.max } : {}),
    ...(d.kind === 'enum' ? { values: d.values } : {}),
    unit: d.unit,
    apply: d.apply,
    env: v.env,
    description: d.description,
    when_to_change: d.whenToChange,
  };
}

function renderProfile(settings: LiveSettings): Record<string, unknown> | null {
  const p = settings.activeProfile();
  return p ? { name: p.name, applied: p.applied, actor: p.actor } : null;
}

function renderAudit(e: AuditEntry): Record<string, unknown> {
  return { object: 'audit_entry', id: e.id, actor: e.actor, action: e.action, created: e.created, details: e.details };
}
