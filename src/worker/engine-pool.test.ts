import { describe, expect, test } from 'vitest';
import type { EngineInput } from '../optimizer/engine-types.ts';
import { makeParameter, makeSpec } from '../optimizer/space/test-arbitraries.ts';
import { suggest } from '../optimizer/suggest.ts';
import { createEnginePool } from './engine-pool.ts';

describe('engine pool', () => {
  test('runs suggest in worker threads with the same result as in-process', async () => {
    const spec = makeSpec({ parameters: [makeParameter('a'), makeParameter('b', { bounds: { min: -3, max: 3 } })] });
    const observations = Array.from({ length: 10 }, (_, i) => ({
      assignments: { a: (i * 0.31) % 1, b: -3 + ((i * 1.7) % 6) },
      task: null,
      failed: false,
      values: [{ name: null, value: Math.cos(i), valueStddev: null }],
    }));
    const input: EngineInput = { experiment: spec, observations, pending: [], state: null, count: 2, seed: 9 };
    const pool = createEnginePool({ threads: 2 });
    try {
      const [a, b] = await Promise.all([pool.suggest(input), pool.suggest({ ...input, seed: 10 })]);
      expect(a.candidates).toEqual(suggest(input).candidates);
      expect(a.diagnostics.strategy).toMatch(/^gp/);
      expect(b.candidates).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});
