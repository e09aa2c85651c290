// What the plans and records of every workload share (fixtures/workloads/lib/workload.h).
import { Buffer } from "node:buffer";
import { z } from "zod";

export const MiB = 1024 * 1024;

/** One word of a plan line: no whitespace (it separates words), no NUL. */
export const word = z
  .string()
  .min(1)
  .regex(/^[^\s\0]+$/, "must not contain whitespace or NUL")
  .refine((s) => Buffer.byteLength(s) <= 4095, "must be at most 4095 bytes");

export const absolutePath = word.refine((s) => s.startsWith("/"), "must be an absolute path");

/** A file name inside a directory. */
export const fileName = word.refine((s) => !s.includes("/") && s !== "." && s !== "..", "must be a single path component");

/** The kernel keeps 15 bytes of a task's name (TASK_COMM_LEN 16 with the NUL). */
export const comm = word.refine((s) => Buffer.byteLength(s) <= 15, "must be at most 15 bytes");

export const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const pauseStep = z.strictObject({ op: z.literal("pause"), us: int(0, 600_000_000) });

export const pid = z.number().int().positive();
export const fd = z.number().int().nonnegative();
export const count = z.number().int().nonnegative();

export const pauseRecord = z.strictObject({ op: z.literal("pause"), us: count });
export const doneRecord = z.strictObject({ op: z.literal("done"), elapsed_ns: count });
export const errorRecord = z.strictObject({ op: z.literal("error"), message: z.string() });
