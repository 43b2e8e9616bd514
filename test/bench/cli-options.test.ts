import { describe, expect, it } from 'vitest';
import { parseBenchOptions, type BenchOptions } from '../../bench/optimizer/cli-options.ts';

function parse(args: string[]): BenchOptions {
  const o = parseBenchOptions(args);
  if (o === 'help') throw new Error('unexpected help');
  return o;
}

describe('parseBenchOptions', () => {
  it('runs the full suite and the cost benchmark by default', () => {
    const o = parse([]);
    expect(o.functions).toHaveLength(13);
    expect(o.seeds).toBe(10);
    expect(o.optimizers).toEqual(['sextant', 'tpe', 'random']);
    expect(o.modes).toEqual(['seq', 'par4']);
    expect(o).toMatchObject({ runQuality: true, runCost: true, partialQuality: false, partialCost: false });
  });

  it('--quick narrows to 2 seeds on 3 functions and skips the cost benchmark', () => {
    const o = parse(['--quick', '--optimizers', 'random,tpe']);
    expect(o).toMatchObject({ seeds: 2, functions: ['branin', 'hartmann3', 'mixed'], runCost: false });
    expect(o.partialQuality).toBe(true);
  });

  it('selects functions, seeds, modes and cost-only runs', () => {
    const o = parse(['--functions', 'branin,mixed', '--seeds', '3', '--modes', 'seq', '--cost']);
    expect(o).toMatchObject({ functions: ['branin', 'mixed'], seeds: 3, modes: ['seq'], runCost: true });
    const c = parse(['--cost-only', '--cost-points', '5x50,5x200']);
    expect(c).toMatchObject({
      runQuality: false,
      runCost: true,
      costPoints: [
        { d: 5, n: 50 },
        { d: 5, n: 200 },
      ],
      partialCost: true,
    });
    expect(() => parse(['--cost-points', '5by50'])).toThrow(/DxN/);
    expect(parseBenchOptions(['--help'])).toBe('help');
  });

  it('rejects unknown names and bad numbers', () => {
    expect(() => parse(['--functions', 'nope'])).toThrow(/unknown function/);
    expect(() => parse(['--optimizers', 'cmaes'])).toThrow(/unknown optimizer/);
    expect(() => parse(['--modes', 'par8'])).toThrow(/unknown mode/);
    expect(() => parse(['--seeds', '0'])).toThrow(/positive integer/);
    expect(() => parse(['--bogus'])).toThrow();
  });
});
