import { readFileSync } from 'node:fs';
import { InvalidSettingError, parseSettingValue } from './setting-definition.ts';
import { SETTINGS, SETTING_KEYS, type SettingKey, type SettingValues, envNameOf, isSettingKey } from './settings-registry.ts';

/** Where an effective value came from, lowest precedence first. */
export type SettingSource = 'default' | 'file' | 'environment' | 'command-line' | 'override';

/** A value and the layer that set it. */
export interface LayeredValue {
  readonly value: number | boolean | string;
  readonly source: SettingSource;
}

/** The inputs of the static layers (everything below live overrides). */
export interface BaseLayerInputs {
  /** Path of a JSON file `{ "suggestion.wait_ms": 500, … }`; unknown keys are an error. */
  readonly configFile?: string | undefined;
  /** Usually process.env; `SEXTANT_SUGGESTION_WAIT_MS` etc. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Values given on the command line or by the embedding program (tests). */
  readonly options?: Readonly<Partial<SettingValues>>;
}

/**
 * Resolves defaults < config file < environment < command line into one value per key. Throws an
 * InvalidSettingError naming the file or variable when a value is malformed, so a deployment with
 * a typo fails at start instead of running with a default nobody intended.
 */
export function resolveBaseLayers(inputs: BaseLayerInputs): ReadonlyMap<SettingKey, LayeredValue> {
  const out = new Map<SettingKey, LayeredValue>();
  for (const key of SETTING_KEYS) out.set(key, { value: SETTINGS[key].default, source: 'default' });

  if (inputs.configFile) {
    for (const [key, raw] of Object.entries(readConfigFile(inputs.configFile))) {
      if (!isSettingKey(key)) throw new InvalidSettingError(`Unknown setting ${JSON.stringify(key)} in ${inputs.configFile}.`);
      out.set(key, { value: withContext(inputs.configFile, () => parseSettingValue(key, SETTINGS[key], raw)), source: 'file' });
    }
  }
  for (const key of SETTING_KEYS) {
    const name = envNameOf(key);
    const raw = inputs.env?.[name];
    if (raw === undefined || raw === '') continue;
    out.set(key, { value: withContext(name, () => parseSettingValue(key, SETTINGS[key], raw)), source: 'environment' });
  }
  for (const [key, raw] of Object.entries(inputs.options ?? {})) {
    if (raw === undefined) continue;
    if (!isSettingKey(key)) throw new InvalidSettingError(`Unknown setting ${JSON.stringify(key)}.`);
    out.set(key, { value: parseSettingValue(key, SETTINGS[key], raw), source: 'command-line' });
  }
  return out;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidSettingError(`Cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidSettingError(`Config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidSettingError(`Config file ${path} must hold a JSON object of setting keys and values.`);
  }
  return parsed as Record<string, unknown>;
}

function withContext<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InvalidSettingError) throw new InvalidSettingError(`${where}: ${err.message}`);
    throw err;
  }
}
