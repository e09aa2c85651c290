// Parses bpftrace's text output recorded from bpftrace v0.23.2 (fixtures/bpftrace-output/trixie, see
// record.sh there), and checks it against the JSON output of the same deterministic scripts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { histBucketOf, histTotal, type HistBucket } from "../graders/kit/bpftrace/aggregates.ts";
import { lastJsonMap, parseJsonOutput } from "../graders/kit/bpftrace/json-output.ts";
import {
  parseTextOutput,
  type TextMap,
  type TextMapValue,
  type TextOutput,
} from "../graders/kit/bpftrace/text-output.ts";

function recorded(name: string, extension = "txt"): string {
  return readFileSync(new URL(`../fixtures/bpftrace-output/trixie/${name}.${extension}`, import.meta.url), "utf8");
}

function parsed(name: string): TextOutput {
  return parseTextOutput(recorded(name));
}

function textMap(output: TextOutput, name: string): TextMap {
  const found = output.maps[name];
  if (!found) throw new Error(`no map ${name}`);
  return found;
}

function onlyValue(output: TextOutput, name: string): TextMapValue | undefined {
  return textMap(output, name).entries[0]?.value;
}

function buckets(value: TextMapValue | undefined): HistBucket[] {
  if (value?.kind !== "hist") throw new Error(`not a hist: ${value?.kind}`);
  return value.buckets;
}

const integer = (value: bigint): TextMapValue => ({ kind: "value", value: { kind: "integer", value } });

