// Results for an exercise whose scripts never ran: the harness could not grade it (not gradable,
// never a zero), or the submission's folder was refused (a zero, with the file named).
import type { Exercise } from "../exercise.ts";
import { scored, type CheckResult, type ExerciseResult } from "./results.ts";

function everyCheck(exercise: Exercise, message: string): CheckResult[] {
  return exercise.tasks.flatMap((task) =>
    task.checks.map((check) => ({ task: task.name, name: check.name, ok: false, points: 0, max: check.points, hidden: check.hidden, message, excerpt: [] })),
  );
}

export function notGradableResult(exercise: Exercise, seed: number, reason: string): ExerciseResult {
  const checks = everyCheck(exercise, `not gradable: ${reason}`);
  return { id: exercise.id, title: exercise.title, score: 0, max: scored(checks).max, gradable: false, reason, checks, notes: [], review: [], seed };
}

export function refusedResult(exercise: Exercise, seed: number, problems: readonly string[]): ExerciseResult {
  const message = `your ${exercise.id} folder was not graded: ${problems.join("; ")}. Fix it and submit again.`;
  const checks = everyCheck(exercise, message);
  return { id: exercise.id, title: exercise.title, ...scored(checks), gradable: true, checks, notes: [...problems], review: [], seed };
}
