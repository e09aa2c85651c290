// `bpftrace -f json` prints one JSON object per line. The schemas below describe those lines as
// bpftrace 0.23.2 (src/output.cpp) to 0.27 (src/output/json.cpp) write them; parseJsonOutput
// validates every line and turns map-like lines into named, keyed entries. What differs:
// - 0.24+ prints an integer that a double cannot hold as a string ("18446744073709551615");
//   0.23 as a bare number. Both are read as bigint (see exactIntegers).
// - 0.24+ prints booleans as true/false, 0.23 as 1/0 (see jsonBoolean).
// - 0.24+ drops the spaces from map keys: @m["y z"] is "yz", @m[2, "y z"] is "2,yz".
// - 0.24+ adds tseries, errorf, warnf and runtime_error lines, and prints compile-time warnings
//   as text on stdout before the JSON lines (they are read as diagnostics).
// - 0.24+ prints a struct or record value with "{" where 0.23 printed "{ ", the same as the keys
//   of a map with keys: the script tells which (script-maps.ts).
// Lines of a type bpftrace may add later, or that do not have the shape their type promises, are
// kept in `unread`, never dropped.
import { z } from "zod";
import type { HistBucket, MapStats, TimeSeriesPoint } from "./aggregates.ts";
import { readDiagnostic, type Diagnostic } from "./diagnostics.ts";
import {
  keysInSourceOrder,
  parseJsonLossless,
  type JsonObject,
  type JsonValue,
} from "./lossless-json.ts";
import type { MapKeyUse } from "./script-maps.ts";
import { PROBES_ATTACHED_MARKER } from "./status-lines.ts";