describe("parseTextOutput on recorded bpftrace 0.23.2 output", () => {
  it("printf: framing lines are recognised, printf lines kept in order", () => {
    const output = parsed("printf");
    expect(output.attachedProbes).toBe(3);
    expect(output.probesAttachedMarker).toBe(true);
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
    expect(output.mapPrints).toEqual([]);
    expect(parsed("printf-no-notify").probesAttachedMarker).toBe(false);
  });

  it("maps with no key, int, string, tuple and pointer keys", () => {
    const output = parsed("maps");
    expect(output.lines).toEqual([]);
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
    expect(textMap(output, "@by_ptr").entries.map((e) => e.keyParts)).toEqual([
      [{ kind: "pointer", value: 0xffff888100001000n }],
      [{ kind: "pointer", value: 0n }],
    ]);
    expect(textMap(output, "@by_tuple").entries[1]).toEqual({
      key: "2, y z",
      keyParts: [
        { kind: "integer", value: 2n },
        { kind: "string", value: "y z" },
      ],
      value: integer(200n),
    });
    // Text keys are not quoted: a string key holding ", " splits into two parts.
    const comma = textMap(output, "@by_str").entries[2];
    expect(comma?.key).toBe("with, comma");
    expect(comma?.keyParts).toHaveLength(2);
  });

  it("map values that are tuples and structs parse into typed values", () => {
    const output = parsed("maps");
    expect(onlyValue(output, "@tuple_value")).toEqual({
      kind: "value",
      value: {
        kind: "tuple",
        elements: [
          { kind: "integer", value: 1n },
          { kind: "string", value: "two" },
          { kind: "integer", value: 3n },
        ],
      },
    });
    const record = onlyValue(output, "@record_value");
    expect(record?.kind === "value" && record.value.kind === "record" && Object.keys(record.value.fields)).toEqual([
      "mnt",
      "dentry",
    ]);
  });

  it("stats() values; avg() prints like a plain value", () => {
    const output = parsed("maps");
    expect(onlyValue(output, "@stats")).toEqual({ kind: "stats", stats: { count: 2n, average: 20n, total: 40n } });
    expect(textMap(output, "@stats_by_str").entries.map((e) => [e.key, e.value])).toEqual([
      ["k1", { kind: "stats", stats: { count: 1n, average: 1n, total: 1n } }],
      ["k2", { kind: "stats", stats: { count: 2n, average: 150n, total: 300n } }],
    ]);
    expect(onlyValue(output, "@avg")).toEqual(integer(15n));
  });

  it("hist and lhist buckets equal the JSON output of the same script", () => {
    const text = parsed("hist");
    const json = parseJsonOutput(recorded("hist", "jsonl")).events;
    for (const name of ["@h", "@fine", "@l", "@lk", "@by_str", "@by_tuple", "@lhist_by_int"]) {
      const fromText = textMap(text, name).entries.map((e) => buckets(e.value));
      const fromJson = lastJsonMap(json, "hist", name)?.entries.map((e) => e.value);
      expect(fromText, name).toEqual(fromJson);
    }
    const h = buckets(onlyValue(text, "@h"));
    expect(histTotal(h)).toBe(10);
    expect(histBucketOf(h, 3 * 2 ** 30)).toEqual({ low: 2 ** 31, high: 2 ** 32, count: 1 });
    expect(textMap(text, "@by_str").entries.map((e) => e.key)).toEqual(["read", "write"]);
  });

  it("print(): map prints in order, top/div applied, a zeroed hist has no buckets", () => {
    const output = parsed("print");
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
    const output = parsed("structs");
    expect(output.lines[0]).toBe("root dentry name: parsers-rootfs");
    expect(output.lines.slice(1).map((line) => line.slice(0, 2))).toEqual(["{ ", "{ ", "{ ", "(1", "{ ", "(1"]);
  });

  it("lock contention: pointer-keyed hist per lock, tuple keys (tid, lock address)", () => {
    const output = parsed("lock-contention");
    const durations = output.lines.map((line) => Number(/^contended time: (\d+)$/.exec(line)?.[1]));
    expect(durations.length).toBeGreaterThan(0);
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
  });

  it("write sizes: text and JSON agree", () => {
    const text = parsed("write-sizes");
    const json = parseJsonOutput(recorded("write-sizes", "jsonl")).events;
    expect(buckets(onlyValue(text, "@bytes"))).toEqual(lastJsonMap(json, "hist", "@bytes")?.entries[0]?.value);
    expect(onlyValue(text, "@bytes_by_fd")).toEqual({
      kind: "stats",
      stats: lastJsonMap(json, "stats", "@bytes_by_fd")?.entries[0]?.value,
    });
    expect(textMap(text, "@calls").entries[0]?.keyParts).toEqual([
      { kind: "string", value: "dd" },
      { kind: "integer", value: 1n },
    ]);
    expect(onlyValue(text, "@total")).toEqual(integer(2112652n));
  });

  it("time(), cat(), system() and join() output are lines", () => {
    expect(parsed("builtins").lines).toEqual([
      expect.stringMatching(/^time: \d{4}$/),
      expect.stringMatching(/^\d+\.\d+$/),
      "from system",
      "/bin/true one two",
      "/bin/true,one,two",
    ]);
  });

  it("helper errors (-k) are printed on stdout and become diagnostics", () => {
    const output = parsed("helper-error");
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

  it("lost events: printed plus lost events add up to the 3000 traced writes", () => {
    const output = parsed("lost-events");
    expect(output.lostEvents).toBeGreaterThan(0);
    expect(output.lines.length + output.lostEvents).toBe(3000);
  });

  it("a failed attach leaves just the attach line", () => {
    const output = parsed("error-kprobe-attach");
    expect(output).toMatchObject({ attachedProbes: 1, lines: [], mapPrints: [] });
  });
});

describe("parseTextOutput on edge cases", () => {
  it("accepts the 0.24+ attach line and stats record", () => {
    const output = parseTextOutput("Attached 2 probes\n@s: { .count = 2, .average = 15, .total = 30 }\n");
    expect(output.attachedProbes).toBe(2);
    expect(onlyValue(output, "@s")).toEqual({ kind: "stats", stats: { count: 2n, average: 15n, total: 30n } });
  });

  it("keeps lines that only resemble buckets or maps, and takes CRLF line ends", () => {
    const output = parseTextOutput(
      "@h:\r\n[1, 2)  1 |@|\r\n[x, y)  1 |@|\r\n@ not a map\r\nnote: @x is fine\r\n",
    );
    expect(textMap(output, "@h").entries[0]?.value).toEqual({ kind: "hist", buckets: [{ low: 1, high: 2, count: 1 }] });
    expect(output.lines).toEqual(["[x, y)  1 |@|", "@ not a map", "note: @x is fine"]);
  });

  it("a printf line between two prints of a map separates them", () => {
    const output = parseTextOutput("@m[a]: 1\n-- again\n@m[b]: 2\n@m[b]: 3\n");
    expect(output.mapPrints.map((p) => p.entries.map((e) => e.key))).toEqual([["a"], ["b"], ["b"]]);
    expect(textMap(output, "@m").entries[0]?.value).toEqual(integer(3n));
  });

  it("an empty string value and a map named just @", () => {
    const output = parseTextOutput("@[1, 2]: \n");
    expect(textMap(output, "@").entries).toEqual([
      {
        key: "1, 2",
        keyParts: [
          { kind: "integer", value: 1n },
          { kind: "integer", value: 2n },
        ],
        value: { kind: "value", value: { kind: "empty" } },
      },
    ]);
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
    });
  });
});
