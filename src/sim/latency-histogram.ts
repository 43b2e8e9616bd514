/**
 * A latency histogram with bounded memory and bounded relative error, in the spirit of HdrHistogram:
 * values are counted in logarithmic buckets (each bucket `1 + precision` times wider than the last),
 * so a percentile read back is within `precision` of the true sample whatever the run length.
 * A load run of hours records millions of samples; sorted samples would not fit, buckets do.
 */

/** Percentile summary of a histogram, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly min: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Shape options; histograms are mergeable only with the same options. */
export interface HistogramShape {
  /** Smallest distinguished value (ms); smaller values share the first bucket. Default 0.01 ms. */
  readonly lowestMs?: number;
  /** Largest distinguished value (ms); larger values share the last bucket (max stays exact). Default 10 min. */
  readonly highestMs?: number;
  /** Relative bucket width (0.01 = 1 %). Default 0.01. */
  readonly precision?: number;
}

/** Log-bucketed latency counts (milliseconds). */
export class LatencyHistogram {
  private readonly lowest: number;
  private readonly logBase: number;
  private readonly counts: Float64Array;
  private total = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;

  constructor(readonly shape: HistogramShape = {}) {
    this.lowest = shape.lowestMs ?? 0.01;
    const highest = shape.highestMs ?? 600_000;
    this.logBase = Math.log1p(shape.precision ?? 0.01);
    this.counts = new Float64Array(Math.ceil(Math.log(highest / this.lowest) / this.logBase) + 2);
  }

  /** Number of recorded values. */
  get count(): number {
    return this.total;
  }

  /** Records one value (negative and NaN values are ignored: they are clock glitches, not latencies). */
  record(ms: number, times = 1): void {
    if (!(ms >= 0) || times <= 0) return;
    this.counts[this.indexOf(ms)]! += times;
    this.total += times;
    this.sum += ms * times;
    if (ms < this.minValue) this.minValue = ms;
    if (ms > this.maxValue) this.maxValue = ms;
  }

  /** Adds another histogram of the same shape into this one. */
  merge(other: LatencyHistogram): void {
    if (other.counts.length !== this.counts.length || other.lowest !== this.lowest) {
      throw new Error('cannot merge histograms of different shapes');
    }
    for (let i = 0; i < other.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
  }

  /**
   * The value at quantile q (0..1): the geometric middle of the bucket holding the rank, clamped
   * to the exact min and max so p0/p100 and single-sample histograms are exact.
   */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.maxValue, Math.max(this.minValue, this.valueOf(i)));
    }
    return this.maxValue;
  }

  /** count, mean, min, p50, p95, p99, max (ms, rounded to µs). */
  summary(): LatencySummary {
    const r = (v: number) => Math.round(v * 1000) / 1000;
    if (this.total === 0) return { count: 0, mean: 0, min: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    return {
      count: this.total,
      mean: r(this.sum / this.total),
      min: r(this.minValue),
      p50: r(this.quantile(0.5)),
      p95: r(this.quantile(0.95)),
      p99: r(this.quantile(0.99)),
      max: r(this.maxValue),
    };
  }

  private indexOf(ms: number): number {
    if (ms <= this.lowest) return 0;
    const i = 1 + Math.floor(Math.log(ms / this.lowest) / this.logBase);
    return Math.min(i, this.counts.length - 1);
  }

  private valueOf(index: number): number {
    if (index === 0) return this.lowest;
    // Bucket i covers [lowest·b^(i-1), lowest·b^i); report its geometric middle.
    return this.lowest * Math.exp((index - 0.5) * this.logBase);
  }
}
