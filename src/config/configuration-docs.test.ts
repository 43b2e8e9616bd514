import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDocs } from './configuration-docs.ts';
import { SETTING_KEYS, envNameOf } from './settings-registry.ts';

describe('docs/configuration.md', () => {
  it('is the generated reference of the current registry (regenerate: npm run sextant -- config docs > docs/configuration.md)', () => {
    const committed = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderConfigurationDocs());
  });

  it('documents every setting with its environment variable', () => {
    const text = renderConfigurationDocs();
    for (const key of SETTING_KEYS) {
      expect(text).toContain(`### \`${key}\``);
      expect(text).toContain(envNameOf(key));
    }
  });
});
