/** The value kinds a setting can hold. */
export type SettingKind = 'integer' | 'number' | 'boolean' | 'enum';

/** When a changed value is picked up. */
export type SettingApply = 'live' | 'restart';

interface DefinitionBase<K extends SettingKind, V> {
  readonly kind: K;
  readonly default: V;
  /** Unit shown next to values (`ms`, `bytes`, `ratio`, …); '' when unitless. */
  readonly unit: string;
  /** What the setting does, in one or two sentences. */
  readonly description: string;
  /** When an operator should change it, and in which direction. */
  readonly whenToChange: string;
  /** 'live': running processes pick up a change within a second; 'restart': next start. */
  readonly apply: SettingApply;
  /**
   * False for settings read before the database is opened (e.g. its pool size): a stored override
   * could never apply, so the admin API refuses one and points to the file or environment.
   */
  readonly overridable?: boolean;
}

/** A whole number within inclusive bounds. */
export interface IntegerSetting extends DefinitionBase<'integer', number> {
  readonly min: number;
  readonly max: number;
}

/** A real number within inclusive bounds. */
export interface NumberSetting extends DefinitionBase<'number', number> {
  readonly min: number;
  readonly max: number;
}

/** true / false. */
export type BooleanSetting = DefinitionBase<'boolean', boolean>;

/** One of a fixed list of strings. */
export interface EnumSetting<V extends string = string> extends DefinitionBase<'enum', V> {
  readonly values: readonly V[];
}

/** Any setting definition. */
export type SettingDefinition = IntegerSetting | NumberSetting | BooleanSetting | EnumSetting;

/** The value type a definition holds. */
export type ValueOf<D> = D extends EnumSetting<infer V> ? V : D extends BooleanSetting ? boolean : number;

/** Raised for a value that does not fit its setting; the message is shown to operators as is. */
export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
}

/**
 * Checks and converts a value for a setting. Strings (environment, CLI) are parsed; JSON values
 * (config file, admin API) must already have the right type, except that numeric strings are
 * accepted so `sextant config set KEY 500` and `{"value": "500"}` behave alike.
 */
export function parseSettingValue(key: string, def: SettingDefinition, raw: unknown): number | boolean | string {
  const shown = typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
  switch (def.kind) {
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : Number.NaN;
      if (!Number.isFinite(n)) throw new InvalidSettingError(`Invalid value ${shown} for ${key}: expected ${def.kind === 'integer' ? 'an integer' : 'a number'}${unitSuffix(def.unit)}.`);
      if (def.kind === 'integer' && !Number.isInteger(n)) throw new InvalidSettingError(`Invalid value ${shown} for ${key}: expected an integer${unitSuffix(def.unit)}.`);
      if (n < def.min || n > def.max) {
        throw new InvalidSettingError(`Invalid value ${shown} for ${key}: must be between ${def.min} and ${def.max}${unitSuffix(def.unit)}.`);
      }
      return n;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === 'true';
      throw new InvalidSettingError(`Invalid value ${shown} for ${key}: expected true or false.`);
    }
    case 'enum': {
      const s = typeof raw === 'string' ? raw.trim() : undefined;
      if (s === undefined || !def.values.includes(s)) {
        throw new InvalidSettingError(`Invalid value ${shown} for ${key}: expected one of ${def.values.join(', ')}.`);
      }
      return s;
    }
  }
}

function unitSuffix(unit: string): string {
  return unit ? ` (${unit})` : '';
}
