// Parses `bpftrace -f json` output recorded in both labs (fixtures/bpftrace-output/<lab>, see its
// README for the commands and scripts/ for the scripts): bpftrace v0.23.2 (trixie) and v0.27.0
// (forky).
import { describe, expect, it } from "vitest";
import { histBucketOf, histTotal } from "../graders/kit/bpftrace/aggregates.ts";
import {
  exactIntegers,
  jsonBoolean,
  jsonLineSchema,
  lastJsonMap,
  parseJsonOutput,
  printfLines,
  type JsonEvent,
  type JsonHistEvent,
  type JsonMapEvent,
  type JsonOutput,
  type JsonStatsEvent,
} from "../graders/kit/bpftrace/json-output.ts";
import { mapKeyUse } from "../graders/kit/bpftrace/script-maps.ts";
import { jsonMapPrints, mapLines } from "../graders/kit/evidence/json-excerpt.ts";
import { bpftraceOf, recorded, recordedLabs, recordedScript, type RecordedLab } from "./support/bpftrace-recordings.ts";

function parsed(lab: RecordedLab, name: string): JsonOutput {
  return parseJsonOutput(recorded(lab, `${name}.jsonl`));
}

/** The events of a fixture, which must hold no line the parser could not read. */
function events(lab: RecordedLab, name: string): JsonEvent[] {
  const output = parsed(lab, name);
  expect(output.unread).toEqual([]);
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

/** Key -> value of a keyed map: 0.23 and 0.27 print the same entries in different orders. */
function byKey(event: JsonMapEvent): Map<string | null, unknown> {
  return new Map(event.entries.map((entry) => [entry.key, entry.value]));
}

describe.each(recordedLabs)("parseJsonOutput on the %s lab's recorded output", (lab) => {
  it(`printf: events, lines joined across printf calls, the attach marker seen (bpftrace ${bpftraceOf[lab]})`, () => {
    const output = parsed(lab, "printf");
    expect(output).toMatchObject({ probesAttachedMarker: true, unread: [], diagnostics: [] });
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
    expect(parsed(lab, "printf-no-notify")).toMatchObject({ probesAttachedMarker: false, unread: [] });
  });

  it("maps without keys hold numbers, strings and tuples", () => {
    const all = events(lab, "maps");
    expect(map(all, "@scalar")).toEqual({
      type: "map",
      name: "@scalar",
      keyed: false,
      entries: [{ key: null, keyParts: [], value: 5 }],
    });
    expect(map(all, "@negative").entries[0]?.value).toBe(-12);
    expect(map(all, "@string_value").entries[0]?.value).toBe("a string value");
    expect(map(all, "@tuple_value").entries[0]?.value).toEqual([1, "two", 3]);
  });

  it("a map holding one struct: its fields, with exact pointers, once the script says the map has no keys", () => {
    const all = parseJsonOutput(recorded(lab, "maps.jsonl"), { mapKeys: mapKeyUse(recordedScript("maps.bt")) }).events;
    const record = map(all, "@record_value");
    expect(record.keyed).toBe(false);
    expect(record.entries[0]?.value).toEqual({ mnt: expect.any(BigInt), dentry: expect.any(BigInt) });
    // 0.23 opens a struct with "{ ", which tells it from keys without the script; 0.27 does not.
    expect(map(events(lab, "maps"), "@record_value").keyed).toBe(lab === "forky");
  });

  it("keyed maps keep exact pointer keys: decimal in 0.23, hex in 0.27", () => {
    const all = events(lab, "maps");
    const byInt = map(all, "@by_int");
    expect(byInt.keyed).toBe(true);
    expect(byKey(byInt)).toEqual(new Map([["1", 10], ["2", 20], ["-3", 30]]));
    const byPointer = map(all, "@by_ptr").entries;
    expect(new Map(byPointer.map((e) => [BigInt(e.key ?? ""), e.value]))).toEqual(new Map([[0xffff888100001000n, 1], [0n, 2]]));
    expect(byPointer.map((e) => e.key)).toEqual(lab === "trixie" ? ["18446612686365003776", "0"] : ["0xffff888100001000", "0x0"]);
    // 0.27 drops the spaces from keys.
    const space = lab === "trixie" ? " " : "";
    expect(map(all, "@by_tuple").entries.map((e) => e.keyParts)).toEqual([["1", "x"], ["2", `y${space}z`]]);
    // A comma inside a string key is not escaped: key stays whole, keyParts splits it.
    const comma = map(all, "@by_str").entries.find((e) => e.value === 3);
    expect(comma?.key).toBe(`with,${space}comma`);
    expect(comma?.keyParts).toEqual(["with", `${space}comma`]);
    expect(map(all, "@count").entries[0]?.value).toBe(3);
    expect(map(all, "@sum").entries[0]?.value).toBe(42);
    expect(map(all, "@min").entries[0]?.value).toBe(3);
    expect(map(all, "@max").entries[0]?.value).toBe(9);
  });

  it("avg() and stats() maps are stats lines", () => {
    const all = events(lab, "maps");
    expect(stats(all, "@avg").entries).toEqual([
      { key: null, keyParts: [], value: { count: null, average: 15n, total: null } },
    ]);
    expect(stats(all, "@avg_by_int").entries.map((e) => [e.key, e.value.average])).toEqual([
      ["7", 7n],
      ["8", 100n],
    ]);
    expect(stats(all, "@stats").entries[0]?.value).toEqual({ count: 2n, average: 20n, total: 40n });
    const byStr = stats(all, "@stats_by_str");
    expect(byStr.keyed).toBe(true);
    expect(byStr.entries.map((e) => [e.key, e.value])).toEqual([
      ["k1", { count: 1n, average: 1n, total: 1n }],
      ["k2", { count: 2n, average: 150n, total: 300n }],
    ]);
  });

  it("hist(): buckets from below zero to [2G, 4G) with half-open bounds", () => {
    const buckets = hist(events(lab, "hist"), "@h").entries[0]?.value ?? [];
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
    const all = events(lab, "hist");
    const linear = hist(all, "@l").entries[0]?.value ?? [];
    expect(histTotal(linear)).toBe(6);
    expect(linear[0]).toEqual({ low: null, high: 0, count: 1 });
    expect(linear.at(-1)).toEqual({ low: 100, high: null, count: 2 });
    const kilo = hist(all, "@lk").entries[0]?.value ?? [];
    expect(kilo.map((b) => b.low)).toEqual([0, 1024, 2048, 3072, 4096, 5120, 6144, 7168, 8192]);
  });

  it("hist() with keys, tuple keys and extra bits", () => {
    const all = events(lab, "hist");
    const byStr = hist(all, "@by_str");
    expect(byStr.keyed).toBe(true);
    expect(byStr.entries.map((e) => [e.key, histTotal(e.value)])).toEqual([["read", 1], ["write", 2]]);
    expect(hist(all, "@by_tuple").entries.map((e) => e.keyParts)).toEqual([["1", "a"], ["2", lab === "trixie" ? "b c" : "bc"]]);
    const fine = hist(all, "@fine").entries[0]?.value ?? [];
    expect(fine.slice(0, 5).map((b) => [b.low, b.high])).toEqual([[5, 6], [6, 7], [7, 8], [8, 10], [10, 12]]);
    expect(histBucketOf(fine, 100)).toEqual({ low: 96, high: 112, count: 1 });
  });

  it("print(): each print is an event, with top and div applied; cleared maps print nothing", () => {
    const all = events(lab, "print");
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

  it("print() of structs, nested structs and tuples, pointers exact", () => {
    const values = events(lab, "structs").flatMap((e) => (e.type === "value" ? [e.data] : []));
    expect(values[0]).toEqual({ hash: expect.any(Number), len: lab === "trixie" ? 14 : 12, hash_len: expect.any(Number), name: expect.any(BigInt) });
    expect(values[1]).toMatchObject({ users: 1, umask: 18, root: { mnt: expect.any(BigInt), dentry: expect.any(BigInt) } });
    const dentry = values[2] as { d_name: unknown; d_parent: unknown };
    expect(dentry.d_name).toEqual(values[0]);
    expect(dentry.d_parent).toEqual(expect.any(BigInt));
    expect(values[3]).toEqual([1, "two", [3, 4]]);
    expect(values[5]).toEqual([1, 3, expect.any(Number)]);
  });

  it("lock contention: every printed duration lies in a bucket of @long_block_times", () => {
    const all = events(lab, "lock-contention");
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
    const all = events(lab, "write-sizes");
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
    expect(events(lab, "builtins").filter((e) => e.type !== "attached_probes")).toEqual([
      { type: "time", data: expect.stringMatching(/^time: \d{4}\n$/) },
      { type: "cat", data: lab === "trixie" ? "13.8\n" : "forky/sid\n" },
      { type: "syscall", data: "from system\n" },
      { type: "join", data: "/bin/true one two" },
      { type: "join", data: "/bin/true,one,two" },
    ]);
  });

  it("helper errors under -k; 0.27 names the file", () => {
    expect(events(lab, "helper-error")).toContainEqual({
      type: "helper_error",
      message: "Bad address",
      helper: "probe_read",
      retcode: -14,
      line: 3,
      ...(lab === "trixie" ? { column: 10 } : { column: 11, file: "helper-error.bt" }),
    });
  });

  it("a refused script prints nothing on stdout; 0.23 prints the attach line before it fails to attach", () => {
    expect(parsed(lab, "error-syntax")).toEqual({ events: [], probesAttachedMarker: false, diagnostics: [], unread: [] });
    expect(events(lab, "error-kprobe-attach")).toEqual(lab === "trixie" ? [{ type: "attached_probes", probes: 1 }] : []);
  });
});

describe("lost events", () => {
  it("0.23: printed plus lost events add up to the 3000 traced writes", () => {
    const all = events("trixie", "lost-events");
    const lost = all.reduce((n, e) => n + (e.type === "lost_events" ? e.events : 0), 0);
    expect(lost).toBeGreaterThan(0);
    expect(printfLines(all).length + lost).toBe(3000);
  });

  it("0.27: fewer than the 3000 writes printed, and no lost_events line", () => {
    const all = events("forky", "lost-events");
    expect(printfLines(all).length).toBeLessThan(3000);
    expect(all.some((e) => e.type === "lost_events")).toBe(false);
  });
});

describe("0.27 prints compile-time warnings on stdout, before the JSON lines", () => {
  it("they are diagnostics with their source lines, not unread lines", () => {
    const output = parsed("forky", "lock-contention");
    expect(output.unread).toEqual([]);
    expect(output.diagnostics.map((d) => [d.severity, d.line, d.message.split(".")[0], d.excerpt.split("\n").length])).toEqual([
      ["warning", 12, "Expression of type: uint64 being cast to type: int64", 2],
      ["warning", 12, "Expression of type: uint64 being cast to type: int64", 2],
      ["warning", 17, "Return value discarded", 2],
    ]);
    expect(parsed("trixie", "lock-contention").diagnostics).toEqual([]);
  });
});

describe.each(recordedLabs)("parseJsonOutput on the %s lab machine's recordings (in-vm/)", (lab) => {
  const inVm = (name: string) => events(lab, `in-vm/${name}`);

  it("a struct as a keyed map's value and as a print() value: the same fields and exact pointer in both releases", () => {
    const all = inVm("struct-value");
    const printed = all.find((e) => e.type === "value");
    const named = map(all, "@name");
    expect(named.keyed).toBe(true);
    expect(named.entries).toEqual([{ key: "rm", keyParts: ["rm"], value: printed?.type === "value" ? printed.data : "missing" }]);
    expect(named.entries[0]?.value).toEqual({ hash: expect.any(Number), len: 15, hash_len: expect.any(Number), name: expect.any(BigInt) });
  });

  it("booleans: 1/0 in 0.23, true/false in 0.27; jsonBoolean reads both", () => {
    const all = inVm("booleans");
    const printed = all.find((e) => e.type === "value");
    expect(printed?.type === "value" && printed.data).toBe(lab === "trixie" ? 1 : true);
    expect(printed?.type === "value" && jsonBoolean(printed.data)).toBe(true);
    expect([...byKey(map(all, "@flags"))].map(([key, value]) => [key, jsonBoolean(value as never)])).toEqual([
      ["no", false],
      ["yes", true],
    ]);
  });

  it("integers beyond 2^53 are exact bigints: 0.23 prints them as numbers, 0.27 as strings", () => {
    const output = parsed(lab, "in-vm/big-integer");
    expect(output.unread).toEqual([]);
    const all = output.events;
    expect(map(all, "@max").entries[0]?.value).toBe(18446744073709551615n);
    expect(map(all, "@big").entries[0]?.value).toBe(9007199254740993n);
    expect(map(all, "@neg").entries[0]?.value).toBe(-9223372036854775807n);
    expect(map(all, "@small").entries[0]?.value).toBe(9007199254740991);
    expect(all.find((e) => e.type === "value")).toEqual({ type: "value", data: 18446744073709551615n });
    expect(output.diagnostics.map((d) => [d.line, d.message, d.excerpt.split("\n")[0]])).toEqual(
      lab === "trixie"
        ? []
        : [
            [4, "Unnecessary cast: expression is already of type uint64", "  @max = (uint64)18446744073709551615;"],
            [8, "Unnecessary cast: expression is already of type uint64", "  print((uint64)18446744073709551615);"],
          ],
    );
  });

  it("@[kstack]: one key holding the frames (0.23 escapes its newlines once more than 0.27)", () => {
    const [entry, ...others] = map(inVm("kstack-keys"), "@").entries;
    expect(others).toEqual([]);
    expect(entry?.value).toBe(1);
    const frames = (entry?.key ?? "").split(lab === "trixie" ? "\\n" : "\n").map((frame) => frame.trim()).filter((frame) => frame !== "");
    expect(frames).toHaveLength(7);
    expect(frames).toContain("vfs_unlink+9");
  });

  it("runtime errors under -k: helper errors in both, a runtime_error line in 0.27", () => {
    const all = inVm("runtime-error");
    expect(printfLines(all)).toEqual([lab === "trixie" ? "quotient=0" : "quotient=1", "name="]);
    expect(all.filter((e) => e.type === "helper_error").map((e) => (e.type === "helper_error" ? e.helper : ""))).toEqual(["probe_read", "probe_read_str"]);
    expect(all.filter((e) => e.type === "runtime_error")).toEqual(
      lab === "trixie"
        ? []
        : [
            {
              type: "runtime_error",
              message: "Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.",
              file: "runtime-error.bt",
              line: 5,
              column: 27,
            },
          ],
    );
  });

  it("print(args) of a kfunc: its pointers exact", () => {
    const [args] = inVm("kfunc-args").flatMap((e) => (e.type === "value" ? [e.data] : []));
    expect(args).toEqual({ file: expect.any(BigInt), buf: expect.any(Number), count: 3, pos: expect.any(BigInt) });
  });
});

describe("parseJsonOutput on 0.27 output the trixie lab cannot print", () => {
  it("tseries(): a tseries event, one point per interval that has a value", () => {
    const all = events("forky", "in-vm/tseries");
    const series = lastJsonMap(all, "tseries", "@calls");
    expect(series).toEqual({
      type: "tseries",
      name: "@calls",
      keyed: false,
      entries: [
        {
          key: null,
          keyParts: [],
          value: [
            { start: "2026-11-30 12:16:29.000000000", value: 757n },
            { start: "2026-11-30 12:16:29.100000000", value: 17n },
            { start: "2026-11-30 12:16:29.200000000", value: 947n },
            { start: "2026-11-30 12:16:29.400000000", value: 327n },
          ],
        },
      ],
    });
    expect(series && mapLines(series)).toEqual(["@calls:", "2026-11-30 12:16:29.000000000 757", "2026-11-30 12:16:29.100000000 17", "2026-11-30 12:16:29.200000000 947", "2026-11-30 12:16:29.400000000 327"]);
    expect(jsonMapPrints(parsed("forky", "in-vm/tseries")).map((e) => e.name)).toEqual(["@calls", "@n"]);
  });

  it("errorf() and warnf(): events of their own, with the script's location", () => {
    expect(events("forky", "in-vm/errorf-warnf").filter((e) => e.type !== "attached_probes")).toEqual([
      { type: "warnf", message: "careful: 3 left", file: "errorf-warnf.bt", line: 4, column: 3 },
      { type: "errorf", message: "broken: value", file: "errorf-warnf.bt", line: 5, column: 3 },
    ]);
  });
});

describe("mapKeyUse: which maps a script indexes, for 0.24+'s struct values", () => {
  it("reads the recorded scripts", () => {
    const maps = mapKeyUse(recordedScript("maps.bt"));
    expect(maps.keyed).toEqual(new Set(["@by_int", "@by_str", "@by_tuple", "@by_ptr", "@count_by_str", "@avg_by_int", "@stats_by_str"]));
    expect(maps.unkeyed).toContain("@record_value");
    expect(maps.unkeyed).toContain("@scalar");
    expect(mapKeyUse(recordedScript("kstack-keys.bt"))).toEqual({ keyed: new Set(["@"]), unkeyed: new Set() });
  });

  it("ignores comments and strings, and comparisons", () => {
    const script = ['// @a[1] = 2;', '/* @b[1] */ @b = 3;', 'BEGIN { printf("@c[%d]\\n", 1); if (@d == 1) { @e["x"] = 1; } }'].join("\n");
    expect(mapKeyUse(script)).toEqual({ keyed: new Set(["@e"]), unkeyed: new Set(["@b"]) });
  });

  it("without the script, 0.24+'s struct is told from keys only when a key cannot be a field or the values differ in kind", () => {
    const read = (data: string) => parseJsonOutput(`{"type": "map", "data": {"@m": ${data}}}`).events[0];
    expect(read('{"pid": 1, "comm": "rm"}')).toMatchObject({ keyed: false, entries: [{ value: { pid: 1, comm: "rm" } }] });
    expect(read('{"rm": 1, "sh": 2}')).toMatchObject({ keyed: true });
    expect(read('{"kworker/0:1": 1}')).toMatchObject({ keyed: true });
    const told = parseJsonOutput('{"type": "map", "data": {"@m": {"rm": 1, "sh": 2}}}', { mapKeys: mapKeyUse("BEGIN { @m = (rm=1, sh=2); }") });
    expect(told.events[0]).toMatchObject({ keyed: false, entries: [{ key: null, value: { rm: 1, sh: 2 } }] });
  });
});

describe("exactIntegers", () => {
  it("turns the strings 0.24+ prints for integers a double cannot hold back into bigints, nothing else", () => {
    expect(exactIntegers(["18446744073709551615", "9007199254740993", "-9223372036854775807", "123", "9007199254740992", "abc", "1e400"])).toEqual([
      18446744073709551615n,
      9007199254740993n,
      -9223372036854775807n,
      "123",
      "9007199254740992",
      "abc",
      "1e400",
    ]);
  });
});

describe("parseJsonOutput on malformed input", () => {
  it("the loud path: lines that are not bpftrace JSON of a known type and shape are unread", () => {
    const stdout = [
      "",
      "Attaching 1 probe...",
      '{"type": "printf", "data": "ok\\n"}',
      '{"type": "printf", "data": "trunc',
      '{"type": "printf", "data": 5}',
      '{"type": "flamegraph", "data": {"@t": []}}',
      '{"type": "map", "data": {"@a": 1, "@b": 2}}',
      '{"type": "hist", "data": {"@h": [{"min": 0, "max": 1, "count": "many"}]}}',
      '{"type": "stats", "data": {"@s": "x"}}',
      '{"type": "tseries", "data": {"@t": [{"interval_start": "12:00", "value": "high"}]}}',
      "[1, 2]",
      "   ",
    ].join("\n");
    const output = parseJsonOutput(stdout);
    expect(output.events).toEqual([{ type: "printf", data: "ok\n" }]);
    expect(output.unread).toHaveLength(9);
    expect(output.unread[0]).toBe("Attaching 1 probe...");
    expect(output.unread[3]).toBe('{"type": "flamegraph", "data": {"@t": []}}');
  });

  it("handles CRLF line ends, as a serial console may add them", () => {
    const output = parseJsonOutput('{"type": "printf", "data": "a\\n"}\r\n{"type": "printf", "data": "b"}\r\n');
    expect(output.unread).toEqual([]);
    expect(printfLines(output.events)).toEqual(["a", "b"]);
  });

  it("printfLines of no printf output is empty", () => {
    expect(printfLines([])).toEqual([]);
    expect(printfLines([{ type: "printf", data: "\n" }])).toEqual([""]);
  });

  it("the line schema rejects wrongly typed fields", () => {
    expect(jsonLineSchema.safeParse({ type: "printf", data: 5 }).success).toBe(false);
    expect(jsonLineSchema.safeParse({ type: "attached_probes", data: {} }).success).toBe(false);
    expect(jsonLineSchema.safeParse({ type: "value", data: { nested: [1n, null] } }).success).toBe(true);
    expect(jsonLineSchema.safeParse({ type: "warnf", msg: "x", line: 1 }).success).toBe(false);
  });
});
