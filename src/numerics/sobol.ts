import type { Rng } from './rng.ts';
import { SOBOL_DIRECTION_NUMBERS } from './sobol-direction-numbers.ts';

/** Dimensions with Sobol direction numbers; further dimensions are filled pseudo-randomly. */
export const SOBOL_MAX_DIMENSION = 1024;
const BITS = 32;
const TWO_32 = 4294967296;

/** A (scrambled) Sobol sequence with random access, in [0, 1)^dimension. */
export interface SobolSequence {
  readonly dimension: number;
  /** Point `index` (0 ≤ index < 2^32) of the sequence. */
  point(index: number): Float64Array;
  /**
   * `count` consecutive points from `start`, row-major (`count × dimension`). Cheaper than
   * `point` per point: consecutive Gray-code points differ by one XOR per dimension.
   */
  points(start: number, count: number): Float64Array;
}

/**
 * A Sobol low-discrepancy sequence (Joe–Kuo direction numbers, Gray-code order, 32-bit digits).
 *
 * With an `rng` the sequence is scrambled by a random linear matrix scramble (a random lower
 * unit-triangular binary matrix per dimension, applied to the direction numbers) followed by a
 * random digital shift (Matoušek 1998; Owen 2003). Both preserve the (t, m, s)-net structure —
 * every 2^m-point block starting at a multiple of 2^m is still stratified — while making the
 * points unbiased, free of the all-zeros first point, and different per seed. Without an `rng` the
 * plain sequence is produced (for tests against published values).
 *
 * Dimensions beyond {@link SOBOL_MAX_DIMENSION} get counter-based pseudo-random coordinates
 * (deterministic per seed and index), i.e. plain Monte Carlo there.
 */
export function createSobolSequence(dimension: number, rng: Rng | null = null): SobolSequence {
  if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`invalid Sobol dimension ${dimension}`);
  const sobolDims = Math.min(dimension, SOBOL_MAX_DIMENSION);
  const directions = directionNumbers(sobolDims);
  const shift = new Uint32Array(sobolDims);
  if (rng !== null) {
    for (let j = 0; j < sobolDims; j++) {
      scrambleInPlace(directions, j, rng);
      shift[j] = randomU32(rng);
    }
  }
  const extraKeys = new Uint32Array(dimension - sobolDims);
  for (let j = 0; j < extraKeys.length; j++) extraKeys[j] = rng === null ? j * 0x9e3779b9 : randomU32(rng);

  const stateAt = (index: number): Uint32Array => {
    checkIndex(index);
    const gray = (index ^ (index >>> 1)) >>> 0;
    const state = Uint32Array.from(shift);
    for (let k = 0; k < BITS; k++) {
      if (((gray >>> k) & 1) === 0) continue;
      for (let j = 0; j < sobolDims; j++) state[j] = ((state[j] ?? 0) ^ (directions[j * BITS + k] ?? 0)) >>> 0;
    }
    return state;
  };
  const write = (out: Float64Array, offset: number, state: Uint32Array, index: number): void => {
    for (let j = 0; j < sobolDims; j++) out[offset + j] = (state[j] ?? 0) / TWO_32;
    for (let j = 0; j < extraKeys.length; j++) out[offset + sobolDims + j] = hashUnit(extraKeys[j] ?? 0, index);
  };

  return {
    dimension,
    point(index) {
      const out = new Float64Array(dimension);
      write(out, 0, stateAt(index), index);
      return out;
    },
    points(start, count) {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`invalid count ${count}`);
      const out = new Float64Array(count * dimension);
      if (count === 0) return out;
      checkIndex(start + count - 1);
      const state = stateAt(start);
      for (let i = 0; i < count; i++) {
        const index = start + i;
        if (i > 0) {
          // Gray code: point n differs from n − 1 in the direction of the lowest set bit of n.
          const k = 31 - Math.clz32(index & -index);
          for (let j = 0; j < sobolDims; j++) state[j] = ((state[j] ?? 0) ^ (directions[j * BITS + k] ?? 0)) >>> 0;
        }
        write(out, i * dimension, state, index);
      }
      return out;
    },
  };
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= TWO_32) throw new RangeError(`invalid Sobol index ${index}`);
}

