import type { CheckResult, ExerciseResult } from "../grade/results.ts";

/** A check as reports name it: prefixed with its task only when the exercise has several. */
export function checkLabel(exercise: ExerciseResult, check: CheckResult): string {
  const tasks = new Set(exercise.checks.map((each) => each.task));
  return tasks.size > 1 ? `${check.task}: ${check.name}` : check.name;
}
