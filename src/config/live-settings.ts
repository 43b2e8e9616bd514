import type { Clock } from '../domain/ports/clock.ts';
import type { AuditEntry, Page, PageRequest, Store } from '../store/store.ts';
import { type BaseLayerInputs, type LayeredValue, type SettingSource, resolveBaseLayers } from './base-layers.ts';
import { LOAD_PROFILES, findProfile } from './load-profiles.ts';
import { InvalidSettingError, type SettingDefinition, parseSettingValue } from './setting-definition.ts';
import { localSettingsBus, type SettingsBus } from './settings-bus.ts';
import { SETTINGS, SETTING_KEYS, type SettingKey, type SettingValues, definitionOf, envNameOf, isSettingKey } from './settings-registry.ts';

/** A key that names no setting, or a profile that does not exist. */
export class UnknownSettingError extends Error {
  override readonly name = 'UnknownSettingError';
}

/** Everything an operator sees about one setting. */
export interface SettingView {
  readonly key: SettingKey;
  readonly value: number | boolean | string;
  readonly source: SettingSource;
  /** The value without the live override (defaults < file < environment < command line). */
  readonly baseValue: number | boolean | string;
  readonly baseSource: SettingSource;
  readonly override: { readonly value: unknown; readonly updated: number; readonly actor: string } | null;
  readonly env: string;
  readonly definition: SettingDefinition;
}

/** The applied load profile. */
export interface ProfileView {
  readonly name: string;
  readonly applied: number;
  readonly actor: string;
}

/** Where the audit entries of settings are filed (one object, so one indexed list). */
export const SETTINGS_AUDIT_OBJECT = Object.freeze({ type: 'settings', id: 'live' });

/** How LiveSettings is built. */
export interface LiveSettingsOptions {
  readonly store: Pick<Store, 'settings' | 'audit' | 'transaction'>;
  readonly clock: Clock;
  readonly base?: BaseLayerInputs;
  readonly bus?: SettingsBus;
  /** Told about stored overrides that no longer validate (e.g. bounds narrowed by an upgrade). */
  warn?(message: string): void;
}

type Listener = (changed: readonly SettingKey[], values: SettingValues) => void;
type StoredOverride = NonNullable<SettingView['override']>;

/**
 * The effective settings of this process: static layers resolved once at start, live overrides
 * from the database on top. Reads (`get`) hit an in-memory frozen snapshot — the request hot path
 * never touches the database for a setting. Writes go to the database in a transaction with an
 * audit entry, then refresh the snapshot and are announced on the bus so other processes reload.
 */
export class LiveSettings {
  private values: SettingValues;
  private overrides = new Map<SettingKey, StoredOverride>();
  private profile: ProfileView | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly base: ReadonlyMap<SettingKey, LayeredValue>;
  private readonly bus: SettingsBus;
  private readonly unsubscribe: () => void;
  private reloading: Promise<void> = Promise.resolve();

  private constructor(private readonly opts: LiveSettingsOptions) {
    this.base = resolveBaseLayers(opts.base ?? {});
    this.values = this.compute();
    this.bus = opts.bus ?? localSettingsBus();
    this.unsubscribe = this.bus.subscribe(() => {
      this.reload().catch((err: unknown) => this.opts.warn?.(`settings reload failed: ${String(err)}`));
    });
  }

  /** Resolves the static layers (throwing on malformed file/environment values) and loads overrides. */
  static async open(opts: LiveSettingsOptions): Promise<LiveSettings> {
    const live = new LiveSettings(opts);
    await live.reload();
    return live;
  }

  /** The current value of a setting (a memory read). */
  get<K extends SettingKey>(key: K): SettingValues[K] {
    return this.values[key];
  }

  /** All current values (frozen). */
  snapshot(): SettingValues {
    return this.values;
  }

