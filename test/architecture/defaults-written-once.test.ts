import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESS_DEFAULTS } from '../../src/config/settings-registry.ts';

/** Every default lives in src/config/settings-registry.ts; a second copy elsewhere in src/ drifts. */
describe('defaults are written once', () => {
  it("no process default's literal appears in src/ outside the registry", () => {
    const root = resolve(import.meta.dirname, '../..');
    // Quoted exactly as a default would be written (IPC names like 'sextant:metrics-scrape' are not the prefix).
    const literals = [`'${PROCESS_DEFAULTS.dataDir}'`, `'${PROCESS_DEFAULTS.redisPrefix}'`, `:${PROCESS_DEFAULTS.port}\\b`];
    const found = literals.flatMap((pattern) => {
      const out = execSync(`git grep --untracked -n -E "${pattern}" -- src ':!src/config/settings-registry.ts' ':!*.test.ts' || true`, {
        cwd: root,
        encoding: 'utf8',
      }).trim();
      // Examples in comments (`http://127.0.0.1:8080` in TSDoc) are not defaults.
      const code = out.split('\n').filter((line) => line !== '' && !/^[^:]+:\d+:\s*(\*|\/\/|\/\*)/.test(line));
      return code.length > 0 ? [code.join('\n')] : [];
    });
    expect(found).toEqual([]);
  });
});
