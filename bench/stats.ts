// Percentiles and means of latency samples (nearest-rank, on a sorted copy).

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