  /** Calls `listener` after values changed (locally or through the bus); returns an unsubscribe. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One setting with its layers; throws UnknownSettingError. */
  describe(key: string): SettingView {
    const k = this.known(key);
    const base = this.base.get(k) as LayeredValue;
    const override = this.overrides.get(k) ?? null;
    return {
      key: k,
      value: this.values[k],
      source: override ? 'override' : base.source,
      baseValue: base.value,
      baseSource: base.source,
      override,
      env: envNameOf(k),
      definition: definitionOf(k),
    };
  }

  /** Every setting, in registry order. */
  list(): SettingView[] {
    return SETTING_KEYS.map((k) => this.describe(k));
  }

  /** The applied profile, if any. */
  activeProfile(): ProfileView | null {
    return this.profile;
  }

  /** Validates and stores a live override. Invalid values throw InvalidSettingError and change nothing. */
  async set(key: string, raw: unknown, actor: string): Promise<SettingView> {
    const k = this.known(key);
    const def: SettingDefinition = SETTINGS[k];
    const value = parseSettingValue(k, def, raw);
    if (def.overridable === false) {
      throw new InvalidSettingError(`${k} is read before the database is opened, so it cannot be changed here: set it in the config file or ${envNameOf(k)} and restart.`);
    }
    const old = this.values[k];
    const now = this.opts.clock.now();
    await this.opts.store.transaction(async (tx) => {
      await tx.settings.putOverride({ key: k, value, updated: now, actor });
      await tx.audit.append(this.auditEntry(actor, 'setting.set', now, { key: k, old, new: value }));
    });
    await this.committed();
    return this.describe(k);
  }

  /** Removes a live override (the value falls back to the static layers). */
  async reset(key: string, actor: string): Promise<SettingView> {
    const k = this.known(key);
    const old = this.values[k];
    const now = this.opts.clock.now();
    const base = (this.base.get(k) as LayeredValue).value;
    await this.opts.store.transaction(async (tx) => {
      const removed = await tx.settings.deleteOverride(k);
      if (removed) await tx.audit.append(this.auditEntry(actor, 'setting.reset', now, { key: k, old, new: base }));
    });
    await this.committed();
    return this.describe(k);
  }

  /**
   * Replaces all live overrides with the profile's. The overrides in force before the first of a
   * series of applies are remembered, so one `revertProfile` returns to the state before it.
   */
  async applyProfile(name: string, actor: string): Promise<{ profile: ProfileView; changed: Record<string, { old: unknown; new: unknown }> }> {
    const profile = findProfile(name);
    if (!profile) {
      throw new UnknownSettingError(`Unknown profile ${JSON.stringify(name)}. Known profiles: ${LOAD_PROFILES.map((p) => p.name).join(', ')}.`);
    }
    const now = this.opts.clock.now();
    const before = this.values;
    await this.opts.store.transaction(async (tx) => {
      const current = await tx.settings.listOverrides();
      const active = await tx.settings.getActiveProfile();
      const previous = active ? active.previous : Object.fromEntries(current.map((o) => [o.key, o.value]));
      for (const o of current) await tx.settings.deleteOverride(o.key);
      for (const [key, value] of Object.entries(profile.overrides)) await tx.settings.putOverride({ key, value, updated: now, actor });
      await tx.settings.setActiveProfile({ name: profile.name, applied: now, actor, previous });
      await tx.audit.append(this.auditEntry(actor, 'profile.apply', now, { profile: profile.name, changes: diff(before, this.preview(profile.overrides)) }));
    });
    await this.committed();
    return { profile: this.profile as ProfileView, changed: diff(before, this.values) };
  }

