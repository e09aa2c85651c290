// The results file a grading platform reads after grading one upload: the report views bpflab
// already has (report/gradescope.ts, report/prairielearn.ts), with what the upload mapping found
// put before the score.
import { toGradescope, type GradescopeResults, type HiddenVisibility } from "../report/gradescope.ts";
import { toPrairieLearn, type PrairieLearnResults } from "../report/prairielearn.ts";
import type { UploadGrade } from "./grade-upload.ts";

export type Platform = "gradescope" | "prairielearn";
export const platforms: readonly Platform[] = ["gradescope", "prairielearn"];

function withNotes(notes: readonly string[], text: string): string {
  return notes.length === 0 ? text : `${notes.map((note) => `${note}.`).join("\n")}\n\n${text}`;
}

export function gradescopeResults(grade: UploadGrade, hiddenVisibility: HiddenVisibility, executionSeconds: number): GradescopeResults & { execution_time: number } {
  const results = toGradescope(grade.submission, hiddenVisibility);
  return { ...results, output: withNotes(grade.notes, results.output), execution_time: Math.round(executionSeconds) };
}

export function prairieLearnResults(grade: UploadGrade): PrairieLearnResults {
  const results = toPrairieLearn(grade.submission);
  return { ...results, message: withNotes(grade.notes, results.message) };
}

/** When bpflab itself could not grade (a broken package, an unknown exercise): never a zero on PrairieLearn. */
export function harnessFailureResults(platform: Platform, reason: string): GradescopeResults | PrairieLearnResults {
  const message = `bpflab could not grade this submission (${reason}). This is not your scripts' fault; tell your instructor.`;
  if (platform === "prairielearn") return { gradable: false, format_errors: [message], message, tests: [] };
  return { score: 0, output: message, tests: [], extra_data: { gradable: false, not_gradable: [], ran_on: [] } };
}
