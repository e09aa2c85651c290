// The machine-readable report of `bpflab grade --format json`.
import type { SubmissionResult } from "../grade/results.ts";

export function toJsonReport(submissions: readonly SubmissionResult[]): string {
  const report = {
    submissions: submissions.map((submission) => ({
      id: submission.id,
      score: submission.score,
      max: submission.max,
      exercises: submission.exercises.map((exercise) => ({
        id: exercise.id,
        score: exercise.score,
        max: exercise.max,
        gradable: exercise.gradable,
        ...(exercise.reason === undefined ? {} : { reason: exercise.reason }),
        seed: exercise.seed,
        ...(exercise.machine === undefined ? {} : { backend: exercise.machine.backend }),
        ...(exercise.isolation === undefined ? {} : { isolation: exercise.isolation }),
        checks: exercise.checks.map((check) => ({
          id: check.id,
          name: check.name,
          ok: check.ok,
          points: check.points,
          max: check.max,
          message: check.message,
        })),
      })),
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
