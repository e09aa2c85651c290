import { describe, expect, it } from "vitest";
import { keysInSourceOrder, parseJsonLossless } from "../graders/kit/bpftrace/lossless-json.ts";

describe("parseJsonLossless", () => {
  it("keeps integers beyond 2^53 exact as bigint and the rest as number", () => {
    const value = parseJsonLossless(
      '{"ptr": 18446612689202736184, "small": 42, "negative": -9007199254740993, "float": 1.5e3}',
    );
    expect(value).toEqual({
      ptr: 18446612689202736184n,
      small: 42,
      negative: -9007199254740993n,
      float: 1500,
    });
  });

  it("reads strings, escapes, arrays, literals and whitespace like JSON.parse", () => {
    const text = ' { "s": "tab\\t \\"q\\" \\u00e9\\n", "a": [1, [], {}], "t": true, "f": false, "n": null } ';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it("keeps a __proto__ key as an ordinary key", () => {
    const value = parseJsonLossless('{"__proto__": 1}');
    expect(Object.keys(value as object)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("remembers key order, which Object.keys loses for integer-like keys", () => {
    const value = parseJsonLossless('{"18446612686365003776": 1, "4": 2, "1": 3}');
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new Error("expected an object");
    }
    expect(Object.keys(value)).toEqual(["1", "4", "18446612686365003776"]);
    expect(keysInSourceOrder(value)).toEqual(["18446612686365003776", "4", "1"]);
  });

  it.each([
    ["", "empty input"],
    ['{"a": 1', "unclosed object"],
    ['{"a" 1}', "missing colon"],
    ["[1, 2,]", "trailing comma"],
    ["01", "leading zero"],
    ['"raw\tcontrol"', "control character in a string"],
    ["{} x", "trailing characters"],
    ["__BPFTRACE_NOTIFY_PROBES_ATTACHED", "a bare word"],
  ])("rejects %j (%s)", (text) => {
    expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
  });
});
