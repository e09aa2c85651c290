// prairielearn/<student>/results.json, in the fields of PrairieLearn's external grading results:
// score in [0, 1], gradable, message, tests[] with name, points, max_points, message. A not
// gradable submission is "gradable": false with format_errors saying why: PrairieLearn then
// awards and takes away nothing. PrairieLearn shows every test to the student, so hidden checks
// appear only as one line with their total points, never by name or message.
import type { SubmissionResult } from "../grade/results.ts";
import { checkLabel } from "./check-label.ts";
import { studentMessage } from "./student-message.ts";

export interface PrairieLearnTest {
  name: string;
  points: number;
  max_points: number;
  message: string;
}

export type PrairieLearnResults =
  | { gradable: true; score: number; message: string; tests: PrairieLearnTest[] }
  | { gradable: false; format_errors: string[]; message: string; tests: PrairieLearnTest[] };

export function toPrairieLearn(submission: SubmissionResult): PrairieLearnResults {
  const tests: PrairieLearnTest[] = [];
  for (const exercise of submission.exercises.filter((graded) => graded.gradable)) {
    const withoutHostPaths = { ...exercise, transcript: undefined };
    for (const check of exercise.checks.filter((checked) => !checked.hidden)) {
      const name = `${exercise.id}: ${checkLabel(exercise, check)}`;
      tests.push({ name, points: check.points, max_points: check.max, message: check.ok ? "" : studentMessage(check, withoutHostPaths) });
    }
    const hidden = exercise.checks.filter((checked) => checked.hidden);
    if (hidden.length > 0) {
      tests.push({
        name: `${exercise.id}: hidden checks (${hidden.length})`,
        points: hidden.reduce((sum, check) => sum + check.points, 0),
        max_points: hidden.reduce((sum, check) => sum + check.max, 0),
        message: "These checks are shown to your instructor only.",
      });
    }
  }
  const notGradable = submission.exercises.filter((exercise) => !exercise.gradable);
  if (notGradable.length > 0) {
    const format_errors = notGradable.map((exercise) => `${exercise.id} could not be graded: ${exercise.reason ?? "unknown reason"}`);
    return { gradable: false, format_errors, message: "Not graded: the grader could not run. This is not a zero.", tests };
  }
  return {
    gradable: true,
    score: submission.max === 0 ? 0 : submission.score / submission.max,
    message: `${submission.score}/${submission.max} points.`,
    tests,
  };
}
