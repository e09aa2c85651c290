// Parses bpftrace's text output recorded in both labs (fixtures/bpftrace-output/<lab>, see its
// README): bpftrace v0.23.2 (trixie) and v0.27.0 (forky), and checks it against the JSON output
// of the same deterministic scripts.
import { describe, expect, it } from "vitest";
import { histBucketOf, histTotal, type HistBucket } from "../graders/kit/bpftrace/aggregates.ts";
import { parseDiagnostics } from "../graders/kit/bpftrace/diagnostics.ts";
import { lastJsonMap, parseJsonOutput } from "../graders/kit/bpftrace/json-output.ts";
import {
  parseTextOutput,
  type TextMap,
  type TextMapValue,
  type TextOutput,
} from "../graders/kit/bpftrace/text-output.ts";
import { textValueBigInt, textValueBoolean, type TextValue } from "../graders/kit/bpftrace/text-value.ts";
import { bpftraceOf, recorded, recordedLabs, type RecordedLab } from "./support/bpftrace-recordings.ts";

/** The text-mode run of a fixture, stdout with its stderr (0.24+ prints status lines there). */
function parsed(lab: RecordedLab, name: string): TextOutput {
  return parseTextOutput(recorded(lab, `${name}.txt`), recorded(lab, `${name}.stderr.txt`));
}

function textMap(output: TextOutput, name: string): TextMap {
  const found = output.maps[name];
  if (!found) throw new Error(`no map ${name}`);
  return found;
}

function onlyValue(output: TextOutput, name: string): TextMapValue | undefined {
  return textMap(output, name).entries[0]?.value;
}

function entryOf(output: TextOutput, name: string, key: string): TextMapValue | undefined {
  return textMap(output, name).entries.find((entry) => entry.key === key)?.value;
}

function buckets(value: TextMapValue | undefined): HistBucket[] {
  if (value?.kind !== "hist") throw new Error(`not a hist: ${value?.kind}`);
  return value.buckets;
}

const integer = (value: bigint): TextMapValue => ({ kind: "value", value: { kind: "integer", value } });
const int = (value: bigint): TextValue => ({ kind: "integer", value });

