import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SextantClient } from '../../src/client/index.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      ['--import', 'tsx', ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    ),
  );
}

/** The runnable examples of examples/ against a test server, with small budgets. */
describe('examples', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer('pglite', { settings: { 'suggestion.wait_ms': 500 } });
  }, 60_000);
  afterAll(async () => {
    await srv?.close();
  });

  it('tune-random-forest.ts tunes a random forest on iris through the client loop', async () => {
    const r = await run(['examples/tune-random-forest.ts'], { SEXTANT_URL: srv.url, SEXTANT_API_TOKEN: srv.token, SEXTANT_BUDGET: '4' });
    expect(r.code, r.stderr).toBe(0);
    const id = /experiment (\d+)/.exec(r.stdout)?.[1] ?? '';
    const exp = await new SextantClient({ url: srv.url, token: srv.token }).experiment(id).get();
    expect(exp.progress?.observation_count).toBe(4);
    const accuracy = Number(/best: .* → accuracy ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(accuracy).toBeGreaterThan(0.6); // three classes: chance is 1/3
  });

  it('optimize-shell tunes a bash script with sextant optimize', async () => {
    const r = await run(
      [
        'src/cli/main.ts',
        'optimize',
        '--experiment',
        'examples/optimize-shell/exp.yml',
        '--budget',
        '3',
        '--url',
        srv.url,
        '--token',
        srv.token,
        '--',
        'bash',
        'examples/optimize-shell/train.sh',
        '--rate',
        '{rate}',
        '--layers',
        '{layers}',
      ],
      { SEXTANT_API_TOKEN: '' },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Done: experiment \d+, 3\/3 observations \(3 in this run, 0 failed\)/);
  });
});