const integerSchema = z.union([z.number().int(), z.bigint(), z.string().regex(/^-?\d+$/)]);

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.bigint(),
    z.string(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/** The `data` of map, hist and stats lines: an object with exactly one property, the map's name. */
function namedMapData<T extends z.ZodType>(value: T) {
  return z
    .record(z.string(), value)
    .refine((data) => Object.keys(data).length === 1, "data must name exactly one map");
}

function textLineSchema<T extends string>(type: T) {
  return z.object({ type: z.literal(type), data: z.string() });
}

export const printfLineSchema = textLineSchema("printf");
export const timeLineSchema = textLineSchema("time");
export const catLineSchema = textLineSchema("cat");
export const joinLineSchema = textLineSchema("join");
export const syscallLineSchema = textLineSchema("syscall");

export const attachedProbesLineSchema = z.object({
  type: z.literal("attached_probes"),
  data: z.object({ probes: integerSchema }),
});

export const lostEventsLineSchema = z.object({
  type: z.literal("lost_events"),
  data: z.object({ events: integerSchema }),
});

export const mapLineSchema = z.object({
  type: z.literal("map"),
  data: namedMapData(jsonValueSchema),
});

/** min and max are inclusive; the lowest bucket of a histogram has no min, the highest of an lhist no max. */
export const histBucketSchema = z.object({
  min: integerSchema.optional(),
  max: integerSchema.optional(),
  count: integerSchema,
});
const histBucketsSchema = z.array(histBucketSchema);

export const histLineSchema = z.object({
  type: z.literal("hist"),
  data: namedMapData(z.union([histBucketsSchema, z.record(z.string(), histBucketsSchema)])),
});

export const statsValueSchema = z
  .object({ count: integerSchema, average: integerSchema, total: integerSchema })
  .strict();
// avg() maps are "stats" lines too, holding just the average.
const statsOrAverageSchema = z.union([integerSchema, statsValueSchema]);

export const statsLineSchema = z.object({
  type: z.literal("stats"),
  data: namedMapData(
    z.union([statsOrAverageSchema, z.record(z.string(), statsOrAverageSchema)]),
  ),
});

/** print() of anything that is not a map. */
export const valueLineSchema = z.object({ type: z.literal("value"), data: jsonValueSchema });

/** A point in the script; 0.24+ names the file. */
const scriptLocation = { line: integerSchema, col: integerSchema, filename: z.string().optional() };

/** Printed with -k when a BPF helper fails. */
export const helperErrorLineSchema = z.object({
  type: z.literal("helper_error"),
  msg: z.string(),
  helper: z.string(),
  retcode: integerSchema,
  ...scriptLocation,
});

/** Other errors at run time (0.24+), e.g. a division by zero. */
export const runtimeErrorLineSchema = z.object({ type: z.literal("runtime_error"), msg: z.string(), ...scriptLocation });

/** The script's own errorf() and warnf() messages (0.24+). */
export const errorfLineSchema = z.object({ type: z.literal("errorf"), msg: z.string(), ...scriptLocation });
export const warnfLineSchema = z.object({ type: z.literal("warnf"), msg: z.string(), ...scriptLocation });

const timeSeriesPointsSchema = z.array(z.object({ interval_start: z.string(), value: integerSchema }));

/** tseries() maps (0.24+): one point per interval that has a value. */
export const tseriesLineSchema = z.object({
  type: z.literal("tseries"),
  data: namedMapData(z.union([timeSeriesPointsSchema, z.record(z.string(), timeSeriesPointsSchema)])),
});

export const jsonLineSchema = z.discriminatedUnion("type", [
  printfLineSchema,
  timeLineSchema,
  catLineSchema,
  joinLineSchema,
  syscallLineSchema,
  attachedProbesLineSchema,
  lostEventsLineSchema,
  mapLineSchema,
  histLineSchema,
  statsLineSchema,
  valueLineSchema,
  helperErrorLineSchema,
  runtimeErrorLineSchema,
  errorfLineSchema,
  warnfLineSchema,
  tseriesLineSchema,
]);
export type JsonLine = z.infer<typeof jsonLineSchema>;

export interface JsonMapEntry<V> {
  /** The key as bpftrace printed it, null for a map without keys. */
  key: string | null;
  /**
   * The key split on commas: bpftrace joins the parts of a tuple key with "," and does not
   * escape commas inside string parts, so use `key` for a single string key.
   */
  keyParts: string[];
  value: V;
}

interface JsonMapLike<T extends string, V> {
  type: T;
  name: string;
  keyed: boolean;
  entries: JsonMapEntry<V>[];
}

/** Where in the script a message at run time comes from. */
interface ScriptPoint {
  line: number;
  column: number;
  file?: string;
}

export type JsonEvent =
  | { type: "printf" | "time" | "cat" | "join" | "syscall"; data: string }
  | { type: "attached_probes"; probes: number }
  | { type: "lost_events"; events: number }
  | JsonMapLike<"map", JsonValue>
  | JsonMapLike<"hist", HistBucket[]>
  | JsonMapLike<"stats", MapStats>
  | JsonMapLike<"tseries", TimeSeriesPoint[]>
  | { type: "value"; data: JsonValue }
  | ({ type: "helper_error"; message: string; helper: string; retcode: number } & ScriptPoint)
  | ({ type: "runtime_error" | "errorf" | "warnf"; message: string } & ScriptPoint);
export type JsonMapEvent = Extract<JsonEvent, { type: "map" }>;
export type JsonHistEvent = Extract<JsonEvent, { type: "hist" }>;
export type JsonStatsEvent = Extract<JsonEvent, { type: "stats" }>;
export type JsonTimeSeriesEvent = Extract<JsonEvent, { type: "tseries" }>;
export type JsonMapLikeEvent = JsonMapEvent | JsonHistEvent | JsonStatsEvent | JsonTimeSeriesEvent;

export interface JsonOutput {
  events: JsonEvent[];
  probesAttachedMarker: boolean;
  /** Messages printed as text among the JSON lines: 0.24+'s compile-time warnings. */
  diagnostics: Diagnostic[];
  /** Non-blank lines that are none of the above: unknown line types, lines of a wrong shape. */
  unread: string[];
}

export interface JsonOutputOptions {
  /** How the script uses its maps: tells a map of one struct value from a map with keys (0.24+). */
  mapKeys?: MapKeyUse;
}

/** Parses the stdout of `bpftrace -f json`. Blank lines (bpftrace prints two at exit) are skipped. */
export function parseJsonOutput(stdout: string, options: JsonOutputOptions = {}): JsonOutput {
  const output: JsonOutput = { events: [], probesAttachedMarker: false, diagnostics: [], unread: [] };
  const lines = stdout.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line.trim() === "") continue;
    if (line === PROBES_ATTACHED_MARKER) {
      output.probesAttachedMarker = true;
      continue;
    }
    const event = parseJsonLine(line, options);
    if (event) {
      output.events.push(event);
      continue;
    }
    const message = readDiagnostic(lines, i, "stdout-before-run");
    if (message) {
      output.diagnostics.push(message.diagnostic);
      i = message.next - 1;
      continue;
    }
    output.unread.push(line);
  }
  return output;
}

