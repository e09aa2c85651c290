// `--out DIR`: every report of a grading run, side by side. The summaries are parsed back from
// the TAP just written, so the CSV and JSON say what the TAP says.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SubmissionResult } from "../grade/results.ts";
import type { Shard } from "../grade/shard.ts";
import { toCsv } from "./csv.ts";
import { toGradescope, type HiddenVisibility } from "./gradescope.ts";
import { toClassHtml } from "./html.ts";
import { toPrairieLearn } from "./prairielearn.ts";
import { resultsFileName, studentIdSchema, toResultsFile } from "./results-file.ts";
import { summaryFromTap, type ClassSummary } from "./summary.ts";
import { toTap } from "./tap.ts";

export interface ReportSetOptions {
  shard: Shard;
  classSize: number;
  hiddenVisibility: HiddenVisibility;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export async function writeReportSet(dir: string, submissions: readonly SubmissionResult[], options: ReportSetOptions): Promise<ClassSummary> {
  for (const submission of submissions) studentIdSchema.parse(submission.id);
  await mkdir(dir, { recursive: true });
  const tap = toTap(submissions);
  const summary = summaryFromTap(tap);
  await writeFile(join(dir, resultsFileName), toResultsFile(submissions, options.shard, options.classSize));
  await writeFile(join(dir, "report.tap"), tap);
  await writeFile(join(dir, "summary.csv"), toCsv(summary));
  await writeFile(join(dir, "summary.json"), json(summary));
  await writeFile(join(dir, "report.html"), toClassHtml(submissions, { reportDir: dir }));
  for (const system of ["gradescope", "prairielearn"]) await rm(join(dir, system), { recursive: true, force: true });
  for (const submission of submissions) {
    await mkdir(join(dir, "gradescope", submission.id), { recursive: true });
    await writeFile(join(dir, "gradescope", submission.id, "results.json"), json(toGradescope(submission, options.hiddenVisibility)));
    await mkdir(join(dir, "prairielearn", submission.id), { recursive: true });
    await writeFile(join(dir, "prairielearn", submission.id, "results.json"), json(toPrairieLearn(submission)));
  }
  return summary;
}
