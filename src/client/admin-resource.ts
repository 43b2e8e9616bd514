import type { ClientCaller } from './client-caller.ts';
import type { CallOptions } from './http-transport.ts';

/**
 * An answer of the operator API. These routes are Sextant's own (not SigOpt v1) and their shapes
 * are documented in docs/security.md and docs/configuration.md; the client passes them through.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AdminAnswer = Record<string, any>;

/** The operator API: live settings, load profiles, audit, and tenancy (organizations, clients, users, tokens). */
export class AdminResource {
  constructor(private readonly c: ClientCaller) {}

  listSettings(opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.settings.list', {}, {}, opts);
  }
  getSetting(key: string, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.settings.get', { key }, {}, opts);
  }
  /** Stores a live override (the value as text or JSON; the server parses it by the setting's type). */
  setSetting(key: string, value: unknown, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.settings.set', { key }, { body: { value } }, opts);
  }
  resetSetting(key: string, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.settings.reset', { key }, {}, opts);
  }
  listProfiles(opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.profiles.list', {}, {}, opts);
  }
  applyProfile(name: string, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.profiles.apply', { name }, {}, opts);
  }
  revertProfile(opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.profiles.revert', {}, {}, opts);
  }
  /** Settings changes, newest first. */
  settingsAudit(query: { readonly limit?: number | string } = {}, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.audit.list', {}, { query }, opts);
  }
  createOrganization(body: { readonly name: string }, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.organization.create', {}, { body }, opts);
  }
  createClient(body: { readonly organization: string; readonly name: string }, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.client.create', {}, { body }, opts);
  }
  createUser(body: { readonly email: string; readonly name?: string }, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.user.create', {}, { body }, opts);
  }
  putMembership(clientId: string, body: { readonly user: string; readonly role: string }, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.membership.put', { clientId }, { body }, opts);
  }
  deleteMembership(clientId: string, userId: string, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.membership.delete', { clientId, userId }, {}, opts);
  }
  createToken(body: Readonly<Record<string, unknown>>, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.token.create', {}, { body }, opts);
  }
  listTokens(clientId: string, query: { readonly include_revoked?: boolean } = {}, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.token.list', { clientId }, { query }, opts);
  }
  /** Revokes by id or by value. */
  revokeToken(token: string, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.token.revoke', { token }, {}, opts);
  }
  rotateToken(token: string, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.token.rotate', { token }, {}, opts);
  }
  /** The tenancy audit log (who did what to which object). */
  auditLog(query: Readonly<Record<string, string | number | undefined>> = {}, opts?: CallOptions): Promise<AdminAnswer> {
    return this.c.call('admin.audit_log.list', {}, { query }, opts);
  }
}
