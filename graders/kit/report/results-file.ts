// results.json in a report folder: every result of a grading run, in full, with the shard that
// produced it. It is what `bpflab merge` reads to rebuild one report set from many shards.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { SubmissionResult } from "../grade/results.ts";
import type { Shard } from "../grade/shard.ts";

/** A student id names folders in the report set: one path component, nothing more. */
export const studentIdSchema = z
  .string()
  .min(1)
  .refine((id) => id !== "." && id !== ".." && !/[/\0]/.test(id), "a student id is a single folder name");

const figureSchema = z.object({
  kind: z.literal("histogram"),
  title: z.string(),
  unit: z.string(),
  series: z.array(
    z.object({
      label: z.string(),
      buckets: z.array(z.object({ low: z.number().nullable(), high: z.number().nullable(), count: z.number().nonnegative() })),
    }),
  ),
});

const checkSchema = z.object({
  task: z.string(),
  name: z.string(),
  ok: z.boolean(),
  points: z.number(),
  max: z.number(),
  hidden: z.boolean(),
  message: z.string(),
  excerpt: z.array(z.string()),
  figures: z.array(figureSchema).optional(),
});

const machineSchema = z.object({
  backend: z.enum(["vm", "container", "host"]),
  accelerator: z.enum(["kvm", "tcg", "none"]),
  kernelRelease: z.string(),
  packages: z.record(z.string(), z.string()),
});

const exerciseSchema = z.object({
  id: z.string(),
  title: z.string(),
  score: z.number(),
  max: z.number(),
  gradable: z.boolean(),
  reason: z.string().optional(),
  checks: z.array(checkSchema),
  notes: z.array(z.string()),
  review: z.array(z.object({ file: z.string(), question: z.string(), answer: z.string().optional() })),
  seed: z.number(),
  machine: machineSchema.optional(),
  transcript: z.string().optional(),
  figures: z.array(figureSchema).optional(),
});

const submissionSchema = z.object({ id: studentIdSchema, score: z.number(), max: z.number(), exercises: z.array(exerciseSchema) });

export const resultsFileSchema = z.object({
  format: z.literal("bpflab-results/1"),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }),
  /** Students in the whole class, before it was split into shards. */
  classSize: z.number().int().nonnegative(),
  submissions: z.array(submissionSchema),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;

export const resultsFileName = "results.json";

export function toResultsFile(submissions: readonly SubmissionResult[], shard: Shard, classSize: number): string {
  const file: ResultsFile = { format: "bpflab-results/1", shard, classSize, submissions: [...submissions] };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function readResultsFile(dir: string): Promise<ResultsFile> {
  const path = join(dir, resultsFileName);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) throw new Error(`${path} is missing: is ${dir} the --out folder of a bpflab grade run?`);
  const parsed = resultsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a bpflab results file: ${parsed.error.message}`);
  return parsed.data;
}