/** Direction numbers V[j·32 + k] = m_{k+1} · 2^(31−k) for the first `dims` dimensions. */
function directionNumbers(dims: number): Uint32Array {
  const v = new Uint32Array(dims * BITS);
  for (let k = 0; k < BITS; k++) v[k] = 2 ** (31 - k);
  if (dims === 1) return v;
  let cursor = 0;
  for (let j = 1; j < dims; j++) {
    // Scan one `;`-separated entry at a time: only the dimensions asked for are parsed.
    let end = SOBOL_DIRECTION_NUMBERS.indexOf(';', cursor);
    if (end < 0) end = SOBOL_DIRECTION_NUMBERS.length;
    const entry = SOBOL_DIRECTION_NUMBERS.slice(cursor, end).replace(/\s+/g, '');
    cursor = end + 1;
    const [polyHex, initHex] = entry.split(':');
    const poly = Number.parseInt(polyHex ?? '', 16);
    const init = (initHex ?? '').split(',');
    const s = 31 - Math.clz32(poly);
    if (!(s >= 1) || init.length !== s) throw new Error(`corrupt Sobol direction numbers at dimension ${j + 1}`);
    const m = new Uint32Array(BITS);
    for (let k = 0; k < s; k++) m[k] = Number.parseInt(init[k] ?? '', 16);
    // m_k = 2a₁m_{k−1} ⊕ 4a₂m_{k−2} ⊕ … ⊕ 2^{s−1}a_{s−1}m_{k−s+1} ⊕ 2^s m_{k−s} ⊕ m_{k−s}.
    // Every m_k < 2^k ≤ 2^32, so the shifted terms fit and XOR (mod 2^32) is exact.
    for (let k = s; k < BITS; k++) {
      const old = m[k - s] ?? 0;
      let next = old ^ (old * 2 ** s);
      for (let i = 1; i < s; i++) {
        if ((poly >>> (s - i)) & 1) next ^= (m[k - i] ?? 0) * 2 ** i;
      }
      m[k] = next >>> 0;
    }
    for (let k = 0; k < BITS; k++) v[j * BITS + k] = ((m[k] ?? 0) * 2 ** (31 - k)) >>> 0;
  }
  return v;
}

/**
 * Linear matrix scramble of dimension j: v ← L·v over GF(2), digits most significant first, L
 * random lower unit-triangular — each output digit is the input digit XOR a random combination
 * of the more significant ones. Column c of L (the image of digit c) is digit c itself plus
 * random less significant digits, so L·v is the XOR of the columns of v's set digits.
 */
function scrambleInPlace(v: Uint32Array, j: number, rng: Rng): void {
  const columns = new Uint32Array(BITS);
  for (let c = 0; c < BITS; c++) {
    const below = c === 31 ? 0 : randomU32(rng) >>> (c + 1);
    columns[c] = ((1 << (31 - c)) | below) >>> 0;
  }
  for (let k = 0; k < BITS; k++) {
    const x = v[j * BITS + k] ?? 0;
    let y = 0;
    for (let c = 0; c < BITS; c++) {
      if ((x >>> (31 - c)) & 1) y ^= columns[c] ?? 0;
    }
    v[j * BITS + k] = y >>> 0;
  }
}

function randomU32(rng: Rng): number {
  return Math.floor(rng.next() * TWO_32) >>> 0;
}

/** A uniform [0, 1) value from (key, index) via two rounds of the murmur3 finalizer. */
function hashUnit(key: number, index: number): number {
  let h = (key ^ Math.imul(index >>> 0, 0x9e3779b1)) >>> 0;
  for (let round = 0; round < 2; round++) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    h = (h + key) >>> 0;
  }
  return (h >>> 0) / TWO_32;
}
