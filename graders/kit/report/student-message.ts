import type { CheckResult, ExerciseResult } from "../grade/results.ts";

/** A failed check as a student reads it: the sentence, then what their script printed. */
export function studentMessage(check: CheckResult, exercise: ExerciseResult): string {
  const parts = [check.message];
  if (check.excerpt.length > 0) parts.push("", "Your script printed:", ...check.excerpt.map((line) => `  | ${line}`));
  if (exercise.transcript) parts.push("", `Full transcript: ${exercise.transcript}`);
  return parts.join("\n");
}
