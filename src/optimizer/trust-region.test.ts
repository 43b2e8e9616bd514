import { describe, expect, test } from 'vitest';
import { createEncoding } from './encoding.ts';
import { makeCategorical, makeParameter, makeSpec } from '../../test/support/kits/space-arbitraries.ts';
import { trustRegionBox } from './trust-region.ts';

describe('trustRegionBox', () => {
  const enc = createEncoding(makeSpec({ parameters: [makeParameter('a'), makeParameter('b')] }));

  test('is centred on the incumbent and clipped to the unit box', () => {
    const box = trustRegionBox(enc, [0.5, 0.95], [0.5, 0.5], 0.4);
    expect(box.lower[0]).toBeCloseTo(0.3, 12);
    expect(box.upper[0]).toBeCloseTo(0.7, 12);
    expect(box.lower[1]).toBeCloseTo(0.75, 12);
    expect(box.upper[1]).toBe(1);
  });

  test('is wider along longer lengthscales, within a factor 16 of the narrowest side', () => {
    const wide = trustRegionBox(enc, [0.5, 0.5], [1, 0.25], 0.2);
    expect(wide.upper[0]! - wide.lower[0]!).toBeCloseTo(4 * (wide.upper[1]! - wide.lower[1]!), 12);
    const extreme = trustRegionBox(enc, [0.5, 0.5], [100, 0.01], 0.1);
    expect(extreme.upper[0]! - extreme.lower[0]!).toBeCloseTo(16 * (extreme.upper[1]! - extreme.lower[1]!), 12);
  });

  test('leaves non-numeric dims unrestricted', () => {
    const mixed = createEncoding(makeSpec({ parameters: [makeParameter('a'), makeCategorical('c', ['u', 'v'])] }));
    const box = trustRegionBox(mixed, new Float64Array(mixed.dim).fill(0.5), new Float64Array(mixed.dim).fill(0.3), 0.1);
    for (let k = 0; k < mixed.dim; k++) {
      if (mixed.numeric.some((b) => b.dim === k)) continue;
      expect(box.lower[k]).toBe(0);
      expect(box.upper[k]).toBe(1);
    }
  });
});
