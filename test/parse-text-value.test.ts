// print() values from recorded text output of both labs (fixtures/bpftrace-output/<lab>/structs.txt):
// bpftrace v0.23.2 (trixie) and v0.27.0 (forky), same script.
import { describe, expect, it } from "vitest";
import { parseTextOutput } from "../graders/kit/bpftrace/text-output.ts";
import {
  parseMapKey,
  parseTextValue,
  textValueBigInt,
  textValueBoolean,
  textValueField,
  type TextValue,
} from "../graders/kit/bpftrace/text-value.ts";
import { recorded } from "./support/bpftrace-recordings.ts";

const structLines = parseTextOutput(recorded("trixie", "structs.txt")).lines;
const structLines0_27 = parseTextOutput(recorded("forky", "structs.txt")).lines;

function printed(index: number): TextValue {
  return parseTextValue(structLines[index] ?? "");
}

const int = (value: bigint): TextValue => ({ kind: "integer", value });
const ptr = (value: bigint): TextValue => ({ kind: "pointer", value });

describe("parseTextValue on recorded print() output", () => {
  it("struct qstr, whose anonymous union members print flattened", () => {
    expect(printed(1)).toEqual({
      kind: "record",
      fields: { hash: int(1212319245n), len: int(14n), hash_len: int(61341861389n), name: ptr(0xffff8881a9246c38n) },
    });
  });

  it("struct fs_struct: empty member values and nested records", () => {
    const fs = printed(2);
    expect(textValueField(fs, ["seq"])).toEqual({ kind: "empty" });
    expect(textValueField(fs, ["umask"])).toEqual(int(18n));
    expect(textValueField(fs, ["root"])).toEqual({
      kind: "record",
      fields: { mnt: ptr(0xffff88810085de20n), dentry: ptr(0xffff8881a9246c00n) },
    });
    expect(textValueBigInt(textValueField(fs, ["pwd", "dentry"]))).toBe(0xffff8881783559c0n);
  });

  it("struct dentry: deep nesting, char and u64 arrays, unions", () => {
    const dentry = printed(3);
    expect(dentry.kind).toBe("record");
    expect(textValueField(dentry, ["d_name"])).toEqual(printed(1));
    expect(textValueField(dentry, ["d_lockref", "lock", "rlock", "raw_lock", "val", "counter"])).toEqual(int(0n));
    const chars = textValueField(dentry, ["d_shortname", "string"]);
    if (chars?.kind !== "array") throw new Error("expected a char array");
    const name = chars.elements.slice(0, 14).map((c) => Number(textValueBigInt(c)));
    expect(String.fromCharCode(...name)).toBe("parsers-rootfs");
    const words = textValueField(dentry, ["d_shortname", "words"]);
    expect(words?.kind === "array" && words.elements[0]).toEqual(int(3275087134082621808n));
    expect(textValueField(dentry, ["d_u", "d_rcu", "next"])).toEqual(ptr(0n));
  });

  it("tuples, nested tuples, a one-member struct, a tuple with a pointer", () => {
    expect(printed(4)).toEqual({
      kind: "tuple",
      elements: [int(1n), { kind: "string", value: "two" }, { kind: "tuple", elements: [int(3n), int(4n)] }],
    });
    expect(printed(5)).toEqual({ kind: "record", fields: { val: int(0n) } });
    const write = printed(6);
    expect(write.kind === "tuple" && write.elements.map((e) => e.kind)).toEqual(["integer", "integer", "pointer"]);
  });
});

describe("parseTextValue on bpftrace 0.27's print() of the same structs", () => {
  const printed0_27 = (index: number) => parseTextValue(structLines0_27[index] ?? "");

  it("struct qstr", () => {
    expect(printed0_27(1)).toEqual({
      kind: "record",
      fields: { hash: int(1367283519n), len: int(12n), hash_len: int(52906891071n), name: ptr(0xffff88816a4c9e78n) },
    });
  });

  it("struct fs_struct: 0.27 prints the seqlock 0.23 left empty", () => {
    const fs = printed0_27(2);
    expect(textValueField(fs, ["seq", "seqcount", "seqcount", "sequence"])).toEqual(int(0n));
    expect(textValueField(fs, ["seq", "lock", "rlock", "raw_lock", "val", "counter"])).toEqual(int(0n));
    expect(textValueBigInt(textValueField(fs, ["pwd", "dentry"]))).toBe(0xffff8882ff4f5e40n);
  });

  it("struct dentry: a char array prints as a string, u64 beyond 2^63 exact", () => {
    const dentry = printed0_27(3);
    expect(textValueField(dentry, ["d_name"])).toEqual(printed0_27(1));
    expect(textValueField(dentry, ["d_shortname", "string"])).toEqual({ kind: "string", value: "forky-rootfs" });
    const words = textValueField(dentry, ["d_shortname", "words"]);
    expect(words?.kind === "array" && words.elements.slice(0, 2)).toEqual([int(8030531085071970150n), int(18446612134250312815n)]);
    expect(textValueField(dentry, ["d_time"])).toEqual(int(18446719884529043328n));
  });

  it("tuples and a one-member struct print as in 0.23", () => {
    expect(printed0_27(4)).toEqual(printed(4));
    expect(printed0_27(5)).toEqual(printed(5));
  });
});

