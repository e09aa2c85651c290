// TAP 14: a subtest per submission, then per exercise, then a test point per check, with the
// points and the message in YAML diagnostics. Instructors' CI systems read this, and the
// summaries (CSV, JSON) are computed by parsing it back (summary.ts), from the diagnostics of
// the exercise and submission test points, never from the descriptions.
//
// Against the TAP 14 specification: descriptions escape "\" and "#" and hold no line break; a
// subtest's "# Subtest: <name>" matches the description of the test point that closes it; the
// YAML block is indented two spaces past its test point; a not gradable exercise is a SKIP (its
// checks too), so a harness counts it neither passed nor failed. Where the scripts ran is a
// comment after the plan, and in each exercise's diagnostics (backend, kernel, trust).
import { checkLabel } from "./check-label.ts";
import { placesRanOn } from "./ran-on.ts";
import type { CheckResult, ExerciseResult, SubmissionResult } from "../grade/results.ts";

const indentation = "    ";

type YamlValue = string | number | boolean | string[];

function yamlBlock(fields: Record<string, YamlValue | undefined>, depth: number): string[] {
  const pad = indentation.repeat(depth) + "  ";
  const lines = [`${pad}---`];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      lines.push(`${pad}${key}:`, ...value.map((item) => `${pad}  - ${JSON.stringify(item)}`));
    } else {
      // A JSON string is a valid YAML double-quoted scalar.
      lines.push(`${pad}${key}: ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
  }
  lines.push(`${pad}...`);
  return lines;
}

export function tapDescription(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replaceAll("\\", "\\\\").replaceAll("#", "\\#");
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

function testPoint(ok: boolean, number: number, description: string, directive = ""): string {
  return `${ok ? "ok" : "not ok"} ${number} - ${tapDescription(description)}${directive}`;
}

function indent(lines: readonly string[], depth: number): string[] {
  return lines.map((line) => indentation.repeat(depth) + line);
}

function checkLines(check: CheckResult, number: number, exercise: ExerciseResult, depth: number): string[] {
  const name = checkLabel(exercise, check);
  if (!exercise.gradable) return indent([testPoint(true, number, name, ` # SKIP not gradable`)], depth);
  const fields = { id: check.id, points: check.points, max: check.max, hidden: check.hidden, message: check.message || undefined, excerpt: check.excerpt };
  return [...indent([testPoint(check.ok, number, name)], depth), ...yamlBlock(fields, depth)];
}

function exerciseLines(exercise: ExerciseResult, number: number, depth: number): string[] {
  const title = exercise.gradable ? `${exercise.id} (${exercise.score}/${exercise.max} points)` : `${exercise.id} (not gradable)`;
  const body = exercise.checks.flatMap((check, index) => checkLines(check, index + 1, exercise, depth + 1));
  const ok = !exercise.gradable || exercise.checks.every((check) => check.ok);
  const directive = exercise.gradable ? "" : ` # SKIP not gradable: ${tapDescription(oneLine(exercise.reason ?? "unknown reason"))}`;
  const diagnostics = {
    exercise: exercise.id,
    score: exercise.score,
    max: exercise.max,
    gradable: exercise.gradable,
    reason: exercise.reason === undefined ? undefined : oneLine(exercise.reason),
    seed: exercise.seed,
    backend: exercise.machine?.backend,
    kernel: exercise.isolation?.kernel,
    trust: exercise.isolation?.trust,
    notes: exercise.notes,
  };
  return [
    ...indent([`# Subtest: ${tapDescription(title)}`], depth),
    ...body,
    ...indent([`1..${exercise.checks.length}`], depth + 1),
    ...indent([`${ok ? "ok" : "not ok"} ${number} - ${tapDescription(title)}${directive}`], depth),
    ...yamlBlock(diagnostics, depth),
  ];
}

function submissionLines(submission: SubmissionResult, number: number): string[] {
  const title = `${submission.id} (${submission.score}/${submission.max} points)`;
  const body = submission.exercises.flatMap((exercise, index) => exerciseLines(exercise, index + 1, 1));
  const ok = submission.exercises.every((exercise) => !exercise.gradable || exercise.checks.every((check) => check.ok));
  const gradable = submission.exercises.every((exercise) => exercise.gradable);
  return [
    `# Subtest: ${tapDescription(title)}`,
    ...body,
    `${indentation}1..${submission.exercises.length}`,
    testPoint(ok, number, title),
    ...yamlBlock({ student: submission.id, score: submission.score, max: submission.max, gradable }, 0),
  ];
}

export function toTap(submissions: readonly SubmissionResult[]): string {
  const ranOn = placesRanOn(submissions).map((place) => `# ran on ${place}`);
  const lines = ["TAP version 14", `1..${submissions.length}`, ...ranOn, ...submissions.flatMap((submission, index) => submissionLines(submission, index + 1))];
  return `${lines.join("\n")}\n`;
}
