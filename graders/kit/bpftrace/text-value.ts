// Values as bpftrace's text output prints them: print() of a struct ("{ .a = 1, .b = { .c = 0x0 } }"),
// tuples ("(1, two)"), arrays ("[1,2,3]"), map keys and map values.
// bpftrace does not quote strings, so a string holding ", ", ")" or " }" cannot be told apart from
// the punctuation around it; the parser takes the first reading that fits.

export type TextValue =
  | { kind: "integer"; value: bigint }
  /** Printed as 0x...: pointers. */
  | { kind: "pointer"; value: bigint }
  /** Anything else that is not a record, tuple or array. */
  | { kind: "string"; value: string }
  /** A struct member printed without a value: bpftrace 0.23.2 does this for some unions and atomics. */
  | { kind: "empty" }
  | { kind: "record"; fields: Record<string, TextValue> }
  | { kind: "tuple"; elements: TextValue[] }
  | { kind: "array"; elements: TextValue[] };

/** Parses one printed value; text that is no well-formed record, tuple or array is a string. */
export function parseTextValue(text: string): TextValue {
  return new ValueParser(text).parseAll();
}

/** Splits the text between a map's brackets, e.g. "1234, 0xffff888100dca168", into its key parts. */
export function parseMapKey(keyText: string): TextValue[] {
  return new ValueParser(keyText).parseKeyParts();
}

/** The integer a parsed integer or pointer holds; undefined for other kinds. */
export function textValueBigInt(value: TextValue | undefined): bigint | undefined {
  return value?.kind === "integer" || value?.kind === "pointer" ? value.value : undefined;
}

/** A boolean as either release prints it: true/false (0.24+) or 1/0 (0.23); undefined otherwise. */
export function textValueBoolean(value: TextValue | undefined): boolean | undefined {
  if (value?.kind === "integer" && (value.value === 0n || value.value === 1n)) return value.value === 1n;
  if (value?.kind === "string" && (value.value === "true" || value.value === "false")) return value.value === "true";
  return undefined;
}

/** The value at a path of field names, e.g. ["d_name", "len"]; undefined where a record is missing. */
export function textValueField(value: TextValue, path: readonly string[]): TextValue | undefined {
  let current: TextValue | undefined = value;
  for (const name of path) {
    current = current?.kind === "record" ? current.fields[name] : undefined;
  }
  return current;
}

interface Parsed {
  value: TextValue;
  end: number;
}

/** Whether a value that started earlier may end at this position. */
type EndsAt = (pos: number) => boolean;

const FIELD_START = /\.([A-Za-z_$][\w$]*) = /y;

class ValueParser {
  constructor(private readonly text: string) {}

  parseAll(): TextValue {
    const atEnd: EndsAt = (pos) => pos === this.text.length;
    return this.value(0, atEnd)?.value ?? { kind: "string", value: this.text };
  }

  parseKeyParts(): TextValue[] {
    const atPartEnd: EndsAt = (pos) => pos === this.text.length || this.text.startsWith(", ", pos);
    const parts: TextValue[] = [];
    let pos = 0;
    for (;;) {
      const part = this.value(pos, atPartEnd);
      if (!part) return [{ kind: "string", value: this.text }];
      parts.push(part.value);
      if (part.end === this.text.length) return parts;
      pos = part.end + 2;
    }
  }

  private value(pos: number, endsAt: EndsAt): Parsed | null {
    const container = this.container(pos);
    if (container && endsAt(container.end)) return container;
    for (let end = pos; end <= this.text.length; end++) {
      if (endsAt(end)) return { value: scalar(this.text.slice(pos, end)), end };
    }
    return null;
  }

  private container(pos: number): Parsed | null {
    switch (this.text[pos]) {
      case "{":
        return this.record(pos);
      case "(":
        return this.sequence(pos, "tuple", ", ", ")");
      case "[":
        return this.sequence(pos, "array", ",", "]");
      default:
        return null;
    }
  }

  // "{ .a = 1, .b = 2 }"; an empty record is "{  }" in 0.23.2 and "{}" in 0.24+.
  private record(pos: number): Parsed | null {
    const fields: Record<string, TextValue> = {};
    for (const empty of ["{}", "{  }"]) {
      if (this.text.startsWith(empty, pos)) return { value: { kind: "record", fields }, end: pos + empty.length };
    }
    if (!this.text.startsWith("{ ", pos)) return null;
    const endsAt: EndsAt = (p) =>
      this.text.startsWith(" }", p) || (this.text.startsWith(", ", p) && this.fieldStartsAt(p + 2));
    let p = pos + 2;
    for (;;) {
      FIELD_START.lastIndex = p;
      const field = FIELD_START.exec(this.text);
      if (!field?.[1]) return null;
      const parsed = this.value(FIELD_START.lastIndex, endsAt);
      if (!parsed) return null;
      Object.defineProperty(fields, field[1], {
        value: parsed.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      if (this.text.startsWith(" }", parsed.end)) {
        return { value: { kind: "record", fields }, end: parsed.end + 2 };
      }
      p = parsed.end + 2;
    }
  }

  private fieldStartsAt(pos: number): boolean {
    FIELD_START.lastIndex = pos;
    return FIELD_START.test(this.text);
  }

  private sequence(
    pos: number,
    kind: "tuple" | "array",
    separator: string,
    close: string,
  ): Parsed | null {
    const elements: TextValue[] = [];
    if (this.text.startsWith(close, pos + 1)) return { value: { kind, elements }, end: pos + 2 };
    const endsAt: EndsAt = (p) => this.text.startsWith(separator, p) || this.text.startsWith(close, p);
    let p = pos + 1;
    for (;;) {
      const parsed = this.value(p, endsAt);
      if (!parsed) return null;
      elements.push(parsed.value);
      if (this.text.startsWith(close, parsed.end)) return { value: { kind, elements }, end: parsed.end + 1 };
      p = parsed.end + separator.length;
    }
  }
}

function scalar(text: string): TextValue {
  if (text === "") return { kind: "empty" };
  if (/^-?\d+$/.test(text)) return { kind: "integer", value: BigInt(text) };
  if (/^0x[0-9a-fA-F]+$/.test(text)) return { kind: "pointer", value: BigInt(text) };
  return { kind: "string", value: text };
}