describe("textValueBoolean", () => {
  it.each<[string, TextValue, boolean | undefined]>([
    ["1", int(1n), true],
    ["0", int(0n), false],
    ["true", { kind: "string", value: "true" }, true],
    ["false", { kind: "string", value: "false" }, false],
    ["2", int(2n), undefined],
    ["yes", { kind: "string", value: "yes" }, undefined],
  ])("%s", (_, value, expected) => {
    expect(textValueBoolean(value)).toBe(expected);
  });
});

describe("parseTextValue on hand-written input", () => {
  it.each<[string, TextValue]>([
    ["42", int(42n)],
    ["-7", int(-7n)],
    ["0x0", ptr(0n)],
    ["", { kind: "empty" }],
    ["hello world", { kind: "string", value: "hello world" }],
    ["0x", { kind: "string", value: "0x" }],
    ["[]", { kind: "array", elements: [] }],
    ["[1,-2]", { kind: "array", elements: [int(1n), int(-2n)] }],
    ["()", { kind: "tuple", elements: [] }],
    ["{}", { kind: "record", fields: {} }],
    ["{  }", { kind: "record", fields: {} }],
    ["{ .a =  }", { kind: "record", fields: { a: { kind: "empty" } } }],
    ["{ .a = , .b = 1 }", { kind: "record", fields: { a: { kind: "empty" }, b: int(1n) } }],
    ["{ .s = a b, .t = [1,2] }", { kind: "record", fields: { s: { kind: "string", value: "a b" }, t: { kind: "array", elements: [int(1n), int(2n)] } } }],
    ["{ .r = { .x = 0x10 }, .y = (1, z) }", {
      kind: "record",
      fields: {
        r: { kind: "record", fields: { x: ptr(16n) } },
        y: { kind: "tuple", elements: [int(1n), { kind: "string", value: "z" }] },
      },
    }],
  ])("%j", (text, expected) => {
    expect(parseTextValue(text)).toEqual(expected);
  });

  it.each([
    "{ .a = 1",
    "{ .a 1 }",
    "{ a = 1 }",
    "{.a = 1}",
    "{ .a = 1 } trailing",
    "(1, 2",
    "[1,2",
  ])("malformed %j is a string", (text) => {
    expect(parseTextValue(text)).toEqual({ kind: "string", value: text });
  });

  it("a string that merely starts like a container falls back to a string member", () => {
    expect(parseTextValue("{ .comm = (sd-pam, .pid = 5 }")).toEqual({
      kind: "record",
      fields: { comm: { kind: "string", value: "(sd-pam" }, pid: int(5n) },
    });
  });

  it("an unclosed inner record reads as a string member, since strings are unquoted", () => {
    expect(parseTextValue("{ .a = { .b = 1 }")).toEqual({
      kind: "record",
      fields: { a: { kind: "string", value: "{ .b = 1" } },
    });
  });

  it("a __proto__ member stays an ordinary field", () => {
    const value = parseTextValue("{ .__proto__ = 1 }");
    expect(value.kind === "record" && Object.keys(value.fields)).toEqual(["__proto__"]);
  });
});

describe("parseMapKey", () => {
  it("splits tuple keys at top-level commas only", () => {
    expect(parseMapKey("23036, 0xffff888100dca168")).toEqual([int(23036n), ptr(0xffff888100dca168n)]);
    expect(parseMapKey("(1, 2), [3,4]")).toEqual([
      { kind: "tuple", elements: [int(1n), int(2n)] },
      { kind: "array", elements: [int(3n), int(4n)] },
    ]);
    expect(parseMapKey("bpftrace")).toEqual([{ kind: "string", value: "bpftrace" }]);
  });
});

describe("textValueField", () => {
  it("is undefined for missing members and non-records", () => {
    const value = parseTextValue("{ .a = { .b = 1 } }");
    expect(textValueField(value, ["a", "missing"])).toBeUndefined();
    expect(textValueField(value, ["a", "b", "c"])).toBeUndefined();
    expect(textValueField(value, [])).toBe(value);
    expect(textValueBigInt({ kind: "string", value: "1" })).toBeUndefined();
  });
});
