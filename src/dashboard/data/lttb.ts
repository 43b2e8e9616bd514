/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson, 2013): the indices of at most
 * `threshold` points that keep the visual shape of the series (x ascending). The first and last
 * points are always kept; each bucket keeps the point spanning the largest triangle with the point
 * kept before it and the average of the next bucket. Non-finite y values are skipped.
 */
export function lttb(xs: readonly number[], ys: readonly number[], threshold: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < xs.length; i += 1) if (Number.isFinite(ys[i]) && Number.isFinite(xs[i])) idx.push(i);
  const n = idx.length;
  if (threshold >= n) return idx;
  if (threshold < 3) return threshold <= 0 ? [] : threshold === 1 ? [idx[0]!] : [idx[0]!, idx[n - 1]!];
  const out: number[] = [idx[0]!];
  const every = (n - 2) / (threshold - 2);
  let a = 0; // position (in idx) of the point kept last
  for (let b = 0; b < threshold - 2; b += 1) {
    const start = Math.floor(b * every) + 1;
    const end = Math.min(Math.floor((b + 1) * every) + 1, n - 1);
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const nextStart = end;
    const span = Math.max(1, nextEnd - nextStart);
    for (let j = nextStart; j < nextEnd; j += 1) {
      avgX += xs[idx[j]!]!;
      avgY += ys[idx[j]!]!;
    }
    avgX /= span;
    avgY /= span;
    const ax = xs[idx[a]!]!;
    const ay = ys[idx[a]!]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j += 1) {
      const x = xs[idx[j]!]!;
      const y = ys[idx[j]!]!;
      const area = Math.abs((ax - avgX) * (y - ay) - (ax - x) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(idx[best]!);
    a = best;
  }
  out.push(idx[n - 1]!);
  return out;
}
