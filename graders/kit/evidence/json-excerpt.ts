// Output of `bpftrace -f json`, rendered back the way bpftrace prints it without -f json, for the
// excerpts of failed checks: the student ran their script in text mode and reads
// "@h[0xff4011...]:" and "[8M, 16M)  3", not the JSON lines the grader ran it with.
import type { HistBucket } from "../bpftrace/aggregates.ts";
import { printfLines, type JsonHistEvent, type JsonMapLikeEvent, type JsonOutput } from "../bpftrace/json-output.ts";
import type { JsonValue } from "../bpftrace/lossless-json.ts";
import { kernelAddress } from "./kernel-address.ts";
import { someLines } from "./lines.ts";

const SUFFIXES = ["", "K", "M", "G", "T", "P", "E"];

/** A hist() bound as bpftrace labels it: 8388608 -> "8M". */
export function histBoundLabel(value: number): string {
  let power = 0;
  while (power < SUFFIXES.length - 1 && value !== 0 && value % 1024 ** (power + 1) === 0) power++;
  return `${value / 1024 ** power}${SUFFIXES[power]}`;
}

export function histBucketLabel(bucket: HistBucket): string {
  if (bucket.low === null) return `(..., ${histBoundLabel(bucket.high ?? 0)})`;
  if (bucket.high === null) return `[${histBoundLabel(bucket.low)}, ...)`;
  if (bucket.high === bucket.low + 1) return `[${histBoundLabel(bucket.low)}]`;
  return `[${histBoundLabel(bucket.low)}, ${histBoundLabel(bucket.high)})`;
}

// Text output prints kernel addresses in hex, whichever way -f json printed them.
function keyPartLabel(part: string): string {
  const address = kernelAddress(part);
  return address === undefined ? part : `0x${address.toString(16)}`;
}

function entryName(name: string, keyParts: readonly string[], keyed: boolean): string {
  return keyed ? `${name}[${keyParts.map(keyPartLabel).join(", ")}]` : name;
}

function valueLabel(value: JsonValue): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) : String(value);
}

/** A hist() map as text: a header line per key, then one line per non-empty bucket. */
export function histLines(event: JsonHistEvent): string[] {
  return event.entries.flatMap((entry) => [
    `${entryName(event.name, entry.keyParts, event.keyed)}:`,
    ...entry.value.filter((bucket) => bucket.count > 0).map((bucket) => `${histBucketLabel(bucket).padEnd(20)} ${bucket.count}`),
  ]);
}

export function mapLines(event: JsonMapLikeEvent): string[] {
  switch (event.type) {
    case "hist":
      return histLines(event);
    case "map":
      return event.entries.map((entry) => `${entryName(event.name, entry.keyParts, event.keyed)}: ${valueLabel(entry.value)}`);
    case "stats":
      return event.entries.map(
        (entry) =>
          `${entryName(event.name, entry.keyParts, event.keyed)}: count ${entry.value.count ?? "-"}, average ${entry.value.average}, total ${entry.value.total ?? "-"}`,
      );
    case "tseries":
      return event.entries.flatMap((entry) => [
        `${entryName(event.name, entry.keyParts, event.keyed)}:`,
        ...entry.value.map((point) => `${point.start} ${point.value ?? "-"}`),
      ]);
  }
}

/** Every map print, in order (print() during the run and the automatic print at exit). */
export function jsonMapPrints(json: JsonOutput): JsonMapLikeEvent[] {
  return json.events.filter(
    (event): event is JsonMapLikeEvent => event.type === "map" || event.type === "hist" || event.type === "stats" || event.type === "tseries",
  );
}

/** printf lines, then every map print as text, at most `count` lines. */
export function jsonOutputExcerpt(json: JsonOutput, count = 12): string[] {
  return someLines([...printfLines(json.events), ...jsonMapPrints(json).flatMap(mapLines)], count);
}
