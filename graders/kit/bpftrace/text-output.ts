// bpftrace's default text output on stdout: printf output interleaved with status lines
// (status-lines.ts), map prints and, with -k, located helper-error warnings (0.23; 0.24 and later
// print those on stderr, and their compile-time warnings on stdout before the run). Map prints
// look like
//   @name: 5                        @name[key, parts]: value
//   @name: count 2, average 15, total 30        (stats; 0.24+ prints a { .count = ... } record)
//   @name[key]:                     followed by hist()/lhist() bucket lines or a tseries() graph
//   @[                              a key spanning lines (kstack, ustack), closed by "]: value"
//           vfs_unlink+9
//   ]: 1
// Blank lines are dropped: bpftrace prints them unpredictably around maps and two at exit.
// A printf line that itself looks like a map print ("@x: 1") is taken for one. A line that starts
// like a map print ("@x[" or "@x:") but cannot be read as one is kept in `unread`, never taken
// for printf output.
import type { HistBucket, MapStats, TimeSeriesPoint } from "./aggregates.ts";
import { isLocatedDiagnostic, readDiagnostic, type Diagnostic } from "./diagnostics.ts";
import { noStatus, readStatusLine, recordStatus, statusOf, type RunStatus } from "./status-lines.ts";
import { parseHistBucketLine } from "./text-hist.ts";
import { parseTimeSeriesLines } from "./text-tseries.ts";
import { parseMapKey, parseTextValue, type TextValue } from "./text-value.ts";

export type TextMapValue =
  | { kind: "value"; value: TextValue }
  | { kind: "hist"; buckets: HistBucket[] }
  | { kind: "stats"; stats: MapStats }
  | { kind: "tseries"; points: TimeSeriesPoint[] };

export interface TextMapEntry {
  /** The text between the brackets (lines joined with "\n"), null for a map without keys. */
  key: string | null;
  /** The key split at ", " (see parseMapKey), [] without keys. */
  keyParts: TextValue[];
  value: TextMapValue;
}

export interface TextMap {
  name: string;
  entries: TextMapEntry[];
}

export interface TextOutput extends RunStatus {
  /** printf, print() of non-maps, time(), cat(), join(), system() output and other free text. */
  lines: string[];
  /** The last print of each map by name ("@" included), e.g. the one bpftrace prints at exit. */
  maps: Record<string, TextMap>;
  /** Every map print in order; print(@m) during the run adds one. */
  mapPrints: TextMap[];
  /** Messages bpftrace writes to stdout: 0.23's helper errors under -k, 0.24+'s compile-time warnings. */
  diagnostics: Diagnostic[];
  /** Lines that start like a map print but could not be read as one, with the lines they hold. */
  unread: string[];
}

const MAP_NAME = String.raw`(@[A-Za-z0-9_]*)`;
const MAP_VALUE_LINE = new RegExp(String.raw`^${MAP_NAME}(?:\[(.*?)\])?: (.*)$`);
const MAP_BLOCK_HEADER = new RegExp(String.raw`^${MAP_NAME}(?:\[(.*)\])?:$`);
const MAP_PRINT_START = new RegExp(String.raw`^${MAP_NAME}[[:]`);
const KEY_OPEN = new RegExp(String.raw`^${MAP_NAME}\[(.*)$`);
/** The last line of a key that spans lines: the rest of the key, then "]: value" or "]:". */
const KEY_CLOSE = /^(.*?)\]:(?: (.*))?$/;
/** More than the deepest kernel plus user stack bpftrace prints in one key. */
const MAX_KEY_LINES = 512;
const STATS_0_23 = /^count (-?\d+), average (-?\d+), total (-?\d+)$/;

/**
 * Parses bpftrace's stdout in text mode; its stderr, when given, adds the status lines that 0.24
 * and later print there.
 */
