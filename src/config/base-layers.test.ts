import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveBaseLayers } from './base-layers.ts';
import { LOAD_PROFILES } from './load-profiles.ts';
import { InvalidSettingError, parseSettingValue, type SettingDefinition } from './setting-definition.ts';
import { SETTINGS, SETTING_KEYS, definitionOf } from './settings-registry.ts';

const dir = mkdtempSync(join(tmpdir(), 'sextant-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('setting values', () => {
  it('every default lies within its own bounds and every profile value validates', () => {
    for (const key of SETTING_KEYS) expect(parseSettingValue(key, definitionOf(key), SETTINGS[key].default)).toBe(SETTINGS[key].default);
    for (const p of LOAD_PROFILES) {
      for (const [k, v] of Object.entries(p.overrides)) {
        expect(parseSettingValue(k, definitionOf(k as never), v)).toBe(v);
        expect(definitionOf(k as never).overridable).not.toBe(false);
      }
    }
  });

  it('integers: in-range strings and numbers are accepted, anything else is a clear error', () => {
    const def: SettingDefinition = SETTINGS['suggestion.wait_ms'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60_000 }), (n) => {
        expect(parseSettingValue('k', def, n)).toBe(n);
        expect(parseSettingValue('k', def, ` ${n} `)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 60_001 })), (n) => {
        expect(() => parseSettingValue('k', def, n)).toThrow(`Invalid value ${n} for k: must be between 0 and 60000 (ms).`);
      }),
    );
    for (const bad of ['', 'abc', '1e999', null, true, {}]) expect(() => parseSettingValue('k', def, bad)).toThrow(InvalidSettingError);
  });

  it('booleans and enums', () => {
    expect(parseSettingValue('b', SETTINGS['log.request_sizes'], 'TRUE')).toBe(true);
    expect(parseSettingValue('b', SETTINGS['log.request_sizes'], false)).toBe(false);
    expect(() => parseSettingValue('b', SETTINGS['log.request_sizes'], 1)).toThrow('expected true or false');
    expect(parseSettingValue('l', SETTINGS['log.level'], 'debug')).toBe('debug');
    expect(() => parseSettingValue('l', SETTINGS['log.level'], 'DEBUG')).toThrow('expected one of fatal, error');
  });
});

describe('static layers: defaults < config file < environment < command line', () => {
  it('each layer overrides the one below and names itself as the source', () => {
    const configFile = file('layers.json', JSON.stringify({ 'suggestion.wait_ms': 100, 'suggestion.pool_size': 20, 'log.level': 'warn' }));
    const layers = resolveBaseLayers({
      configFile,
      env: { SEXTANT_SUGGESTION_POOL_SIZE: '30', SEXTANT_LOG_LEVEL: 'debug', SEXTANT_DATA_DIR: '/ignored' },
      options: { 'log.level': 'error' },
    });
    expect(layers.get('suggestion.wait_ms')).toEqual({ value: 100, source: 'file' });
    expect(layers.get('suggestion.pool_size')).toEqual({ value: 30, source: 'environment' });
    expect(layers.get('log.level')).toEqual({ value: 'error', source: 'command-line' });
    expect(layers.get('engine.threads')).toEqual({ value: 1, source: 'default' });
  });

  it('names the file or variable of a malformed value, and rejects unknown keys in the file', () => {
    expect(() => resolveBaseLayers({ env: { SEXTANT_SUGGESTION_WAIT_MS: 'soon' } })).toThrow(
      'SEXTANT_SUGGESTION_WAIT_MS: Invalid value "soon" for suggestion.wait_ms: expected an integer (ms).',
    );
    const typo = file('typo.json', JSON.stringify({ 'suggestion.wait': 5 }));
    expect(() => resolveBaseLayers({ configFile: typo })).toThrow(`Unknown setting "suggestion.wait" in ${typo}.`);
    const broken = file('broken.json', '{ "suggestion.wait_ms": ');
    expect(() => resolveBaseLayers({ configFile: broken })).toThrow(`Config file ${broken} is not valid JSON`);
    const array = file('array.json', '[]');
    expect(() => resolveBaseLayers({ configFile: array })).toThrow('must hold a JSON object');
    expect(() => resolveBaseLayers({ configFile: join(dir, 'missing.json') })).toThrow('Cannot read config file');
  });
});
