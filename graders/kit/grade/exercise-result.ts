// An exercise's result from its checks: graded, not gradable (never a zero), or refused (the
// submission's folder was not read: a zero, with the problem named).
import type { Exercise } from "../exercise.ts";
import { everyCheck } from "./judge-task.ts";
import { scored, type CheckResult, type ExerciseResult } from "./results.ts";

/** What a grading produced, before it is scored. */
export type Graded = Pick<ExerciseResult, "checks" | "notes" | "review" | "seed" | "machine" | "isolation" | "figures">;

export function exerciseResult(exercise: Exercise, graded: Graded): ExerciseResult {
  const { machine, isolation, figures, ...rest } = graded;
  return {
    id: exercise.id,
    title: exercise.title,
    ...scored(graded.checks),
    gradable: true,
    ...rest,
    ...(machine ? { machine } : {}),
    ...(isolation ? { isolation } : {}),
    ...(figures && figures.length > 0 ? { figures } : {}),
  };
}

function failEveryCheck(exercise: Exercise, message: string): CheckResult[] {
  return exercise.tasks.flatMap((task) => everyCheck(task, { ok: false, message }));
}

export function notGradableResult(exercise: Exercise, seed: number, reason: string): ExerciseResult {
  const checks = failEveryCheck(exercise, `not gradable: ${reason}`);
  return { id: exercise.id, title: exercise.title, score: 0, max: scored(checks).max, gradable: false, reason, checks, notes: [], review: [], seed };
}

export function refusedResult(exercise: Exercise, seed: number, problems: readonly string[]): ExerciseResult {
  const message = `your ${exercise.id} folder was not graded: ${problems.join("; ")}. Fix it and submit again.`;
  return exerciseResult(exercise, { checks: failEveryCheck(exercise, message), notes: [...problems], review: [], seed });
}
