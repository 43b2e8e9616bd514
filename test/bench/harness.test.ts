import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/numerics/rng.ts';
import type { Engine, EngineInput, EngineOutput, ModelState, SuggestFn } from '../../src/optimizer/engine-types.ts';
import { braninProblem } from '../../bench/optimizer/functions/branin.ts';
import { noisyHartmann6Problem } from '../../bench/optimizer/functions/noisy-hartmann6.ts';
import { decodeScore, encodeScore, jobKey } from '../../bench/optimizer/job.ts';
import type { BenchOptimizer, Ticket } from '../../bench/optimizer/optimizers/bench-optimizer.ts';
import { callSeed, createSextantOptimizer } from '../../bench/optimizer/optimizers/sextant-optimizer.ts';
import { runJob } from '../../bench/optimizer/run-job.ts';
import { simulateRun } from '../../bench/optimizer/simulate-run.ts';

/** An optimizer that walks a fixed sequence and records how many tickets were open at each ask. */
function scriptedOptimizer(): BenchOptimizer & { openAtAsk: number[]; told: number[] } {
  let next = 0;
  const open = new Set<number>();
  const openAtAsk: number[] = [];
  const told: number[] = [];
  return {
    openAtAsk,
    told,
    timings: [],
    ask() {
      openAtAsk.push(open.size);
      const id = next++;
      open.add(id);
      return Promise.resolve({ id, assignments: { x1: -5 + (id % 15), x2: id % 15 } });
    },
    tell(t: Ticket) {
      open.delete(t.id);
      told.push(t.id);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

describe('simulateRun', () => {
  it('sequential mode never has a pending point and spends exactly the budget', async () => {
    const opt = scriptedOptimizer();
    const records = await simulateRun(braninProblem, opt, 1, createRng(1));
    expect(records).toHaveLength(braninProblem.budget);
    expect(opt.openAtAsk.every((n) => n === 0)).toBe(true);
  });

  it('four workers keep three other suggestions pending and complete the oldest first', async () => {
    const opt = scriptedOptimizer();
    const records = await simulateRun(braninProblem, opt, 4, createRng(1));
    expect(records).toHaveLength(braninProblem.budget);
    // Ramp-up 0,1,2,3 then steady state with 3 pending at every ask; no wasted suggestions.
    expect(opt.openAtAsk.slice(0, 5)).toEqual([0, 1, 2, 3, 3]);
    expect(opt.openAtAsk).toHaveLength(braninProblem.budget);
    expect(opt.told).toEqual([...Array(braninProblem.budget).keys()]);
  });

  it('gives every optimizer the same noise sequence for a seed', async () => {
    const a = await simulateRun(noisyHartmann6Problem, fixedPoint(), 1, createRng(9));
    const b = await simulateRun(noisyHartmann6Problem, fixedPoint(), 4, createRng(9));
    expect(a.map((r) => r.scores[0])).toEqual(b.map((r) => r.scores[0]));
  });
});

function fixedPoint(): BenchOptimizer {
  let id = 0;
  return {
    timings: [],
    ask: () => Promise.resolve({ id: id++, assignments: { x1: 0.2, x2: 0.2, x3: 0.5, x4: 0.3, x5: 0.3, x6: 0.7 } }),
    tell: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

describe('sextant adapter', () => {
  it('passes open tickets as pending, threads the state and varies the seed per call', async () => {
    const inputs: EngineInput[] = [];
    const suggest: SuggestFn = (input): EngineOutput => {
      inputs.push(input);
      const state: ModelState = { calls: inputs.length };
      const k = inputs.length;
      return {
        candidates: [{ assignments: { x1: k, x2: k }, task: null }],
        state,
        diagnostics: { strategy: 'fake', fitMs: 1, acquisitionMs: 2 },
      };
    };
    const fake: Engine = { suggest, refit: suggest, stats: () => ({ models: 0, bytes: 0 }) };
    const opt = createSextantOptimizer(fake, braninProblem.spec, 5);
    const t1 = await opt.ask();
    const t2 = await opt.ask();
    await opt.tell(t1, [{ name: 'f', value: 3, valueStddev: null }]);
    await opt.ask();
    expect(inputs.map((i) => i.pending.length)).toEqual([0, 1, 1]);
    expect(inputs[2]?.pending[0]?.assignments).toEqual(t2.assignments);
    expect(inputs[2]?.observations).toHaveLength(1);
    expect(inputs.map((i) => i.state)).toEqual([null, { calls: 1 }, { calls: 2 }]);
    expect(new Set(inputs.map((i) => i.seed)).size).toBe(3);
    expect(inputs.map((i) => i.seed)).toEqual([0, 1, 2].map((c) => callSeed(5, c)));
    expect(opt.timings.map((t) => t.strategy)).toEqual(['fake', 'fake', 'fake']);
    expect(inputs.every((i) => i.count === 1 && i.experiment === braninProblem.spec)).toBe(true);
  });

  it('derives distinct 32-bit call seeds for different runs', () => {
    const seeds = new Set<number>();
    for (let run = 1; run <= 10; run++) for (let c = 0; c < 100; c++) seeds.add(callSeed(run, c));
    expect(seeds.size).toBe(1000);
    expect([...seeds].every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
  });
});

describe('runJob', () => {
  it('runs random search reproducibly and records a non-increasing best-so-far curve', async () => {
    const job = { optimizer: 'random', problem: 'branin', seed: 3, mode: 'seq', fingerprint: 't' } as const;
    const a = await runJob(job);
    const b = await runJob(job);
    expect(a.error).toBeNull();
    expect(a.bestSoFar).toHaveLength(20);
    expect(a.bestSoFar).toEqual(b.bestSoFar);
    const curve = a.bestSoFar.map(decodeScore);
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThanOrEqual(curve[i - 1] ?? Infinity);
    expect(a.timings.wallMs).toHaveLength(20);
  });

  it('reports an unknown failure as a result, not an exception', async () => {
    const r = await runJob({ optimizer: 'nope' as 'random', problem: 'branin', seed: 1, mode: 'seq', fingerprint: 't' });
    expect(r.error).not.toBeNull();
  });
});

describe('job encoding', () => {
  it('round-trips +∞ through JSON as null and names cache entries stably', () => {
    expect(encodeScore(Infinity)).toBeNull();
    expect(decodeScore(encodeScore(Infinity))).toBe(Infinity);
    expect(decodeScore(encodeScore(-2.5))).toBe(-2.5);
    expect(jobKey({ optimizer: 'tpe', problem: 'branin', seed: 2, mode: 'par4' })).toBe('tpe/branin-par4-s2');
  });
});
