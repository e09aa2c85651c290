// One bucket line of a hist() or lhist() map in text output, e.g.
//   "[4K, 8K)               3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                     |"
// Labels: "(..., 0)" below the range, "[5]" a single value, "[4K, 8K)" a range,
// "[100, ...)" above an lhist's range. K, M, G, ... are powers of 1024.
import type { HistBucket } from "./aggregates.ts";

const BUCKET_LINE = /^(\(\.\.\., [^)]+\)|\[[^\]]+\]|\[[^,\])]+, [^)]+\))\s+(\d+) \|[@ ]*\|$/;
const LABEL = /^(-?\d+)([KMGTPE]?)$/;
const SUFFIX_POWERS = ["", "K", "M", "G", "T", "P", "E"];

export function parseHistBucketLine(line: string): HistBucket | null {
  const m = BUCKET_LINE.exec(line);
  if (!m?.[1] || !m[2]) return null;
  const range = parseBucketRange(m[1]);
  return range && { ...range, count: Number(m[2]) };
}

function parseBucketRange(label: string): Omit<HistBucket, "count"> | null {
  if (label.startsWith("(..., ")) {
    const high = parseHistLabel(label.slice("(..., ".length, -1));
    return high === null ? null : { low: null, high };
  }
  if (label.endsWith("]")) {
    const value = parseHistLabel(label.slice(1, -1));
    return value === null ? null : { low: value, high: value + 1 };
  }
  const [lowText = "", highText = ""] = label.slice(1, -1).split(", ");
  const low = parseHistLabel(lowText);
  if (low === null) return null;
  if (highText === "...") return { low, high: null };
  const high = parseHistLabel(highText);
  return high === null ? null : { low, high };
}

/** "4K" -> 4096, "-10" -> -10; null when the text is no bucket bound. */
export function parseHistLabel(text: string): number | null {
  const m = LABEL.exec(text);
  if (!m?.[1]) return null;
  return Number(m[1]) * 1024 ** SUFFIX_POWERS.indexOf(m[2] ?? "");
}
