// Parses `bpftrace -f json` output recorded from bpftrace v0.23.2 (fixtures/bpftrace-output/trixie,
// see record.sh there for the commands and scripts/ for the scripts).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { histBucketOf, histTotal } from "../graders/kit/bpftrace/aggregates.ts";
import {
  jsonLineSchema,
  lastJsonMap,
  parseJsonOutput,
  printfLines,
  type JsonEvent,
  type JsonHistEvent,
  type JsonMapEvent,
  type JsonStatsEvent,
} from "../graders/kit/bpftrace/json-output.ts";
import { PROBES_ATTACHED_MARKER } from "../graders/kit/bpftrace/status-lines.ts";

function recorded(name: string): string {
  return readFileSync(new URL(`../fixtures/bpftrace-output/trixie/${name}.jsonl`, import.meta.url), "utf8");
}

function events(name: string): JsonEvent[] {
  const output = parseJsonOutput(recorded(name));
  expect(output.unparsed.filter((line) => line !== PROBES_ATTACHED_MARKER)).toEqual([]);
  return output.events;
}

function map(all: JsonEvent[], name: string): JsonMapEvent {
  const found = lastJsonMap(all, "map", name);
  if (!found) throw new Error(`no map ${name}`);
  return found;
}

function hist(all: JsonEvent[], name: string): JsonHistEvent {
  const found = lastJsonMap(all, "hist", name);
  if (!found) throw new Error(`no hist ${name}`);
  return found;
}

function stats(all: JsonEvent[], name: string): JsonStatsEvent {
  const found = lastJsonMap(all, "stats", name);
  if (!found) throw new Error(`no stats ${name}`);
  return found;
}