describe.each(recordedLabs)("parseTextOutput on the %s lab's recorded output", (lab) => {
  it(`printf: status lines recognised on either stream, printf lines kept in order (bpftrace ${bpftraceOf[lab]})`, () => {
    const output = parsed(lab, "printf");
    expect(output).toMatchObject({ attachedProbes: 3, probesAttachedMarker: true, lostEvents: 0, unread: [], mapPrints: [] });
    expect(output.lines).toEqual([
      "hello 42 world",
      "no newline then continued",
      "two",
      "lines",
      'tab\tquote" backslash\\ done',
      "pad     |    7|0xff",
      "write fd=1 count=3",
      "bye",
    ]);
    expect(parsed(lab, "printf-no-notify").probesAttachedMarker).toBe(false);
  });

  it("maps with no key, int, string, tuple and pointer keys", () => {
    const output = parsed(lab, "maps");
    expect(output.lines).toEqual([]);
    expect(output.unread).toEqual([]);
    expect(textMap(output, "@scalar").entries).toEqual([{ key: null, keyParts: [], value: integer(5n) }]);
    expect(onlyValue(output, "@negative")).toEqual(integer(-12n));
    expect(onlyValue(output, "@string_value")).toEqual({
      kind: "value",
      value: { kind: "string", value: "a string value" },
    });
    expect(textMap(output, "@by_int").entries.map((e) => [e.key, e.value])).toEqual([
      ["1", integer(10n)],
      ["2", integer(20n)],
      ["-3", integer(30n)],
    ]);
    // 0.23 prints @by_ptr's entries by value, 0.27 by key.
    const byPointer = textMap(output, "@by_ptr").entries;
    expect(byPointer.every((e) => e.keyParts.length === 1 && e.keyParts[0]?.kind === "pointer")).toBe(true);
    expect(new Map(byPointer.map((e) => [textValueBigInt(e.keyParts[0]), e.value]))).toEqual(
      new Map([
        [0xffff888100001000n, integer(1n)],
        [0n, integer(2n)],
      ]),
    );
    expect(textMap(output, "@by_tuple").entries[1]).toEqual({
      key: "2, y z",
      keyParts: [int(2n), { kind: "string", value: "y z" }],
      value: integer(200n),
    });
    // Text keys are not quoted: a string key holding ", " splits into two parts.
    const comma = textMap(output, "@by_str").entries.find((e) => e.key === "with, comma");
    expect(comma?.value).toEqual(integer(3n));
    expect(comma?.keyParts).toHaveLength(2);
  });

  it("map values that are tuples and structs parse into typed values", () => {
    const output = parsed(lab, "maps");
    expect(onlyValue(output, "@tuple_value")).toEqual({
      kind: "value",
      value: { kind: "tuple", elements: [int(1n), { kind: "string", value: "two" }, int(3n)] },
    });
    const record = onlyValue(output, "@record_value");
    expect(record?.kind === "value" && record.value.kind === "record" && Object.keys(record.value.fields)).toEqual([
      "mnt",
      "dentry",
    ]);
  });

  it("stats() values (0.23: count 2, average 20, ...; 0.24+: a record); avg() prints like a plain value", () => {
    const output = parsed(lab, "maps");
    expect(onlyValue(output, "@stats")).toEqual({ kind: "stats", stats: { count: 2n, average: 20n, total: 40n } });
    expect(textMap(output, "@stats_by_str").entries.map((e) => [e.key, e.value])).toEqual([
      ["k1", { kind: "stats", stats: { count: 1n, average: 1n, total: 1n } }],
      ["k2", { kind: "stats", stats: { count: 2n, average: 150n, total: 300n } }],
    ]);
    expect(onlyValue(output, "@avg")).toEqual(integer(15n));
  });

  it("hist and lhist buckets equal the JSON output of the same script", () => {
    const text = parsed(lab, "hist");
    const json = parseJsonOutput(recorded(lab, "hist.jsonl")).events;
    for (const name of ["@h", "@fine", "@l", "@lk", "@by_str", "@by_tuple", "@lhist_by_int"]) {
      const fromText = textMap(text, name).entries.map((e) => buckets(e.value));
      const fromJson = lastJsonMap(json, "hist", name)?.entries.map((e) => e.value);
      expect(fromText, name).toEqual(fromJson);
    }
    const h = buckets(onlyValue(text, "@h"));
    expect(histTotal(h)).toBe(10);
    expect(histBucketOf(h, 3 * 2 ** 30)).toEqual({ low: 2 ** 31, high: 2 ** 32, count: 1 });
    expect(textMap(text, "@by_str").entries.map((e) => e.key)).toEqual(["read", "write"]);
    // 0.27 labels a one-value bucket "[3]" where 0.23 printed "[3, 4)".
    expect(histBucketOf(buckets(onlyValue(text, "@fine")), 6)).toEqual({ low: 6, high: 7, count: 0 });
  });

  it("print(): map prints in order, top/div applied, a zeroed hist has no buckets", () => {
    const output = parsed(lab, "print");
    expect(output.mapPrints.map((p) => `${p.name}:${p.entries.map((e) => e.key ?? "").join(",")}`)).toEqual([
      "@c:a,b,c",
      "@c:b,c",
      "@s:1,2",
      "@h:",
      "@st:",
      "@a:",
      "@h:",
      "@a:",
      "@h:",
      "@s:1,2",
      "@st:",
    ]);
    expect(output.mapPrints[2]?.entries.map((e) => e.value)).toEqual([integer(1n), integer(3n)]);
    expect(textMap(output, "@s").entries.map((e) => e.value)).toEqual([integer(1000n), integer(3000n)]);
    expect(buckets(onlyValue(output, "@h"))).toEqual([]);
    expect(onlyValue(output, "@st")).toEqual({ kind: "stats", stats: { count: 1n, average: 5n, total: 5n } });
    expect(output.lines).toEqual([
      "-- print(@c)",
      "-- print(@c, 2)",
      "-- print(@s, 0, 1000)",
      "-- print(@h)",
      "-- print(@st)",
      "-- print(@a)",
      "-- print of non-map values",
      "5",
      "a string",
      "bpftrace",
      "-- print after clear and zero",
      "-- end of BEGIN",
    ]);
  });

  it("print() of structs stays in lines, for parseTextValue", () => {
    const output = parsed(lab, "structs");
    expect(output.lines[0]).toBe(`root dentry name: ${lab === "trixie" ? "parsers" : "forky"}-rootfs`);
    expect(output.lines.slice(1).map((line) => line.slice(0, 2))).toEqual(["{ ", "{ ", "{ ", "(1", "{ ", "(1"]);
  });

  it("lock contention: pointer-keyed hist per lock, tuple keys (tid, lock address)", () => {
    const output = parsed(lab, "lock-contention");
    const durations = output.lines.map((line) => Number(/^contended time: (\d+)$/.exec(line)?.[1]));
    expect(durations.length).toBeGreaterThan(0);
    expect(durations.every((duration) => duration > 0)).toBe(true);
    const perLock = textMap(output, "@long_block_times").entries;
    expect(perLock.every((e) => e.keyParts[0]?.kind === "pointer")).toBe(true);
    expect(perLock.reduce((n, e) => n + histTotal(buckets(e.value)), 0)).toBe(durations.length);
    for (const duration of durations) {
      expect(perLock.some((e) => (histBucketOf(buckets(e.value), duration)?.count ?? 0) > 0)).toBe(true);
    }
    const begins = textMap(output, "@begins").entries;
    expect(begins.every((e) => e.keyParts[0]?.kind === "integer" && e.keyParts[1]?.kind === "pointer")).toBe(true);
    const total = (map: TextMap) =>
      map.entries.reduce((n, e) => n + (e.value.kind === "value" && e.value.value.kind === "integer" ? Number(e.value.value.value) : 0), 0);
    expect(total(textMap(output, "@begins"))).toBe(total(textMap(output, "@flags")));
    expect(output.unread).toEqual([]);
  });

  it("write sizes: text and JSON agree", () => {
    const text = parsed(lab, "write-sizes");
    const json = parseJsonOutput(recorded(lab, "write-sizes.jsonl")).events;
    expect(buckets(onlyValue(text, "@bytes"))).toEqual(lastJsonMap(json, "hist", "@bytes")?.entries[0]?.value);
    expect(onlyValue(text, "@bytes_by_fd")).toEqual({
      kind: "stats",
      stats: lastJsonMap(json, "stats", "@bytes_by_fd")?.entries[0]?.value,
    });
    expect(textMap(text, "@calls").entries[0]?.keyParts).toEqual([{ kind: "string", value: "dd" }, int(1n)]);
    expect(onlyValue(text, "@total")).toEqual(integer(2112652n));
  });

  it("time(), cat(), system() and join() output are lines", () => {
    expect(parsed(lab, "builtins").lines).toEqual([
      expect.stringMatching(/^time: \d{4}$/),
      lab === "trixie" ? "13.8" : "forky/sid",
      "from system",
      "/bin/true one two",
      "/bin/true,one,two",
    ]);
  });
});

