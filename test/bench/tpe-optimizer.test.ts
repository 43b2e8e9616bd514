import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { constrainedBraninProblem } from '../../bench/optimizer/functions/constrained-branin.ts';
import { braninCurrinProblem } from '../../bench/optimizer/functions/branin-currin.ts';
import { mixedProblem } from '../../bench/optimizer/functions/mixed.ts';
import { SYSTEM_PYTHON, createTpeOptimizer, optunaProblem } from '../../bench/optimizer/optimizers/tpe-optimizer.ts';

// The driver needs Debian's python3-optuna; machines without it skip the process tests.
const hasOptuna = spawnSync(SYSTEM_PYTHON, ['-c', 'import optuna']).status === 0;

describe('optunaProblem', () => {
  it('maps ints, categoricals and log doubles to Optuna distributions', () => {
    const p = optunaProblem(mixedProblem.spec);
    expect(p.params).toEqual([
      { name: 'activation', type: 'categorical', choices: ['relu', 'tanh', 'sigmoid', 'gelu'] },
      { name: 'dropout', type: 'float', low: 0, high: 0.9, log: false },
      { name: 'layers', type: 'int', low: 1, high: 12, log: false },
      { name: 'learning_rate', type: 'float', low: 1e-5, high: 1, log: true },
    ]);
    expect(p.objectives).toEqual(['f']);
    expect(p.constraints).toEqual([]);
  });

  it('turns a ≤-threshold constraint metric into Optuna\'s "≤ 0 is feasible" form', () => {
    const p = optunaProblem(constrainedBraninProblem.spec);
    expect(p.objectives).toEqual(['f']);
    expect(p.constraints).toEqual([{ name: 'c', threshold: 50, sign: 1 }]);
    expect(optunaProblem(braninCurrinProblem.spec).objectives).toEqual(['branin', 'currin']);
  });
});

describe.skipIf(!hasOptuna)('TPE driver process', () => {
  it('asks valid mixed-space points, is reproducible per seed, and accepts tells', async () => {
    const run = async (): Promise<unknown[]> => {
      const opt = await createTpeOptimizer(mixedProblem.spec, 11, true);
      const out: unknown[] = [];
      const open = [await opt.ask(), await opt.ask()];
      for (let i = 0; i < 12; i++) {
        const t = open.shift();
        if (t === undefined) break;
        out.push(t.assignments);
        await opt.tell(t, mixedProblem.evaluate(t.assignments, null as never).values);
        open.push(await opt.ask());
      }
      await opt.close();
      return out;
    };
    const a = await run();
    expect(a).toEqual(await run());
    for (const x of a as Record<string, number | string>[]) {
      expect(['relu', 'tanh', 'sigmoid', 'gelu']).toContain(x['activation']);
      expect(Number.isInteger(x['layers'])).toBe(true);
      expect(x['learning_rate']).toBeGreaterThanOrEqual(1e-5);
      expect(x['learning_rate']).toBeLessThanOrEqual(1);
    }
  });

  it('handles constrained and two-objective studies', async () => {
    for (const problem of [constrainedBraninProblem, braninCurrinProblem]) {
      const opt = await createTpeOptimizer(problem.spec, 1, false);
      for (let i = 0; i < 12; i++) {
        const t = await opt.ask();
        await opt.tell(t, problem.evaluate(t.assignments, null as never).values);
      }
      await opt.close();
    }
  });
});
