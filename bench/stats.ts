// Percentiles and means of latency samples (nearest-rank, on a sorted copy).

/** How many rounds a benchmark runs unless it has a reason to run more (its single rounds are noisier). */
export const DEFAULT_ROUNDS = 5;

/** Summary of a sample in the unit it was recorded in. */
export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The value at percentile `p` (0–100) of an ascending array, nearest-rank method. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Count, mean, p50, p90, p99 and max of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Rounds to `digits` decimals (for the JSON and the table). */
export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Milliseconds between two `process.hrtime.bigint()` readings. */
export function elapsedMs(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}

/**
 * Latencies in fixed buckets (0.05 ms wide, up to 5 s; slower ones in the last bucket): constant
 * memory, outside the JS heap, so a long soak's own bookkeeping does not show up as heap growth.
 */
export class LatencyHistogram {
  private static readonly BUCKET_MS = 0.05;
  private readonly buckets = new Uint32Array(100_000);
  private total = 0;
  private sum = 0;

  record(ms: number): void {
    const index = Math.min(this.buckets.length - 1, Math.max(0, Math.floor(ms / LatencyHistogram.BUCKET_MS)));
    this.buckets[index] = (this.buckets[index] ?? 0) + 1;
    this.total += 1;
    this.sum += ms;
  }

  get count(): number {
    return this.total;
  }

  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sum / this.total;
  }

  /** Upper edge of the bucket holding percentile `p` (nearest rank). */
  percentile(p: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= rank) return (i + 1) * LatencyHistogram.BUCKET_MS;
    }
    return this.buckets.length * LatencyHistogram.BUCKET_MS;
  }
}

/**
 * A figure measured once per round: the median and the full range (min–max) across rounds, plus every
 * round's value. The spread is min–max, not an IQR: with 5 rounds an IQR would hide one of 5 values.
 */
export interface RoundFigure {
  median: number;
  /**
   * The median before rounding, when rounding changed it: a target is judged on this one (a ratio of
   * 2.004 is not ≤ 2 though it shows as 2.00). Absent in older files, and when rounding changed nothing.
   */
  unroundedMedian?: number;
  min: number;
  max: number;
  rounds: number[];
}

/** Median and min–max of per-round values (rounded to `digits` decimals; the unrounded median kept beside). */
export function acrossRounds(values: readonly number[], digits = 3): RoundFigure {
  if (values.length === 0) throw new Error('acrossRounds needs at least one round');
  const sorted = [...values].sort((a, b) => a - b);
  const exact = median(sorted);
  const rounded = round(exact, digits);
  return {
    median: rounded,
    ...(rounded === exact ? {} : { unroundedMedian: exact }),
    min: round(sorted[0] as number, digits),
    max: round(sorted.at(-1) as number, digits),
    rounds: values.map((value) => round(value, digits)),
  };
}

/** The median a target is judged on: unrounded when the file kept it (older files: the rounded one). */
export function judgedMedian(figure: RoundFigure): number {
  return figure.unroundedMedian ?? figure.median;
}

/** The median of `values` (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
    : (sorted[Math.floor(middle)] as number);
}

/** "1.05 (1.01–1.09)": the median and the min–max range of a per-round figure. */
export function formatRounds(figure: RoundFigure, digits = 2): string {
  const f = (value: number) => value.toFixed(digits);
  return figure.min === figure.max
    ? f(figure.median)
    : `${f(figure.median)} (${f(figure.min)}–${f(figure.max)})`;
}

/**
 * Least-squares slope of `ys` over `xs` (units of y per unit of x); NaN with fewer than 2 points or
 * no spread in x.
 */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? Number.NaN : num / den;
}
