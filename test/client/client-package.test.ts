import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('the sextant/client package entry', () => {
  it('compiles for a browser: DOM and ES2022 only, no Node types (so no node: imports sneak in)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sextant-client-browser-'));
    try {
      const config = {
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          types: [],
          noEmit: true,
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
        },
        files: [join(root, 'src/client/index.ts')],
      };
      await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(config));
      const result = await new Promise<{ code: number; out: string }>((resolve) =>
        execFile(
          process.execPath,
          [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')],
          { cwd: root },
          (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }),
        ),
      );
      expect(result.out).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('package.json exports ./client from where `npm run build` writes it', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    const build = JSON.parse(await readFile(join(root, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    const emitted = `./${build.compilerOptions.outDir}/client/index`;
    expect(build.compilerOptions.rootDir).toBe('src');
    expect(pkg.exports['./client']).toEqual({ types: `${emitted}.d.ts`, default: `${emitted}.js` });
  });
});
