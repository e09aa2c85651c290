// The class summary (summary.csv, summary.json) is read back from the TAP report with
// tap-parser, so what an instructor imports is exactly what the TAP says. Scores come from the
// YAML diagnostics of the exercise and submission test points (tap.ts writes them).
import { Parser } from "tap-parser";
import { z } from "zod";
import type { BackendName } from "../machine/lab-machine.ts";
import { isolationSchema, type Isolation } from "../machine/isolation.ts";

export interface ExerciseScore {
  /** Null when not gradable: never a zero. */
  score: number | null;
  max: number;
  gradable: boolean;
  reason?: string;
  /** Where its scripts ran; absent when none ran. */
  backend?: BackendName;
  isolation?: Isolation;
}

export interface StudentSummary {
  student: string;
  exercises: Record<string, ExerciseScore>;
  /** Points over the gradable exercises. */
  total: number;
  max: number;
  /** False when any exercise was not gradable: the row needs a regrade, not a grade. */
  gradable: boolean;
}

export interface ClassSummary {
  exercises: string[];
  students: StudentSummary[];
}

// The diagnostics carry kernel and trust side by side: they are read back as one isolation.
const exerciseDiagnostics = z
  .object({
    exercise: z.string(),
    score: z.number(),
    max: z.number(),
    gradable: z.boolean(),
    reason: z.string().optional(),
    backend: z.enum(["vm", "container", "host"]).optional(),
    kernel: z.string().optional(),
    trust: z.string().optional(),
  })
  .transform(({ kernel, trust, ...rest }, context): typeof rest & { isolation?: Isolation } => {
    if (kernel === undefined && trust === undefined) return rest;
    const isolation = isolationSchema.safeParse({ kernel, trust });
    if (isolation.success) return { ...rest, isolation: isolation.data };
    context.addIssue({ code: "custom", message: `kernel ${String(kernel)} with trust ${String(trust)} is not an isolation bpflab grades under` });
    return z.NEVER;
  });

const submissionDiagnostics = z.object({ student: z.string(), score: z.number(), max: z.number(), gradable: z.boolean() });

interface TapAssert {
  ok: boolean;
  diag: unknown;
}

export function summaryFromTap(tap: string): ClassSummary {
  const students: StudentSummary[] = [];
  const order: string[] = [];
  const problems: string[] = [];
  let current: Array<z.output<typeof exerciseDiagnostics>> = [];
  const parser = new Parser();
  parser.on("child", (child: Parser) => {
    current = [];
    child.on("assert", (point: TapAssert) => {
      const parsed = exerciseDiagnostics.safeParse(point.diag);
      if (parsed.success) current.push(parsed.data);
      else problems.push(`an exercise test point has no score diagnostics: ${parsed.error.message}`);
    });
  });
  parser.on("assert", (point: TapAssert) => {
    const parsed = submissionDiagnostics.safeParse(point.diag);
    if (!parsed.success) {
      problems.push(`a submission test point has no score diagnostics: ${parsed.error.message}`);
      return;
    }
    const exercises: Record<string, ExerciseScore> = {};
    for (const exercise of current) {
      if (!order.includes(exercise.exercise)) order.push(exercise.exercise);
      exercises[exercise.exercise] = {
        score: exercise.gradable ? exercise.score : null,
        max: exercise.max,
        gradable: exercise.gradable,
        ...(exercise.reason === undefined ? {} : { reason: exercise.reason }),
        ...(exercise.backend === undefined ? {} : { backend: exercise.backend }),
        ...(exercise.isolation === undefined ? {} : { isolation: exercise.isolation }),
      };
    }
    students.push({ student: parsed.data.student, exercises, total: parsed.data.score, max: parsed.data.max, gradable: parsed.data.gradable });
  });
  let complete = false;
  parser.on("complete", (results: { ok: boolean; failures: Array<{ tapError?: string | null }> }) => {
    complete = true;
    const tapErrors = results.failures.flatMap((failure) => (failure.tapError ? [failure.tapError] : []));
    if (tapErrors.length > 0) problems.push(`the TAP is malformed: ${tapErrors.join("; ")}`);
  });
  parser.end(tap);
  if (!complete) problems.push("the TAP ended early");
  if (problems.length > 0) throw new Error(`cannot summarize the report: ${problems.join("; ")}`);
  return { exercises: order, students };
}