describe("parseJsonOutput on recorded bpftrace 0.23.2 output", () => {
  it("printf: events, lines joined across printf calls, the attach marker left unparsed", () => {
    const output = parseJsonOutput(recorded("printf"));
    expect(output.unparsed).toEqual([PROBES_ATTACHED_MARKER]);
    expect(output.events[0]).toEqual({ type: "attached_probes", probes: 3 });
    expect(output.events.filter((e) => e.type === "printf")).toHaveLength(8);
    expect(printfLines(output.events)).toEqual([
      "hello 42 world",
      "no newline then continued",
      "two",
      "lines",
      'tab\tquote" backslash\\ done',
      "pad     |    7|0xff",
      "write fd=1 count=3",
      "bye",
    ]);
  });

  it("without __BPFTRACE_NOTIFY_PROBES_ATTACHED nothing is left unparsed", () => {
    expect(parseJsonOutput(recorded("printf-no-notify")).unparsed).toEqual([]);
  });

  it("maps without keys hold numbers, strings, tuples and structs", () => {
    const all = events("maps");
    expect(map(all, "@scalar")).toEqual({
      type: "map",
      name: "@scalar",
      keyed: false,
      entries: [{ key: null, keyParts: [], value: 5 }],
    });
    expect(map(all, "@negative").entries[0]?.value).toBe(-12);
    expect(map(all, "@string_value").entries[0]?.value).toBe("a string value");
    expect(map(all, "@tuple_value").entries[0]?.value).toEqual([1, "two", 3]);
    const record = map(all, "@record_value");
    expect(record.keyed).toBe(false);
    expect(record.entries[0]?.value).toEqual({ mnt: expect.any(BigInt), dentry: expect.any(BigInt) });
  });

  it("keyed maps keep bpftrace's order and exact pointer keys", () => {
    const all = events("maps");
    const byInt = map(all, "@by_int");
    expect(byInt.keyed).toBe(true);
    expect(byInt.entries.map((e) => [e.key, e.value])).toEqual([["1", 10], ["2", 20], ["-3", 30]]);
    const byPointer = map(all, "@by_ptr").entries;
    expect(byPointer.map((e) => BigInt(e.key ?? ""))).toEqual([0xffff888100001000n, 0n]);
    expect(map(all, "@by_tuple").entries.map((e) => e.keyParts)).toEqual([["1", "x"], ["2", "y z"]]);
    // A comma inside a string key is not escaped: key stays whole, keyParts splits it.
    const comma = map(all, "@by_str").entries.find((e) => e.value === 3);
    expect(comma?.key).toBe("with, comma");
    expect(comma?.keyParts).toEqual(["with", " comma"]);
    expect(map(all, "@count").entries[0]?.value).toBe(3);
    expect(map(all, "@sum").entries[0]?.value).toBe(42);
    expect(map(all, "@min").entries[0]?.value).toBe(3);
    expect(map(all, "@max").entries[0]?.value).toBe(9);
  });

  it("avg() and stats() maps are stats lines", () => {
    const all = events("maps");
    expect(stats(all, "@avg").entries).toEqual([
      { key: null, keyParts: [], value: { count: null, average: 15n, total: null } },
    ]);
    expect(stats(all, "@avg_by_int").entries.map((e) => [e.key, e.value.average])).toEqual([
      ["7", 7n],
      ["8", 100n],
    ]);
    expect(stats(all, "@stats").entries[0]?.value).toEqual({ count: 2n, average: 20n, total: 40n });
    const byKey = stats(all, "@stats_by_str");
    expect(byKey.keyed).toBe(true);
    expect(byKey.entries.map((e) => [e.key, e.value])).toEqual([
      ["k1", { count: 1n, average: 1n, total: 1n }],
      ["k2", { count: 2n, average: 150n, total: 300n }],
    ]);
  });

  it("hist(): buckets from below zero to [2G, 4G) with half-open bounds", () => {
    const buckets = hist(events("hist"), "@h").entries[0]?.value ?? [];
    // hist.bt adds -5, 0, 1, 1, 3, 100, 5000, 5000, 1 MiB and 3 GiB.
    expect(histTotal(buckets)).toBe(10);
    expect(buckets[0]).toEqual({ low: null, high: 0, count: 1 });
    expect(buckets.slice(1, 4)).toEqual([
      { low: 0, high: 1, count: 1 },
      { low: 1, high: 2, count: 2 },
      { low: 2, high: 4, count: 1 },
    ]);
    expect(histBucketOf(buckets, 5000)).toEqual({ low: 4096, high: 8192, count: 2 });
    expect(histBucketOf(buckets, 1048576)?.count).toBe(1);
    expect(buckets.at(-1)).toEqual({ low: 2 ** 31, high: 2 ** 32, count: 1 });
  });

  it("lhist(): below-range and above-range buckets have an open end", () => {
    const all = events("hist");
    const linear = hist(all, "@l").entries[0]?.value ?? [];
    expect(histTotal(linear)).toBe(6);
    expect(linear[0]).toEqual({ low: null, high: 0, count: 1 });
    expect(linear.at(-1)).toEqual({ low: 100, high: null, count: 2 });
    const kilo = hist(all, "@lk").entries[0]?.value ?? [];
    expect(kilo.map((b) => b.low)).toEqual([0, 1024, 2048, 3072, 4096, 5120, 6144, 7168, 8192]);
  });

  it("hist() with keys, tuple keys and extra bits", () => {
    const all = events("hist");
    const byStr = hist(all, "@by_str");
    expect(byStr.keyed).toBe(true);
    expect(byStr.entries.map((e) => [e.key, histTotal(e.value)])).toEqual([["read", 1], ["write", 2]]);
    expect(hist(all, "@by_tuple").entries.map((e) => e.keyParts)).toEqual([["1", "a"], ["2", "b c"]]);
    const fine = hist(all, "@fine").entries[0]?.value ?? [];
    expect(fine.slice(0, 5).map((b) => [b.low, b.high])).toEqual([[5, 6], [6, 7], [7, 8], [8, 10], [10, 12]]);
    expect(histBucketOf(fine, 100)).toEqual({ low: 96, high: 112, count: 1 });
  });

  it("print(): each print is an event, with top and div applied; cleared maps print nothing", () => {
    const all = events("print");
    const prints = all.filter((e) => e.type === "map" && e.name === "@c");
    expect(prints.map((e) => (e.type === "map" ? e.entries.map((x) => x.key) : []))).toEqual([
      ["a", "b", "c"],
      ["b", "c"],
    ]);
    const scaled = all.find((e) => e.type === "map" && e.name === "@s");
    expect(scaled?.type === "map" && scaled.entries.map((e) => e.value)).toEqual([1, 3]);
    expect(map(all, "@s").entries.map((e) => e.value)).toEqual([1000, 3000]);
    expect(hist(all, "@h").entries[0]?.value).toEqual([]);
    expect(all.filter((e) => e.type === "value")).toEqual([
      { type: "value", data: 5 },
      { type: "value", data: "a string" },
      { type: "value", data: "bpftrace" },
    ]);
  });

  it("print() of structs, tuples and char arrays", () => {
    const values = events("structs").flatMap((e) => (e.type === "value" ? [e.data] : []));
    expect(values[0]).toEqual({ hash: expect.any(Number), len: 14, hash_len: expect.any(Number), name: expect.any(BigInt) });
    expect(values[1]).toMatchObject({ users: 1, seq: "", root: { mnt: expect.any(BigInt) } });
    const dentry = values[2] as { d_shortname: { string: number[] }; d_name: unknown };
    expect(String.fromCharCode(...dentry.d_shortname.string.slice(0, 14))).toBe("parsers-rootfs");
    expect(dentry.d_name).toEqual(values[0]);
    expect(values[3]).toEqual([1, "two", [3, 4]]);
    expect(values[5]).toEqual([1, 3, expect.any(Number)]);
  });

  it("lock contention: every printed duration lies in a bucket of @long_block_times", () => {
    const all = events("lock-contention");
    const durations = printfLines(all).map((line) => Number(/^contended time: (\d+)$/.exec(line)?.[1]));
    expect(durations.length).toBeGreaterThan(0);
    const perLock = hist(all, "@long_block_times").entries;
    expect(perLock.every((e) => BigInt(e.key ?? "") > 0xffff000000000000n)).toBe(true);
    expect(perLock.reduce((n, e) => n + histTotal(e.value), 0)).toBe(durations.length);
    for (const duration of durations) {
      expect(perLock.some((e) => (histBucketOf(e.value, duration)?.count ?? 0) > 0)).toBe(true);
    }
    const begins = map(all, "@begins").entries;
    expect(begins.every((e) => e.keyParts.length === 2)).toBe(true);
    const sum = (entries: { value: unknown }[]) => entries.reduce((n, e) => n + Number(e.value), 0);
    expect(sum(begins)).toBe(sum(map(all, "@flags").entries));
  });

  it("write sizes traced from dd: hist, lhist, stats, count, sum, avg agree", () => {
    const all = events("write-sizes");
    // dd-writes.sh writes 5 x 100, 3 x 5000 and 2 x 1 MiB bytes.
    const bytes = hist(all, "@bytes").entries[0]?.value ?? [];
    expect(bytes.filter((b) => b.count > 0)).toEqual([
      { low: 64, high: 128, count: 5 },
      { low: 4096, high: 8192, count: 3 },
      { low: 1048576, high: 2097152, count: 2 },
    ]);
    expect(hist(all, "@bytes_linear").entries[0]?.value.at(-1)).toEqual({ low: 8192, high: null, count: 2 });
    expect(stats(all, "@bytes_by_fd").entries).toEqual([
      { key: "1", keyParts: ["1"], value: { count: 10n, average: 211265n, total: 2112652n } },
    ]);
    expect(map(all, "@calls").entries).toEqual([{ key: "dd,1", keyParts: ["dd", "1"], value: 10 }]);
    expect(map(all, "@total").entries[0]?.value).toBe(5 * 100 + 3 * 5000 + 2 * 1048576);
    expect(stats(all, "@mean").entries[0]?.value.average).toBe(211265n);
  });

  it("time(), cat(), system() and join() have their own event types", () => {
    expect(events("builtins").filter((e) => e.type !== "attached_probes")).toEqual([
      { type: "time", data: expect.stringMatching(/^time: \d{4}\n$/) },
      { type: "cat", data: expect.stringMatching(/^\d+\.\d+\n$/) },
      { type: "syscall", data: "from system\n" },
      { type: "join", data: "/bin/true one two" },
      { type: "join", data: "/bin/true,one,two" },
    ]);
  });

  it("helper errors under -k", () => {
    expect(events("helper-error")).toContainEqual({
      type: "helper_error",
      message: "Bad address",
      helper: "probe_read",
      retcode: -14,
      line: 3,
      column: 10,
    });
  });

  it("lost events: printed plus lost events add up to the 3000 traced writes", () => {
    const all = events("lost-events");
    const lost = all.reduce((n, e) => n + (e.type === "lost_events" ? e.events : 0), 0);
    expect(lost).toBeGreaterThan(0);
    expect(printfLines(all).length + lost).toBe(3000);
  });

  it("error runs print nothing on stdout but the attach line at most", () => {
    expect(parseJsonOutput(recorded("error-syntax"))).toEqual({ events: [], unparsed: [] });
    expect(parseJsonOutput(recorded("error-kprobe-attach")).events).toEqual([
      { type: "attached_probes", probes: 1 },
    ]);
  });
});

