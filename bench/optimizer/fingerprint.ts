import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { OptimizerName } from './optimizers/bench-optimizer.ts';
import { REPO_ROOT } from './job.ts';

/** Sources a run of each optimizer depends on, besides the shared harness and problems. */
const SOURCES: Readonly<Record<OptimizerName, readonly string[]>> = {
  sextant: ['src/optimizer', 'src/numerics', 'bench/optimizer/optimizers/sextant-optimizer.ts'],
  random: [
    'src/optimizer/space',
    'src/numerics/rng.ts',
    'bench/optimizer/optimizers/random-optimizer.ts',
  ],
  tpe: ['bench/optimizer/optuna_driver.py', 'bench/optimizer/optimizers/tpe-optimizer.ts'],
};

const SHARED = ['bench/optimizer/functions', 'bench/optimizer/simulate-run.ts', 'bench/optimizer/run-job.ts'];

/**
 * Hash of every non-test source file a run of `optimizer` depends on. Cached results carry it, so
 * after an engine change the sextant runs are recomputed while TPE and random runs are reused.
 */
export async function optimizerFingerprint(optimizer: OptimizerName): Promise<string> {
  const files: string[] = [];
  for (const p of [...SHARED, ...SOURCES[optimizer]]) files.push(...(await listFiles(join(REPO_ROOT, p))));
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    hash.update(relative(REPO_ROOT, f));
    hash.update(await readFile(f));
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true, recursive: true });
    return entries
      .filter((e) => e.isFile() && /\.(ts|py)$/.test(e.name) && !e.name.endsWith('.test.ts'))
      .map((e) => join(e.parentPath, e.name));
  } catch (err) {
    // A single file (readdir fails with ENOTDIR) or a module not written yet (ENOENT).
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return [path];
    if (code === 'ENOENT') return [];
    throw err;
  }
}
