// gradescope/<student>/results.json, in the fields of Gradescope's autograder specification:
// a top-level score (which overrides the sum of the tests), and tests[] with name, score,
// max_score, status, output and visibility. Hidden checks get the visibility the instructor
// chose ("after_published" by default: shown once grades are published, "hidden": never).
// Gradescope has no "not gradable": such an exercise's tests carry no score and say why, the
// top-level output says it is not a zero, and extra_data.gradable is false.
import type { ExerciseResult, SubmissionResult } from "../grade/results.ts";
import { checkLabel } from "./check-label.ts";
import { placesRanOn } from "./ran-on.ts";
import { studentMessage } from "./student-message.ts";

export type HiddenVisibility = "hidden" | "after_published";

export interface GradescopeTest {
  name: string;
  score?: number;
  max_score: number;
  status?: "passed" | "failed";
  output: string;
  visibility: "visible" | HiddenVisibility;
}

export interface GradescopeResults {
  score: number;
  output: string;
  tests: GradescopeTest[];
  /** Stored with the result: whether every exercise was graded, and where the scripts ran. */
  extra_data: { gradable: boolean; not_gradable: string[]; ran_on: string[] };
}

function testsOf(exercise: ExerciseResult, hiddenVisibility: HiddenVisibility): GradescopeTest[] {
  const withoutHostPaths = { ...exercise, transcript: undefined };
  return exercise.checks.map((check) => {
    const name = `${exercise.id}: ${checkLabel(exercise, check)}`;
    const visibility = check.hidden ? hiddenVisibility : "visible";
    if (!exercise.gradable) return { name, max_score: check.max, output: `Not graded yet: ${exercise.reason ?? "unknown reason"}. This is not a zero.`, visibility };
    return {
      name,
      score: check.points,
      max_score: check.max,
      status: check.ok ? "passed" : "failed",
      output: check.ok ? "" : studentMessage(check, withoutHostPaths),
      visibility,
    };
  });
}

export function toGradescope(submission: SubmissionResult, hiddenVisibility: HiddenVisibility): GradescopeResults {
  const notGradable = submission.exercises.filter((exercise) => !exercise.gradable);
  const output =
    notGradable.length === 0
      ? `${submission.score}/${submission.max} points.`
      : `${submission.score} points so far; not graded yet (not a zero, it will be regraded): ${notGradable.map((exercise) => `${exercise.id} (${exercise.reason ?? "unknown reason"})`).join("; ")}.`;
  return {
    score: submission.score,
    output,
    tests: submission.exercises.flatMap((exercise) => testsOf(exercise, hiddenVisibility)),
    extra_data: { gradable: notGradable.length === 0, not_gradable: notGradable.map((exercise) => exercise.id), ran_on: placesRanOn([submission]) },
  };
}
