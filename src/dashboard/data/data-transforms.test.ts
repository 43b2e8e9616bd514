import { describe, expect, test } from 'vitest';
import type { Experiment, Observation } from '../types.ts';
import { bestSoFar } from './best-so-far.ts';
import { parseCsv, toCsv } from './csv.ts';
import { lttb } from './lttb.ts';
import { observationTable } from './observation-table.ts';
import { dominates, paretoFrontier, withinThresholds } from './pareto.ts';

describe('bestSoFar', () => {
  test('maximize keeps the running maximum; failed values carry the previous best', () => {
    expect(bestSoFar([null, 1, 3, null, 2, 5], 'maximize')).toEqual([null, 1, 3, 3, 3, 5]);
  });
  test('minimize keeps the running minimum', () => {
    expect(bestSoFar([4, 5, 2, 3, 1], 'minimize')).toEqual([4, 4, 2, 2, 1]);
  });
  test('empty input gives an empty line', () => {
    expect(bestSoFar([], 'maximize')).toEqual([]);
  });
});

describe('paretoFrontier', () => {
  test('keeps exactly the non-dominated points, each objective in its direction', () => {
    const points = [
      [1, 5],
      [2, 4],
      [1.5, 3], // dominated by [2, 4]
      [3, 1],
      [0, 6],
      [3, 0.5], // dominated by [3, 1]
    ];
    expect(paretoFrontier(points, ['maximize', 'maximize'])).toEqual([0, 1, 3, 4]);
    // Minimizing the second metric turns the picture around.
    expect(paretoFrontier(points, ['maximize', 'minimize'])).toEqual([5]);
  });
  test('agrees with the brute-force definition on random points, three objectives', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const objectives = ['maximize', 'minimize', 'maximize'] as const;
    const points = Array.from({ length: 200 }, () => [rnd(), rnd(), Math.round(rnd() * 5)]);
    const brute = points.map((_, i) => i).filter((i) => !points.some((q) => dominates(q, points[i]!, objectives)));
    expect(paretoFrontier(points, objectives)).toEqual(brute);
  });
  test('thresholds: maximize needs ≥, minimize needs ≤, null means none', () => {
    expect(withinThresholds([0.8, 3], [0.5, 4], ['maximize', 'minimize'])).toBe(true);
    expect(withinThresholds([0.4, 3], [0.5, null], ['maximize', 'minimize'])).toBe(false);
    expect(withinThresholds([0.9, 5], [null, 4], ['maximize', 'minimize'])).toBe(false);
  });
});

describe('lttb', () => {
  test('returns every point when the budget is not smaller than the series', () => {
    expect(lttb([0, 1, 2], [1, 2, 3], 10)).toEqual([0, 1, 2]);
  });
  test('keeps the first, last and extreme points within the budget, in order', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x / 50));
    ys[500] = 40; // a spike must survive downsampling
    const kept = lttb(xs, ys, 50);
    expect(kept).toHaveLength(50);
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(999);
    expect(kept).toContain(500);
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });
  test('skips non-finite values (failed observations)', () => {
    expect(lttb([0, 1, 2, 3], [1, Number.NaN, 2, 3], 10)).toEqual([0, 2, 3]);
  });
});

describe('CSV', () => {
  test('quotes commas, quotes and line breaks; null is empty; round-trips', () => {
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        ['x,y', 'say "hi"', null],
        [1.5, true, 'two\nlines'],
      ],
    );
    expect(csv).toBe('a,b,c\r\n"x,y","say ""hi""",\r\n1.5,true,"two\nlines"\r\n');
    expect(parseCsv(csv)).toEqual([
      ['a', 'b', 'c'],
      ['x,y', 'say "hi"', ''],
      ['1.5', 'true', 'two\nlines'],
    ]);
  });
  test('numbers read back to the same double', () => {
    const v = 0.1 + 0.2;
    expect(Number(parseCsv(toCsv(['v'], [[v]]))[1]![0])).toBe(v);
  });
});

describe('observationTable', () => {
  const experiment = {
    parameters: [{ name: 'a' }, { name: 'b' }],
    metrics: [{ name: 'f' }, { name: 'g' }],
  } as unknown as Experiment;
  test('one column per parameter, metric value and stddev; failed rows have empty values', () => {
    const obs = [
      {
        id: '2',
        created: 10,
        suggestion: null,
        failed: true,
        assignments: { a: 1, b: 'x' },
        values: [],
        metadata: null,
      },
      {
        id: '1',
        created: 9,
        suggestion: '4',
        failed: false,
        assignments: { a: 0.5, b: null },
        values: [
          { name: 'f', value: 3, value_stddev: 0.1 },
          { name: 'g', value: -1, value_stddev: null },
        ],
        metadata: { k: 'v' },
      },
    ] as unknown as Observation[];
    const t = observationTable(experiment, obs);
    expect(t.columns).toEqual(['id', 'created', 'suggestion', 'failed', 'a', 'b', 'f', 'g', 'f_stddev', 'g_stddev', 'metadata']);
    expect(t.rows).toEqual([
      ['2', 10, null, true, 1, 'x', null, null, null, null, null],
      ['1', 9, '4', false, 0.5, null, 3, -1, 0.1, null, '{"k":"v"}'],
    ]);
  });
});
