// TAP 14: a subtest per submission, then per exercise, then a test point per check, with the
// points and the message in YAML diagnostics. Instructors' CI systems read this.
import type { CheckResult, ExerciseResult, SubmissionResult } from "../grade/results.ts";

const indentation = "    ";

function yamlBlock(fields: Record<string, string | number | boolean | string[]>, depth: number): string[] {
  const pad = indentation.repeat(depth) + "  ";
  const lines = [`${pad}---`];
  for (const [key, value] of Object.entries(fields)) {
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      lines.push(`${pad}${key}:`, ...value.map((item) => `${pad}  - ${JSON.stringify(item)}`));
    } else {
      lines.push(`${pad}${key}: ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
  }
  lines.push(`${pad}...`);
  return lines;
}

function description(text: string): string {
  // '#' starts a directive in TAP; keep it out of descriptions.
  return text.replaceAll("#", "\\#");
}

function checkPoint(check: CheckResult, number: number, depth: number): string[] {
  const pad = indentation.repeat(depth);
  const name = check.task === check.name ? check.name : `${check.task}: ${check.name}`;
  const head = `${pad}${check.ok ? "ok" : "not ok"} ${number} - ${description(name)}`;
  const fields = { points: check.points, max: check.max, hidden: check.hidden, message: check.message, excerpt: check.excerpt };
  return [head, ...yamlBlock(fields, depth)];
}

function exerciseLines(exercise: ExerciseResult, number: number, depth: number): string[] {
  const pad = indentation.repeat(depth);
  const title = `${description(exercise.id)} (${exercise.score}/${exercise.max} points)`;
  if (!exercise.gradable) {
    return [`${pad}ok ${number} - ${title} # SKIP not gradable: ${description(exercise.reason ?? "unknown reason")}`];
  }
  const body = exercise.checks.flatMap((check, index) => checkPoint(check, index + 1, depth + 1));
  const ok = exercise.checks.every((check) => check.ok);
  return [
    `${pad}# Subtest: ${description(exercise.id)}`,
    ...body,
    `${pad}${indentation}1..${exercise.checks.length}`,
    `${pad}${ok ? "ok" : "not ok"} ${number} - ${title}`,
  ];
}

function submissionLines(submission: SubmissionResult, number: number): string[] {
  const body = submission.exercises.flatMap((exercise, index) => exerciseLines(exercise, index + 1, 1));
  const ok = submission.exercises.every((exercise) => !exercise.gradable || exercise.checks.every((check) => check.ok));
  return [
    `# Subtest: ${description(submission.id)}`,
    ...body,
    `${indentation}1..${submission.exercises.length}`,
    `${ok ? "ok" : "not ok"} ${number} - ${description(submission.id)} (${submission.score}/${submission.max} points)`,
  ];
}

export function toTap(submissions: readonly SubmissionResult[]): string {
  const lines = ["TAP version 14", ...submissions.flatMap((submission, index) => submissionLines(submission, index + 1))];
  lines.push(`1..${submissions.length}`);
  return `${lines.join("\n")}\n`;
}
