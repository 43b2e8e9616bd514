/** One live setting override as stored (value is the parsed JSON scalar). */
export interface SettingOverrideRow {
  readonly key: string;
  readonly value: unknown;
  /** Unix seconds. */
  readonly updated: number;
  /** Who set it, e.g. `token:7`. */
  readonly actor: string;
}

/** The applied load profile and the overrides it replaced. */
export interface ActiveProfileRow {
  readonly name: string;
  readonly applied: number;
  readonly actor: string;
  /** key → value of the overrides in force before the profile was applied. */
  readonly previous: Readonly<Record<string, unknown>>;
}

/**
 * Live setting overrides shared by every process of a deployment (src/config validates keys and
 * values; this only stores them). A handful of rows, read at start and after a change broadcast.
 */
export interface SettingsRepository {
  listOverrides(): Promise<SettingOverrideRow[]>;
  /** Insert or replace. */
  putOverride(row: SettingOverrideRow): Promise<void>;
  deleteOverride(key: string): Promise<boolean>;
  getActiveProfile(): Promise<ActiveProfileRow | null>;
  /** Records the applied profile, or clears it with null. */
  setActiveProfile(row: ActiveProfileRow | null): Promise<void>;
}
