// The figure of graders/lock-contention.ts: the student's @long_block_times for the contender's
// lock beside the waits on that lock that the kernel's lock trace recorded, in the buckets
// bpftrace's hist() would have put them in. The HTML report draws it.
import type { FigureBucket, HistogramFigure } from "../grade/results.ts";

/** The bucket hist() puts a value in: [0], [1], then [2^k, 2^(k+1)). */
function powerOfTwoBucket(value: number): { low: number; high: number } {
  if (value < 1) return { low: 0, high: 1 };
  let low = 1;
  while (low * 2 <= value) low *= 2;
  return { low, high: low * 2 };
}

/** Values counted in hist()'s buckets, lowest first. */
function powerOfTwoBuckets(values: readonly number[]): FigureBucket[] {
  const counts = new Map<number, FigureBucket>();
  for (const value of values) {
    const { low, high } = powerOfTwoBucket(value);
    const bucket = counts.get(low) ?? { low, high, count: 0 };
    bucket.count++;
    counts.set(low, bucket);
  }
  return [...counts.values()].sort((a, b) => (a.low ?? 0) - (b.low ?? 0));
}

export interface LockWaits {
  /** The contender's lock, as the report names it: "0xff401198c1920ff0". */
  lock: string;
  thresholdUs: number;
  /** The student's @long_block_times entry for that lock; empty when there is none. */
  student: readonly FigureBucket[];
  /** The waits on that lock longer than $1, in ns, from the kernel's lock trace. */
  kernelWaitsNs: readonly number[];
}

export function lockWaitsFigure(waits: LockWaits): HistogramFigure {
  return {
    kind: "histogram",
    title: `Waits on lock ${waits.lock} longer than $1 = ${waits.thresholdUs} µs`,
    unit: "ns",
    series: [
      { label: `your @long_block_times[${waits.lock}]`, buckets: [...waits.student] },
      { label: "the kernel's lock trace", buckets: powerOfTwoBuckets(waits.kernelWaitsNs) },
    ],
  };
}