describe("parseJsonOutput on malformed input", () => {
  it("sends lines that are not bpftrace JSON to unparsed and skips blank lines", () => {
    const stdout = [
      "",
      "Attaching 1 probe...",
      '{"type": "printf", "data": "ok\\n"}',
      '{"type": "printf", "data": "trunc',
      '{"type": "printf", "data": 5}',
      '{"type": "tseries", "data": {"@t": []}}',
      '{"type": "map", "data": {"@a": 1, "@b": 2}}',
      '{"type": "hist", "data": {"@h": [{"min": 0, "max": 1, "count": "many"}]}}',
      '{"type": "stats", "data": {"@s": "x"}}',
      "[1, 2]",
      "   ",
    ].join("\n");
    const output = parseJsonOutput(stdout);
    expect(output.events).toEqual([{ type: "printf", data: "ok\n" }]);
    expect(output.unparsed).toHaveLength(8);
    expect(output.unparsed[0]).toBe("Attaching 1 probe...");
  });

  it("handles CRLF line ends, as a serial console may add them", () => {
    const output = parseJsonOutput('{"type": "printf", "data": "a\\n"}\r\n{"type": "printf", "data": "b"}\r\n');
    expect(output.unparsed).toEqual([]);
    expect(printfLines(output.events)).toEqual(["a", "b"]);
  });

  it("accepts the 0.24+ attached_probes and lost_events lines with their extra count field", () => {
    const output = parseJsonOutput(
      '{"type": "attached_probes", "count": 2, "data": {"probes": 2}}\n' +
        '{"type": "lost_events", "count": 7, "data": {"events": 7}}\n',
    );
    expect(output.events).toEqual([
      { type: "attached_probes", probes: 2 },
      { type: "lost_events", events: 7 },
    ]);
  });

  it("printfLines of no printf output is empty", () => {
    expect(printfLines([])).toEqual([]);
    expect(printfLines([{ type: "printf", data: "\n" }])).toEqual([""]);
  });

  it("the line schema rejects wrongly typed fields", () => {
    expect(jsonLineSchema.safeParse({ type: "printf", data: 5 }).success).toBe(false);
    expect(jsonLineSchema.safeParse({ type: "attached_probes", data: {} }).success).toBe(false);
    expect(jsonLineSchema.safeParse({ type: "value", data: { nested: [1n, null] } }).success).toBe(true);
  });
});