export function parseTextOutput(stdout: string, stderr = ""): TextOutput {
  const output = new TextOutputParser(stdout.split(/\r?\n/)).parse();
  const onStderr = statusOf(stderr);
  output.attachedProbes ??= onStderr.attachedProbes;
  output.lostEvents += onStderr.lostEvents;
  return output;
}

class TextOutputParser {
  private readonly result: TextOutput = { ...noStatus(), lines: [], maps: {}, mapPrints: [], diagnostics: [], unread: [] };
  /** The map print that a following map line continues, if it names the same map. */
  private openPrint: TextMap | null = null;
  /** Until the first line that is no message: 0.24+ prints compile-time warnings there. */
  private beforeRun = true;

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

    const status = readStatusLine(line);
    if (status) {
      recordStatus(this.result, status);
      this.beforeRun = false;
      return i + 1;
    }
    // At run time only located messages (0.23's helper errors) are told from printf output.
    if (this.beforeRun || isLocatedDiagnostic(line)) {
      const read = readDiagnostic(this.lines, i, this.beforeRun ? "stdout-before-run" : "stdout");
      if (read) {
        this.result.diagnostics.push(read.diagnostic);
        return read.next;
      }
    }
    this.beforeRun = false;
    if (MAP_PRINT_START.test(line)) return this.consumeMapPrint(i);
    this.openPrint = null;
    this.result.lines.push(line);
    return i + 1;
  }

  private consumeMapPrint(i: number): number {
    const line = this.lines[i] ?? "";
    const block = MAP_BLOCK_HEADER.exec(line);
    if (block?.[1]) return this.consumeBlock(block[1], block[2] ?? null, i, i + 1);
    const entry = MAP_VALUE_LINE.exec(line);
    if (entry?.[1]) {
      this.addEntry(entry[1], entry[2] ?? null, valueOf(entry[3] ?? ""));
      return i + 1;
    }
    return this.consumeMultiLineKey(i);
  }

  // "@name[first part" ... "rest]: value": the key's lines are joined with "\n".
  private consumeMultiLineKey(i: number): number {
    const first = this.lines[i] ?? "";
    const open = KEY_OPEN.exec(first);
    if (open?.[1] !== undefined && !open[2]?.includes("]:")) {
      const last = Math.min(this.lines.length, i + 1 + MAX_KEY_LINES);
      for (let j = i + 1; j < last; j++) {
        const line = this.lines[j] ?? "";
        if (line === "" || MAP_PRINT_START.test(line) || readStatusLine(line)) break;
        const close = KEY_CLOSE.exec(line);
        if (!close) continue;
        const key = [open[2] ?? "", ...this.lines.slice(i + 1, j), close[1] ?? ""].join("\n");
        if (close[2] === undefined) return this.consumeBlock(open[1], key, i, j + 1);
        this.addEntry(open[1], key, valueOf(close[2]));
        return j + 1;
      }
    }
    return this.markUnread(i, i + 1);
  }

  /**
   * A header line ("@name:" or "@name[key]:", at `header`) and the lines up to the next blank
   * line, which bpftrace ends such a print with: hist() buckets, a tseries() graph, or none (a
   * zeroed hist). Lines that are none of those are unread, with their header.
   */
  private consumeBlock(name: string, key: string | null, header: number, first: number): number {
    let end = first;
    while (end < this.lines.length && this.lines[end] !== "") end++;
    const body = this.lines.slice(first, end);
    const buckets = body.map(parseHistBucketLine);
    if (buckets.every((bucket) => bucket !== null)) {
      this.addEntry(name, key, { kind: "hist", buckets });
      return end;
    }
    const points = parseTimeSeriesLines(body);
    if (points) {
      this.addEntry(name, key, { kind: "tseries", points });
      return end;
    }
    return this.markUnread(header, end);
  }

  private markUnread(start: number, end: number): number {
    this.openPrint = null;
    this.result.unread.push(...this.lines.slice(start, end));
    return end;
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