  /** Restores the overrides that were in force before the applied profile. */
  async revertProfile(actor: string): Promise<{ reverted: string; changed: Record<string, { old: unknown; new: unknown }> }> {
    const now = this.opts.clock.now();
    const before = this.values;
    let name = '';
    await this.opts.store.transaction(async (tx) => {
      const active = await tx.settings.getActiveProfile();
      if (!active) throw new InvalidSettingError('No load profile is applied, so there is nothing to revert.');
      name = active.name;
      for (const o of await tx.settings.listOverrides()) await tx.settings.deleteOverride(o.key);
      for (const [key, value] of Object.entries(active.previous)) {
        if (isSettingKey(key)) await tx.settings.putOverride({ key, value, updated: now, actor });
      }
      await tx.settings.setActiveProfile(null);
      await tx.audit.append(this.auditEntry(actor, 'profile.revert', now, { profile: active.name, changes: diff(before, this.preview(active.previous)) }));
    });
    await this.committed();
    return { reverted: name, changed: diff(before, this.values) };
  }

  /** Audit entries of setting changes, newest first. */
  audit(page: PageRequest): Promise<Page<AuditEntry>> {
    return this.opts.store.audit.listForObject(SETTINGS_AUDIT_OBJECT.type, SETTINGS_AUDIT_OBJECT.id, page);
  }

  /**
   * Re-reads the overrides from the database and notifies listeners of changed keys. Reloads run
   * one after another: two overlapping ones (a bus message during the periodic reload) could
   * otherwise finish out of order and leave the older rows in force until the next reload.
   */
  reload(): Promise<void> {
    const run = this.reloading.then(() => this.load());
    this.reloading = run.catch(() => {});
    return run;
  }

  private async load(): Promise<void> {
    const [rows, active] = await Promise.all([this.opts.store.settings.listOverrides(), this.opts.store.settings.getActiveProfile()]);
    const next = new Map<SettingKey, StoredOverride>();
    for (const row of rows) {
      if (!isSettingKey(row.key)) {
        this.opts.warn?.(`ignoring stored override of unknown setting ${row.key}`);
        continue;
      }
      try {
        next.set(row.key, { value: parseSettingValue(row.key, SETTINGS[row.key], row.value), updated: row.updated, actor: row.actor });
      } catch (err) {
        this.opts.warn?.(`ignoring stored override: ${(err as Error).message}`);
      }
    }
    this.overrides = next;
    this.profile = active ? Object.freeze({ name: active.name, applied: active.applied, actor: active.actor }) : null;
    const before = this.values;
    this.values = this.compute();
    const changed = SETTING_KEYS.filter((k) => before[k] !== this.values[k]);
    if (changed.length > 0) for (const l of this.listeners) l(changed, this.values);
  }

  /** Stops listening to the bus. */
  close(): void {
    this.unsubscribe();
  }

  private async committed(): Promise<void> {
    await this.reload();
    await this.bus.publish();
  }

  private compute(overrides: ReadonlyMap<SettingKey, { value: unknown }> = this.overrides): SettingValues {
    const out: Record<string, unknown> = {};
    for (const k of SETTING_KEYS) out[k] = overrides.get(k)?.value ?? (this.base.get(k) as LayeredValue).value;
    return Object.freeze(out) as SettingValues;
  }

  /** The values a set of overrides would produce (for audit details). */
  private preview(overrides: Readonly<Record<string, unknown>>): SettingValues {
    const m = new Map<SettingKey, { value: unknown }>();
    for (const [k, value] of Object.entries(overrides)) if (isSettingKey(k)) m.set(k, { value });
    return this.compute(m);
  }

  private known(key: string): SettingKey {
    if (!isSettingKey(key)) throw new UnknownSettingError(`Unknown setting ${JSON.stringify(key)}. Run \`sextant config list\` for the known settings.`);
    return key;
  }

  private auditEntry(actor: string, action: string, created: number, details: Record<string, unknown>): Omit<AuditEntry, 'id'> {
    return { actor, action, objectType: SETTINGS_AUDIT_OBJECT.type, objectId: SETTINGS_AUDIT_OBJECT.id, created, details };
  }
}

function diff(a: SettingValues, b: SettingValues): Record<string, { old: unknown; new: unknown }> {
  const out: Record<string, { old: unknown; new: unknown }> = {};
  for (const k of SETTING_KEYS) if (a[k] !== b[k]) out[k] = { old: a[k], new: b[k] };
  return out;
}