describe("status lines and run-time messages that moved streams in bpftrace 0.24", () => {
  it("0.23 prints the attach line on stdout, 0.27 on stderr: both are read, neither is printf output", () => {
    const stdout = { trixie: recorded("trixie", "printf.txt"), forky: recorded("forky", "printf.txt") };
    expect(stdout.trixie.split("\n")[0]).toBe("Attaching 3 probes...");
    expect(stdout.forky).not.toMatch(/Attach/);
    expect(parseTextOutput(stdout.forky).attachedProbes).toBeNull();
    expect(parseTextOutput(stdout.forky, recorded("forky", "printf.stderr.txt")).attachedProbes).toBe(3);
    // Either stream's status lines are no messages of bpftrace's.
    expect(parseDiagnostics(recorded("forky", "printf.stderr.txt")).map((d) => d.message)).toEqual([
      expect.stringMatching(/^Could not read functions from \/sys\/kernel\/tracing\/available_filter_functions\. /),
      expect.stringMatching(/^Unknown error -1: couldn't set RLIMIT_MEMLOCK for bpftrace\. If your program is not loading, you can try "ulimit -l 8192" to fix the problem$/),
    ]);
  });

  it("0.23: helper errors (-k) are printed on stdout and become diagnostics", () => {
    const output = parsed("trixie", "helper-error");
    expect(output.lines).toEqual(["len=0"]);
    expect(output.diagnostics).toEqual([
      {
        severity: "warning",
        file: "helper-error.bt",
        line: 3,
        endLine: 3,
        column: 10,
        endColumn: 34,
        message: "Bad address\nAdditional Info - helper: probe_read, retcode: -14",
        excerpt: "  $len = ((struct qstr *)0)->len;\n         ~~~~~~~~~~~~~~~~~~~~~~~~",
      },
    ]);
  });

  it("0.27: helper errors go to stderr, stdout keeps the printf line only", () => {
    const output = parsed("forky", "helper-error");
    expect(output).toMatchObject({ lines: ["len=0"], diagnostics: [], unread: [], attachedProbes: 1 });
    expect(parseDiagnostics(recorded("forky", "helper-error.stderr.txt")).at(-1)).toEqual({
      severity: "warning",
      file: "helper-error.bt",
      line: 3,
      endLine: 3,
      column: 11,
      endColumn: 33,
      message: "Bad address\nAdditional Info - helper: probe_read, retcode: -14",
      excerpt: "  $len = ((struct qstr *)0)->len;\n          ~~~~~~~~~~~~~~~~~~~~~~",
    });
  });

  it("0.27 prints compile-time warnings on stdout before the run: diagnostics with their source line, not printf output", () => {
    const output = parsed("forky", "lock-contention");
    expect(output.diagnostics.map((d) => [d.line, d.column, d.message.slice(0, 40), d.excerpt.split("\n")[0]])).toEqual([
      [12, 20, "Expression of type: uint64 being cast to", "  $lock_duration = nsecs - @start[tid, args.lock_addr];"],
      [12, 28, "Expression of type: uint64 being cast to", "  $lock_duration = nsecs - @start[tid, args.lock_addr];"],
      [17, 3, "Return value discarded.", "  delete(@start[tid, args.lock_addr]);"],
    ]);
    expect(output.lines.every((line) => line.startsWith("contended time: "))).toBe(true);
  });

  it("lost events, 0.23: printed plus lost events add up to the 3000 traced writes", () => {
    const output = parsed("trixie", "lost-events");
    expect(output.lostEvents).toBeGreaterThan(0);
    expect(output.lines.length + output.lostEvents).toBe(3000);
  });

  it("lost events, 0.27: fewer than the 3000 writes printed, and bpftrace reports no loss on either stream", () => {
    const output = parsed("forky", "lost-events");
    expect(output.lines.length).toBeLessThan(3000);
    expect(output.lostEvents).toBe(0);
    expect(output.unread).toEqual([]);
  });

  it("a failed attach: 0.23 leaves just the attach line, 0.27 refuses the script before attaching", () => {
    expect(parsed("trixie", "error-kprobe-attach")).toMatchObject({ attachedProbes: 1, lines: [], mapPrints: [] });
    expect(parsed("forky", "error-kprobe-attach")).toMatchObject({ attachedProbes: null, lines: [], mapPrints: [] });
  });
});

describe.each(recordedLabs)("parseTextOutput on the %s lab machine's recordings (in-vm/)", (lab) => {
  const inVm = (name: string) => parsed(lab, `in-vm/${name}`);

  it("@[kstack]: a key spanning lines is one entry, its frames joined by newlines", () => {
    const output = inVm("kstack-keys");
    expect(output).toMatchObject({ lines: [], unread: [] });
    const [entry, ...others] = textMap(output, "@").entries;
    expect(others).toEqual([]);
    expect(entry?.value).toEqual(integer(1n));
    const frames = entry?.key?.split("\n").filter((frame) => frame !== "") ?? [];
    expect(frames).toHaveLength(7);
    expect(frames.every((frame) => /^ {8}\S+\+\d+$/.test(frame))).toBe(true);
    expect(frames).toContain("        vfs_unlink+9");
    expect(frames.at(-1)).toBe("        entry_SYSCALL_64_after_hwframe+118");
  });

  it("a struct as a map value and as a print() value", () => {
    const output = inVm("struct-value");
    const value = entryOf(output, "@name", "rm");
    expect(value?.kind === "value" && value.value).toMatchObject({ kind: "record", fields: { len: int(15n), name: { kind: "pointer" } } });
    expect(output.lines).toHaveLength(1);
  });

  it("booleans: 1/0 in 0.23, true/false in 0.27; textValueBoolean reads both", () => {
    const output = inVm("booleans");
    expect(output.lines).toEqual(["yes=1 no=0", lab === "trixie" ? "1" : "true"]);
    const flags = textMap(output, "@flags").entries.map((e) => [e.key, e.value.kind === "value" ? textValueBoolean(e.value.value) : undefined]);
    expect(flags).toEqual([
      ["no", false],
      ["yes", true],
    ]);
  });

  it("integers beyond 2^53 are exact", () => {
    const output = inVm("big-integer");
    expect(onlyValue(output, "@max")).toEqual(integer(18446744073709551615n));
    expect(onlyValue(output, "@big")).toEqual(integer(9007199254740993n));
    expect(onlyValue(output, "@neg")).toEqual(integer(-9223372036854775807n));
    expect(output.lines).toEqual(["18446744073709551615"]);
    // 0.27 warns about the casts on stdout, before the run.
    expect(output.diagnostics.map((d) => [d.line, d.message])).toEqual(
      lab === "trixie"
        ? []
        : [
            [4, "Unnecessary cast: expression is already of type uint64"],
            [8, "Unnecessary cast: expression is already of type uint64"],
          ],
    );
  });

  it("print(args) and print(*args.file) of a kfunc", () => {
    const output = inVm("kfunc-args");
    expect(output.lines).toHaveLength(2);
    expect(output.lines[0]).toMatch(/^\{ \.file = 0x[0-9a-f]+, \.buf = 0x[0-9a-f]+, \.count = 3, \.pos = 0x[0-9a-f]+ \}$/);
  });

  it("runtime errors under -k: 0.23 prints them on stdout, 0.27 on stderr", () => {
    const output = inVm("runtime-error");
    expect(output.lines).toEqual([lab === "trixie" ? "quotient=0" : "quotient=1", "name="]);
    expect(output.diagnostics.map((d) => d.message.split("\n")[0])).toEqual(lab === "trixie" ? ["Bad address", "Bad address"] : []);
  });
});

describe("parseTextOutput on 0.27 output the trixie lab cannot print", () => {
  it("tseries(): one point per interval, read from the graph", () => {
    const output = parsed("forky", "in-vm/tseries");
    expect(output.unread).toEqual([]);
    expect(onlyValue(output, "@calls")).toEqual({
      kind: "tseries",
      points: [
        { start: "12:16:06.200", value: 537n },
        { start: "12:16:06.300", value: 167n },
        { start: "12:16:06.400", value: 167n },
        { start: "12:16:06.500", value: 397n },
        { start: "12:16:06.600", value: 487n },
      ],
    });
    expect(onlyValue(output, "@n")).toEqual(integer(8n));
  });

  it("errorf() and warnf() print on stderr: nothing of them on stdout", () => {
    const output = parsed("forky", "in-vm/errorf-warnf");
    expect(output).toMatchObject({ lines: [], unread: [], mapPrints: [], attachedProbes: 1 });
    expect(parseDiagnostics(recorded("forky", "in-vm/errorf-warnf.stderr.txt"))).toEqual([
      { severity: "warning", file: "errorf-warnf.bt", line: 4, endLine: 4, column: 3, endColumn: 31, message: "careful: 3 left", excerpt: "" },
      { severity: "error", file: "errorf-warnf.bt", line: 5, endLine: 5, column: 3, endColumn: 32, message: "broken: value", excerpt: "" },
    ]);
  });
});

describe("parseTextOutput on hand-written edge cases", () => {
  it("accepts the 0.24+ attach line on stdout and stats record", () => {
    const output = parseTextOutput("Attached 2 probes\n@s: { .count = 2, .average = 15, .total = 30 }\n");
    expect(output.attachedProbes).toBe(2);
    expect(onlyValue(output, "@s")).toEqual({ kind: "stats", stats: { count: 2n, average: 15n, total: 30n } });
  });

  it("keeps lines that only resemble buckets or maps as printf output, and takes CRLF line ends", () => {
    const output = parseTextOutput("@h:\r\n[1, 2)  1 |@|\r\n\r\n[x, y)  1 |@|\r\n@ not a map\r\nnote: @x is fine\r\n");
    expect(textMap(output, "@h").entries[0]?.value).toEqual({ kind: "hist", buckets: [{ low: 1, high: 2, count: 1 }] });
    expect(output.lines).toEqual(["[x, y)  1 |@|", "@ not a map", "note: @x is fine"]);
    expect(output.unread).toEqual([]);
  });

  it("a printf line between two prints of a map separates them", () => {
    const output = parseTextOutput("@m[a]: 1\n-- again\n@m[b]: 2\n@m[b]: 3\n");
    expect(output.mapPrints.map((p) => p.entries.map((e) => e.key))).toEqual([["a"], ["b"], ["b"]]);
    expect(textMap(output, "@m").entries[0]?.value).toEqual(integer(3n));
  });

  it("an empty string value and a map named just @", () => {
    const output = parseTextOutput("@[1, 2]: \n");
    expect(textMap(output, "@").entries).toEqual([
      { key: "1, 2", keyParts: [int(1n), int(2n)], value: { kind: "value", value: { kind: "empty" } } },
    ]);
  });

  it("a tuple key with a stack in it, and a keyed hist whose key spans lines", () => {
    const output = parseTextOutput("@[rm, \n        vfs_unlink+9\n        do_unlinkat+686\n]: 2\n@h[\n        f+1\n]:\n[1]  3 |@@@|\n\n");
    expect(textMap(output, "@").entries).toEqual([
      {
        key: "rm, \n        vfs_unlink+9\n        do_unlinkat+686\n",
        keyParts: [{ kind: "string", value: "rm" }, { kind: "string", value: "\n        vfs_unlink+9\n        do_unlinkat+686\n" }],
        value: integer(2n),
      },
    ]);
    expect(textMap(output, "@h").entries[0]).toMatchObject({ key: "\n        f+1\n", value: { kind: "hist", buckets: [{ low: 1, high: 2, count: 3 }] } });
    expect(output).toMatchObject({ lines: [], unread: [] });
  });

  it("the loud path: map prints it cannot read are unread, not printf output", () => {
    const stdout = [
      "before",
      "@x[1]:5", // a map line without the space after the colon
      "@open[",
      "        never closed",
      "",
      "@h:",
      "[1, 2)   1 |@|",
      "not a bucket",
      "",
      "@t:",
      "hh:mm:ss |___|",
      "",
      "after",
    ].join("\n");
    const output = parseTextOutput(stdout);
    expect(output.unread).toEqual(["@x[1]:5", "@open[", "@h:", "[1, 2)   1 |@|", "not a bucket", "@t:", "hh:mm:ss |___|"]);
    expect(output.lines).toEqual(["before", "        never closed", "after"]);
    expect(output.mapPrints).toEqual([]);
  });

  it("a key left open does not swallow the map prints after it", () => {
    const output = parseTextOutput("@a[\n        frame+1\n@b[2]: 3\n");
    expect(output.unread).toEqual(["@a["]);
    expect(output.lines).toEqual(["        frame+1"]);
    expect(textMap(output, "@b").entries[0]?.value).toEqual(integer(3n));
  });

  it("a line-range warning on stdout: before the run (0.24+) its source lines follow, at run time (0.23) none do", () => {
    const before = parseTextOutput("p.bt:2-3: WARNING: spans lines\n  $a = 1 +\n    2;\n__BPFTRACE_NOTIFY_PROBES_ATTACHED\nhello\n");
    expect(before.diagnostics).toEqual([{ severity: "warning", file: "p.bt", line: 2, endLine: 3, message: "spans lines", excerpt: "  $a = 1 +\n    2;" }]);
    expect(before.lines).toEqual(["hello"]);
    const during = parseTextOutput("Attaching 1 probe...\np.bt:2-3: WARNING: Bad address\nAdditional Info - helper: probe_read, retcode: -14\nhello\nworld\n");
    expect(during.diagnostics).toEqual([
      { severity: "warning", file: "p.bt", line: 2, endLine: 3, message: "Bad address\nAdditional Info - helper: probe_read, retcode: -14", excerpt: "" },
    ]);
    expect(during.lines).toEqual(["hello", "world"]);
  });

  it("an unlocated warning is bpftrace's before the run, printf output after it", () => {
    const output = parseTextOutput("WARNING: compile-time\n__BPFTRACE_NOTIFY_PROBES_ATTACHED\nWARNING: printed by the script\n");
    expect(output.diagnostics).toEqual([{ severity: "warning", message: "compile-time", excerpt: "" }]);
    expect(output.lines).toEqual(["WARNING: printed by the script"]);
  });

  it("an empty tseries prints <no data>", () => {
    expect(onlyValue(parseTextOutput("@t:\n<no data>\n\n"), "@t")).toEqual({ kind: "tseries", points: [] });
  });

  it("empty output", () => {
    expect(parseTextOutput("")).toEqual({
      lines: [],
      maps: {},
      mapPrints: [],
      attachedProbes: null,
      probesAttachedMarker: false,
      lostEvents: 0,
      diagnostics: [],
      unread: [],
    });
  });
});
