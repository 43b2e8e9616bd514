import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { experimentSpecArbitrary, assignmentProblems, makeCategorical, makeParameter, makeSpec } from './space-arbitraries.ts';

describe('experimentSpecArbitrary', () => {
  test('produces specs that respect the validation rules the toolkit relies on', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary(), (spec) => {
        const live = spec.parameters.filter((p) => !p.deleted);
        expect(live.length).toBeGreaterThan(0);
        const names = spec.parameters.map((p) => p.name);
        expect([...names].sort()).toEqual(names);
        for (const p of spec.parameters) {
          if (p.type === 'categorical') {
            expect(p.categoricalValues?.some((c) => !c.deleted)).toBe(true);
            expect(p.bounds).toBeNull();
            continue;
          }
          const b = p.bounds;
          expect(b).not.toBeNull();
          if (b === null) continue;
          expect(b.max - b.min).toBeGreaterThanOrEqual(1e-8); // P5
          if (p.type === 'int') expect(Number.isInteger(b.min) && Number.isInteger(b.max)).toBe(true);
          if (p.transformation === 'log') expect(b.min).toBeGreaterThan(0);
          if (p.grid !== null) {
            expect(p.grid.length).toBeGreaterThanOrEqual(2);
            expect(new Set(p.grid).size).toBe(p.grid.length);
            expect(p.prior).toBeNull();
          }
          if (p.prior?.name === 'normal') {
            expect(p.prior.mean).toBeGreaterThanOrEqual(b.min);
            expect(p.prior.mean).toBeLessThanOrEqual(b.max);
          }
        }
        for (const c of spec.conditionals) {
          for (const v of c.values) {
            expect(live.some((p) => p.conditions[c.name]?.includes(v) ?? false)).toBe(true); // C6
          }
        }
        for (const c of spec.linearConstraints) {
          expect(c.terms.length).toBeGreaterThanOrEqual(2);
          const types = new Set(
            c.terms.map((t) => {
              const p = spec.parameters.find((q) => q.name === t.name);
              expect(p?.deleted).toBe(false);
              expect(p?.grid).toBeNull();
              expect(p?.transformation).toBeNull();
              expect(Object.keys(p?.conditions ?? {})).toEqual([]);
              return p?.type;
            }),
          );
          expect(types.size).toBe(1); // L7
        }
      }),
      { numRuns: 300 },
    );
  });

  test('grid experiments: only grids and categoricals, no conditionals', () => {
    fc.assert(
      fc.property(experimentSpecArbitrary({ type: 'grid' }), (spec) => {
        expect(spec.conditionals).toEqual([]);
        for (const p of spec.parameters) expect(p.type === 'categorical' || p.grid !== null).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('assignmentProblems', () => {
  const spec = makeSpec({
    parameters: [
      makeParameter('d', { bounds: { min: 0, max: 1 }, precision: 2 }),
      makeParameter('i', { type: 'int', bounds: { min: 0, max: 3 } }),
      makeCategorical('k', ['a', 'b'], ['b']),
      makeParameter('c', { conditions: { m: ['on'] } }),
    ],
    conditionals: [{ name: 'm', values: ['on', 'off'] }],
    linearConstraints: [
      {
        type: 'less_than',
        terms: [
          { name: 'd', weight: 1 },
          { name: 'i', weight: 1 },
        ],
        threshold: 2,
      },
    ],
  });

  test('accepts a valid point and reports each kind of defect', () => {
    expect(assignmentProblems(spec, { d: 0.25, i: 1, k: 'a', m: 'off' })).toEqual([]);
    const cases: [Record<string, number | string>, string][] = [
      [{ d: 0.25, i: 1, k: 'b', m: 'off' }, 'categorical'],
      [{ d: 0.25, i: 1.5, k: 'a', m: 'off' }, 'non-integer'],
      [{ d: 1.5, i: 0, k: 'a', m: 'off' }, 'out of bounds'],
      [{ d: 0.25, i: 1, k: 'a', m: 'off', c: 0.5 }, 'unexpected'],
      [{ d: 0.25, i: 1, k: 'a', m: 'on' }, 'missing c'],
      [{ d: 0.25, i: 1, k: 'a' }, 'conditional'],
      [{ d: 0.9, i: 3, k: 'a', m: 'off' }, 'constraint'],
    ];
    for (const [point, problem] of cases) {
      expect(assignmentProblems(spec, point).join(';')).toContain(problem);
    }
    const rounded = makeSpec({ parameters: [makeParameter('e', { precision: 1 })] });
    expect(assignmentProblems(rounded, { e: 0.3 })).toEqual([]);
    expect(assignmentProblems(rounded, { e: 1 })).toEqual([]);
    expect(assignmentProblems(rounded, { e: 0.35 }).join(';')).toContain('precision');
  });
});
