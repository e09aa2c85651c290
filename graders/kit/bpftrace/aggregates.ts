// Aggregation values that both the text and the JSON output parsers produce.

/** One histogram bucket, holding the values v with low <= v < high; a null bound is an open end. */
export interface HistBucket {
  low: number | null;
  high: number | null;
  count: number;
}

/** A stats() value; avg() maps print only the average, so count and total are null for them. */
export interface MapStats {
  count: bigint | null;
  average: bigint;
  total: bigint | null;
}

export function histTotal(buckets: readonly HistBucket[]): number {
  return buckets.reduce((sum, bucket) => sum + bucket.count, 0);
}

/** The bucket whose range holds value, if any. */
export function histBucketOf(buckets: readonly HistBucket[], value: number): HistBucket | undefined {
  return buckets.find(
    (b) => (b.low === null || value >= b.low) && (b.high === null || value < b.high),
  );
}

/**
 * One interval of a tseries() (bpftrace 0.24+). `start` is the interval's start as bpftrace
 * printed it: "12:16:06.200" in text output, "2026-11-30 12:16:29.000000000" in JSON. `value`
 * is null for an interval without a value (text output prints "-"; JSON leaves it out).
 */
export interface TimeSeriesPoint {
  start: string;
  value: bigint | null;
}