/** A boolean as either release prints it: true/false (0.24+) or 1/0 (0.23); undefined otherwise. */
export function jsonBoolean(value: JsonValue | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  return value === 0 || value === 1 ? value === 1 : undefined;
}

/** The text the printf events wrote, split into lines; a last line without "\n" is included. */
export function printfLines(events: readonly JsonEvent[]): string[] {
  const text = events.map((e) => (e.type === "printf" ? e.data : "")).join("");
  if (text === "") return [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  return lines;
}

/** The last print of the map called name (with its "@"), e.g. the one bpftrace prints at exit. */
export function lastJsonMap(events: readonly JsonEvent[], type: "map", name: string): JsonMapEvent | undefined;
export function lastJsonMap(events: readonly JsonEvent[], type: "hist", name: string): JsonHistEvent | undefined;
export function lastJsonMap(events: readonly JsonEvent[], type: "stats", name: string): JsonStatsEvent | undefined;
export function lastJsonMap(events: readonly JsonEvent[], type: "tseries", name: string): JsonTimeSeriesEvent | undefined;
export function lastJsonMap(
  events: readonly JsonEvent[],
  type: JsonMapLikeEvent["type"],
  name: string,
): JsonMapLikeEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === type && event.name === name) return event;
  }
  return undefined;
}

function parseJsonLine(line: string, options: JsonOutputOptions): JsonEvent | null {
  let value: JsonValue;
  try {
    value = parseJsonLossless(line);
  } catch {
    return null;
  }
  const parsed = jsonLineSchema.safeParse(value);
  return parsed.success ? toEvent(parsed.data, line, value, options) : null;
}

function scriptPoint(line: { line: WireInteger; col: WireInteger; filename?: string | undefined }): ScriptPoint {
  return { line: Number(line.line), column: Number(line.col), ...(line.filename === undefined ? {} : { file: line.filename }) };
}

// raw is the line's text and value its unvalidated parse, which keeps the key order of maps.
function toEvent(line: JsonLine, raw: string, value: JsonValue, options: JsonOutputOptions): JsonEvent {
  switch (line.type) {
    case "printf":
    case "time":
    case "cat":
    case "join":
    case "syscall":
      return { type: line.type, data: line.data };
    case "attached_probes":
      return { type: line.type, probes: Number(line.data.probes) };
    case "lost_events":
      return { type: line.type, events: Number(line.data.events) };
    case "value":
      return { type: line.type, data: exactIntegers(rawData(value)) };
    case "helper_error":
      return { type: line.type, message: line.msg, helper: line.helper, retcode: Number(line.retcode), ...scriptPoint(line) };
    case "runtime_error":
    case "errorf":
    case "warnf":
      return { type: line.type, message: line.msg, ...scriptPoint(line) };
    case "map": {
      const [name] = onlyEntry(line.data);
      const payload = mapPayload(value, name);
      if (isJsonObject(payload) && readsAsKeyed(raw, name, payload, options.mapKeys)) {
        const entries = keyedEntries(payload, exactIntegers, keysInSourceOrder(payload));
        return { type: "map", name, keyed: true, entries };
      }
      return { type: "map", name, keyed: false, entries: [unkeyed(exactIntegers(payload))] };
    }
    case "tseries": {
      const [name, payload] = onlyEntry(line.data);
      const toPoints = (points: z.infer<typeof timeSeriesPointsSchema>) =>
        points.map((point) => ({ start: point.interval_start, value: BigInt(point.value) }));
      if (Array.isArray(payload)) return { type: "tseries", name, keyed: false, entries: [unkeyed(toPoints(payload))] };
      return { type: "tseries", name, keyed: true, entries: keyedEntries(payload, toPoints, sourceKeyOrder(value, name)) };
    }
    case "hist": {
      const [name, payload] = onlyEntry(line.data);
      if (Array.isArray(payload)) {
        return { type: "hist", name, keyed: false, entries: [unkeyed(payload.map(toHistBucket))] };
      }
      const toBuckets = (buckets: z.infer<typeof histBucketsSchema>) => buckets.map(toHistBucket);
      const entries = keyedEntries(payload, toBuckets, sourceKeyOrder(value, name));
      return { type: "hist", name, keyed: true, entries };
    }
    case "stats": {
      const [name, payload] = onlyEntry(line.data);
      const single = statsOrAverageSchema.safeParse(payload);
      if (single.success) {
        return { type: "stats", name, keyed: false, entries: [unkeyed(toMapStats(single.data))] };
      }
      const byKey = z.record(z.string(), statsOrAverageSchema).parse(payload);
      const entries = keyedEntries(byKey, toMapStats, sourceKeyOrder(value, name));
      return { type: "stats", name, keyed: true, entries };
    }
  }
}

