// `bpftrace -f json` prints one JSON object per line. The schemas below describe those lines as
// bpftrace 0.23.2 writes them (src/output.cpp), tolerating the extra fields of 0.24+;
// parseJsonOutput validates every line and turns map-like lines into named, keyed entries.
import { z } from "zod";
import type { HistBucket, MapStats } from "./aggregates.ts";
import {
  keysInSourceOrder,
  parseJsonLossless,
  type JsonObject,
  type JsonValue,
} from "./lossless-json.ts";

// 0.24+ prints integers that a double cannot hold as strings.
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

/** Printed with -k when a BPF helper fails; line and col point into the script. */
export const helperErrorLineSchema = z.object({
  type: z.literal("helper_error"),
  msg: z.string(),
  helper: z.string(),
  retcode: integerSchema,
  line: integerSchema,
  col: integerSchema,
  filename: z.string().optional(),
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

export type JsonEvent =
  | { type: "printf" | "time" | "cat" | "join" | "syscall"; data: string }
  | { type: "attached_probes"; probes: number }
  | { type: "lost_events"; events: number }
  | JsonMapLike<"map", JsonValue>
  | JsonMapLike<"hist", HistBucket[]>
  | JsonMapLike<"stats", MapStats>
  | { type: "value"; data: JsonValue }
  | {
      type: "helper_error";
      message: string;
      helper: string;
      retcode: number;
      line: number;
      column: number;
      file?: string;
    };
export type JsonMapEvent = Extract<JsonEvent, { type: "map" }>;
export type JsonHistEvent = Extract<JsonEvent, { type: "hist" }>;
export type JsonStatsEvent = Extract<JsonEvent, { type: "stats" }>;
export type JsonMapLikeEvent = JsonMapEvent | JsonHistEvent | JsonStatsEvent;

export interface JsonOutput {
  events: JsonEvent[];
  /** Non-blank lines that are not valid bpftrace JSON lines, e.g. __BPFTRACE_NOTIFY_PROBES_ATTACHED. */
  unparsed: string[];
}

/** Parses the stdout of `bpftrace -f json`. Blank lines (bpftrace prints two at exit) are skipped. */
export function parseJsonOutput(stdout: string): JsonOutput {
  const events: JsonEvent[] = [];
  const unparsed: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const event = parseJsonLine(line);
    if (event) events.push(event);
    else unparsed.push(line);
  }
  return { events, unparsed };
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

function parseJsonLine(line: string): JsonEvent | null {
  let value: JsonValue;
  try {
    value = parseJsonLossless(line);
  } catch {
    return null;
  }
  const parsed = jsonLineSchema.safeParse(value);
  return parsed.success ? toEvent(parsed.data, line, value) : null;
}

// raw is the line's text and value its unvalidated parse, which keeps the key order of maps.
function toEvent(line: JsonLine, raw: string, value: JsonValue): JsonEvent {
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
      return { type: line.type, data: line.data };
    case "helper_error":
      return {
        type: line.type,
        message: line.msg,
        helper: line.helper,
        retcode: Number(line.retcode),
        line: Number(line.line),
        column: Number(line.col),
        ...(line.filename === undefined ? {} : { file: line.filename }),
      };
    case "map": {
      const [name, payload] = onlyEntry(line.data);
      if (isJsonObject(payload) && !STRUCT_VALUED_MAP_LINE.test(raw)) {
        const entries = keyedEntries(payload, (v) => v, sourceKeyOrder(value, name));
        return { type: "map", name, keyed: true, entries };
      }
      return { type: "map", name, keyed: false, entries: [unkeyed(payload)] };
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
// JsonOutput::map); 0.24+ prints both as "{", so there a struct-valued map reads as keyed.
const STRUCT_VALUED_MAP_LINE = /^\{"type": "map", "data": \{"(?:[^"\\]|\\.)*": \{ /;

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
  const data = isJsonObject(line) ? line["data"] : undefined;
  const payload = data !== undefined && isJsonObject(data) ? data[name] : undefined;
  return payload !== undefined && isJsonObject(payload) ? keysInSourceOrder(payload) : [];
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
