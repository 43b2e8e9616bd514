import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPool } from '../../bench/optimizer/job-pool.ts';
import { cachePath, readCached, type Job } from '../../bench/optimizer/job.ts';

describe('runPool (real child processes)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sextant-bench-'));
    process.env['SEXTANT_BENCH_CACHE_DIR'] = dir;
  });
  afterAll(() => {
    delete process.env['SEXTANT_BENCH_CACHE_DIR'];
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs jobs in children, caches each result and reports failures without stopping', async () => {
    const jobs: Job[] = [
      { optimizer: 'random', problem: 'branin', seed: 1, mode: 'seq', fingerprint: 'fp' },
      { optimizer: 'random', problem: 'mixed', seed: 2, mode: 'par4', fingerprint: 'fp' },
      { optimizer: 'bogus' as 'random', problem: 'branin', seed: 1, mode: 'seq', fingerprint: 'fp' },
    ];
    const seen: string[] = [];
    const outcomes = await runPool(jobs, 2, (o) => seen.push(o.job.problem));
    expect(seen).toHaveLength(3);
    expect(outcomes.filter((o) => o.error === null)).toHaveLength(2);
    expect(cachePath(jobs[0] as Job).startsWith(dir)).toBe(true);
    const cached = await readCached(jobs[1] as Job);
    expect(cached?.bestSoFar).toHaveLength(40);
    // A failed run is written (for the report) but not treated as a cache hit, so it is retried.
    expect(await readCached(jobs[2] as Job)).toBeNull();
    // A different fingerprint (changed code) invalidates the cached run.
    expect(await readCached({ ...(jobs[0] as Job), fingerprint: 'other' })).toBeNull();
  });
});