// A map's value is an object both when the map has keys and when its value is a struct.
// 0.23.2 opens a struct with "{ " and the key object with "{" (output.cpp struct_to_str and
// JsonOutput::map); 0.24+ prints both as "{".
const STRUCT_VALUED_MAP_LINE_0_23 = /^\{"type": "map", "data": \{"(?:[^"\\]|\\.)*": \{ /;
const FIELD_NAME = /^[A-Za-z_]\w*$/;

/**
 * Whether an object printed as a map's data holds the map's keys rather than one struct or
 * record value. Without the script to ask, what 0.24+ printed can only be told apart when a key
 * cannot be a field name or the values differ in kind (a map's values share one type); else it
 * is read as keys, the common case.
 */
function readsAsKeyed(raw: string, name: string, payload: JsonObject, mapKeys: MapKeyUse | undefined): boolean {
  if (STRUCT_VALUED_MAP_LINE_0_23.test(raw)) return false;
  if (mapKeys?.keyed.has(name)) return true;
  if (mapKeys?.unkeyed.has(name)) return false;
  const keys = keysInSourceOrder(payload);
  if (keys.some((key) => !FIELD_NAME.test(key))) return true;
  return new Set(keys.map((key) => kindOf(exactIntegers(payload[key] ?? null)))).size <= 1;
}

function kindOf(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value === "bigint" ? "integer" : typeof value;
}

// bpftrace 0.24+ prints an integer as a string exactly when a double cannot hold it, so such a
// string is read back as the integer it was; 0.23's bare numbers are bigint already.
const INTEGER_TEXT = /^-?\d{1,20}$/;

/** A printed value with bpftrace 0.24+'s integers-as-strings turned back into bigint. */
export function exactIntegers(value: JsonValue): JsonValue {
  if (typeof value === "string") {
    return INTEGER_TEXT.test(value) && BigInt(Number(value)) !== BigInt(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(exactIntegers);
  if (!isJsonObject(value)) return value;
  const result: JsonObject = {};
  for (const key of keysInSourceOrder(value)) {
    Object.defineProperty(result, key, { value: exactIntegers(value[key] ?? null), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** A line's data as parsed, before validation: the zod copy no longer knows its key order. */
function rawData(line: JsonValue): JsonValue {
  return isJsonObject(line) ? (line["data"] ?? null) : null;
}

function mapPayload(line: JsonValue, name: string): JsonValue {
  const data = rawData(line);
  return isJsonObject(data) ? (data[name] ?? null) : null;
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function keyedEntries<T, V>(
  byKey: Record<string, T>,
  convert: (v: T) => V,
  keyOrder: readonly string[],
): JsonMapEntry<V>[] {
  return keyOrder.flatMap((key) => {
    const v = byKey[key];
    return v === undefined ? [] : [{ key, keyParts: key.split(","), value: convert(v) }];
  });
}

/** The keys of the map called name in the order bpftrace printed them. */
function sourceKeyOrder(line: JsonValue, name: string): string[] {
  const payload = mapPayload(line, name);
  return isJsonObject(payload) ? keysInSourceOrder(payload) : [];
}

function unkeyed<V>(value: V): JsonMapEntry<V> {
  return { key: null, keyParts: [], value };
}

function onlyEntry<T>(data: Record<string, T>): [string, T] {
  const entry = Object.entries(data)[0];
  if (!entry) throw new Error("map data without a map name"); // excluded by namedMapData
  return entry;
}

type WireInteger = z.infer<typeof integerSchema>;

function toHistBucket(bucket: z.infer<typeof histBucketSchema>): HistBucket {
  return {
    low: bucket.min === undefined ? null : Number(bucket.min),
    high: bucket.max === undefined ? null : Number(bucket.max) + 1,
    count: Number(bucket.count),
  };
}

function toMapStats(value: WireInteger | z.infer<typeof statsValueSchema>): MapStats {
  if (typeof value === "object") {
    return {
      count: BigInt(value.count),
      average: BigInt(value.average),
      total: BigInt(value.total),
    };
  }
  return { count: null, average: BigInt(value), total: null };
}
