// JSON.parse rounds integers above 2^53, and bpftrace 0.23.2 prints u64 values (kernel pointers,
// nanosecond sums) as bare JSON numbers. This reader keeps such integers exact as bigint.

export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

const sourceKeyOrders = new WeakMap<JsonObject, string[]>();

/**
 * The keys of an object that parseJsonLossless returned, in the order of the JSON text.
 * Object.keys lists integer-like keys first, which would reorder maps keyed by small integers.
 */
export function keysInSourceOrder(object: JsonObject): string[] {
  return sourceKeyOrders.get(object) ?? Object.keys(object);
}

/** Parses one JSON text; integers outside Number's safe range become bigint. Throws SyntaxError. */
export function parseJsonLossless(text: string): JsonValue {
  const reader = new Reader(text);
  const value = reader.value();
  reader.skipWhitespace();
  if (reader.pos !== text.length) reader.fail("unexpected trailing characters");
  return value;
}

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  value(): JsonValue {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return this.string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail("unexpected character");
  }

  private object(): JsonObject {
    const result: JsonObject = {};
    const keys: string[] = [];
    sourceKeyOrders.set(result, keys);
    this.pos++;
    this.skipWhitespace();
    if (this.eat("}")) return result;
    do {
      this.skipWhitespace();
      const key = this.string();
      this.skipWhitespace();
      this.expect(":");
      if (!Object.hasOwn(result, key)) keys.push(key);
      // defineProperty, so that a map key such as "__proto__" stays an ordinary key.
      Object.defineProperty(result, key, {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipWhitespace();
    } while (this.eat(","));
    this.expect("}");
    return result;
  }

  private array(): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.eat("]")) return result;
    do {
      result.push(this.value());
      this.skipWhitespace();
    } while (this.eat(","));
    this.expect("]");
    return result;
  }

  private string(): string {
    const literal = this.match(STRING) ?? this.fail("expected a string");
    return JSON.parse(literal) as string;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text) ?? this.fail("malformed number");
    this.pos = NUMBER.lastIndex;
    const isInteger = m[1] === undefined && m[2] === undefined;
    const asNumber = Number(m[0]);
    return isInteger && !Number.isSafeInteger(asNumber) ? BigInt(m[0]) : asNumber;
  }

  skipWhitespace(): void {
    this.match(WHITESPACE);
  }

  private match(pattern: RegExp): string | null {
    pattern.lastIndex = this.pos;
    const m = pattern.exec(this.text);
    if (!m) return null;
    this.pos = pattern.lastIndex;
    return m[0];
  }

  private eat(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private expect(c: string): void {
    if (!this.eat(c)) this.fail(`expected '${c}'`);
  }

  fail(what: string): never {
    throw new SyntaxError(`JSON: ${what} at offset ${this.pos}`);
  }
}
