// The results of grading as zod schemas, for files that hold them and are read back: a report
// folder's results.json and every transcript. They are kept equal to the types of results.ts.
import { z } from "zod";
import { isolationSchema } from "../machine/isolation.ts";
import type { MachineInfo } from "../machine/lab-machine.ts";
import type { CheckResult, ExerciseResult, ReviewAnswer, SubmissionResult } from "./results.ts";

/** A student id names folders in the report set: one path component, nothing more. */
export const studentIdSchema = z
  .string()
  .min(1)
  .refine((id) => id !== "." && id !== ".." && !/[/\0]/.test(id), "a student id is a single folder name");

const histogramFigureSchema = z.object({
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

export const checkResultSchema = z.object({
  id: z.string(),
  task: z.string(),
  name: z.string(),
  ok: z.boolean(),
  points: z.number(),
  max: z.number(),
  hidden: z.boolean(),
  message: z.string(),
  excerpt: z.array(z.string()),
});

export const machineInfoSchema = z.object({
  backend: z.enum(["vm", "container", "host"]),
  accelerator: z.enum(["kvm", "tcg", "none"]),
  kernelRelease: z.string(),
  lab: z.string().optional(),
  packages: z.record(z.string(), z.string()),
});

export const reviewAnswerSchema = z.object({ file: z.string(), question: z.string(), answer: z.string().optional() });

export const exerciseResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  score: z.number(),
  max: z.number(),
  gradable: z.boolean(),
  reason: z.string().optional(),
  checks: z.array(checkResultSchema),
  notes: z.array(z.string()),
  review: z.array(reviewAnswerSchema),
  seed: z.number(),
  machine: machineInfoSchema.optional(),
  isolation: isolationSchema.optional(),
  figures: z.array(histogramFigureSchema).optional(),
  transcript: z.string().optional(),
}) satisfies z.ZodType<ExerciseResult>;

export const submissionResultSchema = z.object({
  id: studentIdSchema,
  score: z.number(),
  max: z.number(),
  exercises: z.array(exerciseResultSchema),
}) satisfies z.ZodType<SubmissionResult>;

// The schemas name every field of the types they read back: a field added to a type and not to
// its schema would be dropped silently from every results.json and transcript read back.
export type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
export const schemasHoldEveryField: [
  SameKeys<z.infer<typeof machineInfoSchema>, MachineInfo>,
  SameKeys<z.infer<typeof checkResultSchema>, CheckResult>,
  SameKeys<z.infer<typeof exerciseResultSchema>, ExerciseResult>,
  SameKeys<z.infer<typeof submissionResultSchema>, SubmissionResult>,
  SameKeys<z.infer<typeof reviewAnswerSchema>, ReviewAnswer>,
] = [true, true, true, true, true];
