import { describe, expect, test } from 'vitest';
import type { EngineInput } from '../optimizer/engine-types.ts';
import { makeParameter, makeSpec } from '../../test/support/kits/space-arbitraries.ts';
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
      // The thread keeps the warm model: a delta input is answered without the history.
      const warm = await pool.suggest({ ...input, modelKey: 'x' });
      const next = { assignments: { a: 0.5, b: 0 }, task: null, failed: false, values: [{ name: null, value: 0.3, valueStddev: null }] };
      const delta = await pool.suggest({
        ...input,
        modelKey: 'x',
        observations: [next],
        base: observations.length,
        state: warm.state,
        seed: 11,
      });
      expect(delta.needsHistory).toBeUndefined();
      expect(delta.diagnostics.model).toBe('warm');
      expect(delta.candidates).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});
