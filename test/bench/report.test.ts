import { describe, expect, it } from 'vitest';
import type { Engine, EngineOutput, SuggestFn } from '../../src/optimizer/engine-types.ts';
import { randomReference, summarizeProblemMode, tally } from '../../bench/optimizer/aggregate.ts';
import { measureCost } from '../../bench/optimizer/cost.ts';
import { renderCostMarkdown } from '../../bench/optimizer/cost-report.ts';
import { formatNumber } from '../../bench/optimizer/format-number.ts';
import { braninProblem } from '../../bench/optimizer/functions/branin.ts';
import type { JobResult } from '../../bench/optimizer/job.ts';
import type { OptimizerName } from '../../bench/optimizer/optimizers/bench-optimizer.ts';
import { renderQualityMarkdown } from '../../bench/optimizer/quality-report.ts';

function fakeRun(optimizer: OptimizerName, seed: number, final: number): JobResult {
  const curve = Array.from({ length: 20 }, (_, i) => final + (19 - i));
  return {
    format: 1,
    optimizer,
    problem: 'branin',
    seed,
    mode: 'seq',
    fingerprint: 'f',
    budget: 20,
    scores: curve.map((v) => [v]),
    bestSoFar: curve,
    timings: { wallMs: [1, 3], fitMs: [null, null], acquisitionMs: [null, null], strategies: { x: 2 } },
    totalMs: 5,
    info: {},
    error: null,
  };
}

describe('summarizeProblemMode', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const results = [
    ...seeds.map((s) => fakeRun('sextant', s, 0.4 + s * 0.001)),
    ...seeds.map((s) => fakeRun('random', s, 2 + s)),
    ...seeds.map((s) => fakeRun('tpe', s, 0.4 + s * 0.001 + (s % 2 === 0 ? 0.0005 : -0.0005))),
  ];
  const row = summarizeProblemMode(braninProblem, 'seq', 30, results);

  it('computes medians, IQRs and verdicts per optimizer', () => {
    expect(row.optimizers.random?.median).toBeCloseTo(6.5, 12);
    expect(row.optimizers.random?.q1).toBeCloseTo(4.75, 12);
    expect(row.optimizers.sextant?.runs).toBe(8);
    expect(row.vsRandom?.verdict).toBe('win');
    expect(row.vsTpe?.verdict).toBe('tie');
    expect(tally([row], 'vsRandom')).toEqual({ win: 1, tie: 0, loss: 0 });
    expect(row.optimizers.sextant?.msPerAsk).toBe(2);
  });

  it('normalizes the AUC so that lower curves score lower', () => {
    const s = row.optimizers.sextant?.aucMedian ?? NaN;
    const r = row.optimizers.random?.aucMedian ?? NaN;
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(r);
    expect(r).toBeLessThanOrEqual(1);
  });

  it('renders the markdown table with the verdicts', () => {
    const md = renderQualityMarkdown({
      generated: 'now',
      command: 'cmd',
      partial: true,
      seeds: 8,
      optimizers: ['sextant', 'tpe', 'random'],
      modes: ['seq'],
      environment: { node: 'v20' },
      fingerprints: {},
      failures: ['tpe/x-seq-s1: boom'],
      rows: [row],
    });
    expect(md).toContain('| seq | 1 / 0 / 0 | 0 / 1 / 0 |');
    expect(md).toMatch(/\| branin \| 2 \| 20 \| seq \| 0\.3979 \| 0\.4045 \[/);
    expect(md).toContain('partial run');
    expect(md).toContain('tpe/x-seq-s1: boom');
  });

  it('takes the AUC reference from random points (Branin: tens)', () => {
    const ref = randomReference(braninProblem, 300);
    expect(ref).toBeGreaterThan(5);
    expect(ref).toBeLessThan(100);
  });
});

describe('cost measurement', () => {
  it('appends one observation per warm step, threads the state, runs due refits apart and reports medians', () => {
    const states: unknown[] = [];
    const bases: (number | undefined)[] = [];
    let k = 0;
    const suggest: SuggestFn = (input): EngineOutput => {
      states.push(input.state);
      bases.push(input.base);
      k++;
      return {
        candidates: [{ assignments: { x1: 0.5 }, task: null }],
        state: { k },
        diagnostics: { strategy: 'gp', fitMs: 10 * k, acquisitionMs: k, model: input.base === undefined ? 'fitted' : 'warm' },
        ...(k === 3 ? { refitDue: 'required' as const } : k === 2 ? { refitDue: 'optional' as const } : {}),
      };
    };
    const fake: Engine = { suggest, refit: (input) => { const { refitDue: _, ...out } = suggest(input); return out; }, stats: () => ({ models: 1, bytes: 0 }) };
    const p = measureCost(5, 50, 3, fake);
    // cold, step 1, step 2 (refit due → the refit call), step 3.
    expect(states).toEqual([null, { k: 1 }, { k: 2 }, { k: 3 }, { k: 4 }]);
    expect(bases).toEqual([undefined, 50, 51, undefined, 52]);
    expect(p.cold.fitMs).toBe(10);
    expect(p.warmSamples.map((s) => s.fitMs)).toEqual([20, 30, 50]);
    expect(p.warm.fitMs).toBe(30);
    expect(p.refits.count).toBe(1);
    expect(p.warmSamples).toHaveLength(3);
    const md = renderCostMarkdown({
      generated: 'now',
      command: 'c',
      partial: false,
      reps: 3,
      environment: {},
      fingerprint: 'f',
      points: [p],
    });
    expect(md).toContain('| 5 | 50 |');
  });

  it('formats numbers compactly', () => {
    expect(formatNumber(null)).toBe('∞');
    expect(formatNumber(0.39788735)).toBe('0.3979');
    expect(formatNumber(123456789)).toBe('1.23e+8');
    expect(formatNumber(-3.32237)).toBe('-3.322');
  });
});
