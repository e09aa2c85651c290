// Every graded exercise leaves a transcript: the scripts, the seed, where it ran, and every run
// as it happened (task-attempt.ts), with the result reported then. It is complete evidence:
// `bpflab regrade` judges it again with today's graders and no lab machine, and a student or
// instructor can open it after a failure (the scripts and raw output sit beside it as files).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { ReviewAnswer } from "./results.ts";
import { exerciseResultSchema, machineInfoSchema, reviewAnswerSchema, type SameKeys } from "./results-schema.ts";
import type { ScriptRun } from "../run/script-run.ts";
import type { ExerciseResult } from "./results.ts";
import type { TaskAttempt, TaskRecord } from "./task-attempt.ts";

export const transcriptFileName = "transcript.json";

const exitSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("exited"), code: z.number().int() }),
  z.object({ kind: z.literal("signaled"), signal: z.number().int() }),
  z.object({ kind: z.literal("lost"), reason: z.string() }),
]);

const scriptRunSchema = z.object({
  ending: z.enum(["stopped-by-sigint", "exited-by-itself", "rejected", "attach-timeout", "ignored-sigint", "output-cap"]),
  exit: exitSchema,
  stdout: z.string(),
  stderr: z.string(),
  stdoutBytes: z.number().int().nonnegative(),
  workloads: z.array(z.object({ program: z.string(), label: z.string(), exit: exitSchema, stdout: z.string(), stderr: z.string() })),
  attachMs: z.number().optional(),
  totalMs: z.number(),
});

const taskAttemptSchema = z.object({
  attempt: z.number().int().nonnegative(),
  plan: z.unknown(),
  args: z.array(z.string()),
  launches: z.array(z.object({ program: z.string(), stdin: z.string(), label: z.string() })),
  probeListing: z.string().nullable(),
  run: scriptRunSchema,
});

const taskRecordSchema = z.object({
  task: z.string(),
  file: z.string(),
  output: z.enum(["text", "json"]),
  script: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("ok"), text: z.string(), normalized: z.array(z.string()) }),
    z.object({ kind: z.literal("unusable"), message: z.string() }),
  ]),
  attempts: z.array(taskAttemptSchema),
});

export const transcriptSchema = z.object({
  format: z.literal("bpflab-transcript"),
  version: z.literal(1),
  exercise: z.string(),
  /** The student, when grading a class; absent for a student's own run. */
  submission: z.string().optional(),
  seed: z.number().int(),
  gradedAt: z.string(),
  machine: machineInfoSchema.optional(),
  /** Why the exercise was graded again on a new machine, when the first one died under it. */
  machineLoss: z.string().optional(),
  tasks: z.array(taskRecordSchema),
  review: z.array(reviewAnswerSchema),
  /** The result as it was reported when the runs were judged. */
  result: exerciseResultSchema,
});
export type Transcript = z.infer<typeof transcriptSchema>;

// Every field of a recorded run is read back (see results-schema.ts).
export const transcriptHoldsEveryField: [
  SameKeys<z.infer<typeof scriptRunSchema>, ScriptRun>,
  SameKeys<z.infer<typeof taskAttemptSchema>, TaskAttempt>,
  SameKeys<z.infer<typeof taskRecordSchema>, TaskRecord>,
] = [true, true, true];

export interface TranscriptContents {
  result: ExerciseResult;
  tasks: TaskRecord[];
  review: ReviewAnswer[];
  machineLoss?: string;
}

export interface TranscriptWriter {
  /** Writes the transcript; returns the folder that holds it. */
  write(contents: TranscriptContents): Promise<string>;
}

export function transcriptOf({ result, tasks, review, machineLoss }: TranscriptContents, submission?: string): Transcript {
  return {
    format: "bpflab-transcript",
    version: 1,
    exercise: result.id,
    ...(submission ? { submission } : {}),
    seed: result.seed,
    gradedAt: new Date().toISOString(),
    ...(result.machine ? { machine: result.machine } : {}),
    ...(machineLoss ? { machineLoss } : {}),
    tasks,
    review,
    result: { ...result, transcript: undefined },
  };
}

export function transcriptsIn(dir: string, submission = ""): TranscriptWriter {
  return {
    async write(contents) {
      const transcript = transcriptOf(contents, submission || undefined);
      const stamp = transcript.gradedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
      const folder = join(dir, [submission, transcript.exercise, stamp].filter(Boolean).join("-"));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, transcriptFileName), `${JSON.stringify(transcript, null, 2)}\n`);
      // The same runs as plain files, for a person to open.
      for (const [index, task] of contents.tasks.entries()) {
        if (task.script.kind === "ok") await writeFile(join(folder, `${index}-script.bt`), task.script.text);
        const last = task.attempts.at(-1);
        if (last) {
          await writeFile(join(folder, `${index}-stdout.txt`), last.run.stdout);
          await writeFile(join(folder, `${index}-stderr.txt`), last.run.stderr);
        }
      }
      return folder;
    },
  };
}

/** Reads a transcript back, from its folder or its file; says what is wrong with one that does not fit the schema. */
export async function readTranscript(path: string): Promise<Transcript> {
  const file = path.endsWith(".json") ? path : join(path, transcriptFileName);
  const text = await readFile(file, "utf8");
  const parsed = transcriptSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a bpflab transcript (version 1): ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  return parsed.data;
}
