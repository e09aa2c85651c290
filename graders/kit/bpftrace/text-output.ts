// bpftrace's default text output on stdout: printf output interleaved with framing lines
// ("Attaching 3 probes...", "Lost 12 events", the attach marker), map prints and, with -k,
// located helper-error warnings. Map prints look like
//   @name: 5                        @name[key, parts]: value
//   @name: count 2, average 15, total 30        (stats; 0.24+ prints a { .count = ... } record)
//   @name[key]:                     followed by hist()/lhist() bucket lines
// Blank lines are dropped: bpftrace prints them unpredictably around maps and two at exit.
// A printf line that itself looks like a map print ("@x: 1") is taken for one.
import type { HistBucket, MapStats } from "./aggregates.ts";
import { isLocatedDiagnostic, readDiagnostic, type Diagnostic } from "./diagnostics.ts";
import { parseHistBucketLine } from "./text-hist.ts";
import { parseMapKey, parseTextValue, type TextValue } from "./text-value.ts";

/** Printed on stdout once every probe is attached when __BPFTRACE_NOTIFY_PROBES_ATTACHED=1. */
export const PROBES_ATTACHED_MARKER = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";

export type TextMapValue =
  | { kind: "value"; value: TextValue }
  | { kind: "hist"; buckets: HistBucket[] }
  | { kind: "stats"; stats: MapStats };

export interface TextMapEntry {
  /** The text between the brackets, null for a map without keys. */
  key: string | null;
  /** The key split at ", " (see parseMapKey), [] without keys. */
  keyParts: TextValue[];
  value: TextMapValue;
}

export interface TextMap {
  name: string;
  entries: TextMapEntry[];
}

export interface TextOutput {
  /** printf, print() of non-maps, time(), cat(), join(), system() output and anything unrecognised. */
  lines: string[];
  /** The last print of each map by name ("@" included), e.g. the one bpftrace prints at exit. */
  maps: Record<string, TextMap>;
  /** Every map print in order; print(@m) during the run adds one. */
  mapPrints: TextMap[];
  /** From "Attaching N probes..." (0.23.2, stdout) or "Attached N probes" (0.24+, stderr). */
  attachedProbes: number | null;
  probesAttachedMarker: boolean;
  /** The sum of all "Lost N events" lines. */
  lostEvents: number;
  /** Located warnings bpftrace writes to stdout, e.g. helper errors under -k. */
  diagnostics: Diagnostic[];
}

const ATTACHED = /^(?:Attaching (\d+) probes?\.\.\.|Attached (\d+) probes?)$/;
const LOST = /^Lost (\d+) events$/;
const MAP_NAME = String.raw`(@[A-Za-z0-9_]*)`;
const MAP_VALUE_LINE = new RegExp(String.raw`^${MAP_NAME}(?:\[(.*?)\])?: (.*)$`);
const MAP_BLOCK_HEADER = new RegExp(String.raw`^${MAP_NAME}(?:\[(.*)\])?:$`);
const STATS_0_23 = /^count (-?\d+), average (-?\d+), total (-?\d+)$/;

export function parseTextOutput(stdout: string): TextOutput {
  return new TextOutputParser(stdout.split(/\r?\n/)).parse();
}

class TextOutputParser {
  private readonly result: TextOutput = {
    lines: [],
    maps: {},
    mapPrints: [],
    attachedProbes: null,
    probesAttachedMarker: false,
    lostEvents: 0,
    diagnostics: [],
  };
  /** The map print that a following map line continues, if it names the same map. */
  private openPrint: TextMap | null = null;

  constructor(private readonly lines: readonly string[]) {}

  parse(): TextOutput {
    let i = 0;
    while (i < this.lines.length) i = this.consume(i);
    return this.result;
  }

  /** Consumes what starts at lines[i], returns the index after it. */
  private consume(i: number): number {
    const line = this.lines[i] ?? "";
    if (line === "") return i + 1;

    const attached = ATTACHED.exec(line);
    if (attached) {
      this.result.attachedProbes = Number(attached[1] ?? attached[2]);
      return i + 1;
    }
    if (line === PROBES_ATTACHED_MARKER) {
      this.result.probesAttachedMarker = true;
      return i + 1;
    }
    const lost = LOST.exec(line);
    if (lost) {
      this.result.lostEvents += Number(lost[1]);
      return i + 1;
    }
    if (isLocatedDiagnostic(line)) {
      const read = readDiagnostic(this.lines, i);
      if (read) {
        this.result.diagnostics.push(read.diagnostic);
        return read.next;
      }
    }
    const block = MAP_BLOCK_HEADER.exec(line);
    if (block?.[1]) return this.consumeHist(block[1], block[2] ?? null, i + 1);
    const entry = MAP_VALUE_LINE.exec(line);
    if (entry?.[1]) {
      this.addEntry(entry[1], entry[2] ?? null, valueOf(entry[3] ?? ""));
      return i + 1;
    }
    this.openPrint = null;
    this.result.lines.push(line);
    return i + 1;
  }

  private consumeHist(name: string, key: string | null, first: number): number {
    const buckets: HistBucket[] = [];
    let i = first;
    for (;;) {
      const bucket = parseHistBucketLine(this.lines[i] ?? "");
      if (!bucket) break;
      buckets.push(bucket);
      i++;
    }
    this.addEntry(name, key, { kind: "hist", buckets });
    return i;
  }

  private addEntry(name: string, key: string | null, value: TextMapValue): void {
    const entry: TextMapEntry = { key, keyParts: key === null ? [] : parseMapKey(key), value };
    const open = this.openPrint;
    // A repeated key means the same map was printed again.
    if (open && open.name === name && !open.entries.some((e) => e.key === key)) {
      open.entries.push(entry);
      return;
    }
    const print: TextMap = { name, entries: [entry] };
    this.result.mapPrints.push(print);
    this.result.maps[name] = print;
    this.openPrint = print;
  }
}

function valueOf(text: string): TextMapValue {
  const stats = STATS_0_23.exec(text);
  if (stats) {
    const [, count = "", average = "", total = ""] = stats;
    return { kind: "stats", stats: { count: BigInt(count), average: BigInt(average), total: BigInt(total) } };
  }
  const value = parseTextValue(text);
  return statsRecord(value) ?? { kind: "value", value };
}

// 0.24+ prints stats() values as { .count = 2, .average = 15, .total = 30 }.
function statsRecord(value: TextValue): TextMapValue | null {
  if (value.kind !== "record") return null;
  const { count, average, total, ...rest } = value.fields;
  if (Object.keys(rest).length > 0) return null;
  if (count?.kind !== "integer" || average?.kind !== "integer" || total?.kind !== "integer") return null;
  return { kind: "stats", stats: { count: count.value, average: average.value, total: total.value } };
}
