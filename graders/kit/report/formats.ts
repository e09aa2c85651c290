// The one registry of report formats: each is a view of a graded class, written as files into a
// report folder (`grade --out`, `merge`, `regrade --out`); the class-wide ones can also go to
// stdout (`--format`). A new format is one entry here and one file beside this one.
import type { SubmissionResult } from "../grade/results.ts";
import { studentIdSchema } from "../grade/results-schema.ts";
import type { Shard } from "../grade/shard.ts";
import { toCsv } from "./csv.ts";
import { toGradescope, type HiddenVisibility } from "./gradescope.ts";
import { toClassHtml } from "./html.ts";
import { toJsonReport } from "./json.ts";
import { toPrairieLearn } from "./prairielearn.ts";
import { resultsFileName, toResultsFile } from "./results-file.ts";
import { summaryFromTap } from "./summary.ts";
import { toTap } from "./tap.ts";

export interface ClassReport {
  submissions: readonly SubmissionResult[];
  shard: Shard;
  /** Students in the whole class, before it was split into shards. */
  classSize: number;
  hiddenVisibility: HiddenVisibility;
}

export interface ReportFile {
  /** Relative to the report folder. */
  path: string;
  text: string;
}

export interface ReportFormat {
  /** Files in the report folder `dir` (which links between them are relative to). */
  files(report: ClassReport, dir: string): ReportFile[];
  /** The whole class on stdout, for the formats `--format` offers. */
  stdout?(report: ClassReport): string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** One folder per student: students' ids were checked to be single folder names. */
function perStudent(report: ClassReport, folder: string, render: (submission: SubmissionResult) => unknown): ReportFile[] {
  return report.submissions.map((submission) => ({ path: `${folder}/${studentIdSchema.parse(submission.id)}/results.json`, text: json(render(submission)) }));
}

export const reportFormats = {
  tap: { files: (report) => [{ path: "report.tap", text: toTap(report.submissions) }], stdout: (report) => toTap(report.submissions) },
  json: { files: () => [], stdout: (report) => toJsonReport(report.submissions) },
  results: { files: (report) => [{ path: resultsFileName, text: toResultsFile(report.submissions, report.shard, report.classSize) }] },
  // Summaries are read back from the TAP, so what an instructor imports is what the TAP says.
  summary: {
    files: (report) => {
      const summary = summaryFromTap(toTap(report.submissions));
      return [
        { path: "summary.csv", text: toCsv(summary) },
        { path: "summary.json", text: json(summary) },
      ];
    },
  },
  html: { files: (report, dir) => [{ path: "report.html", text: toClassHtml(report.submissions, { reportDir: dir }) }] },
  gradescope: { files: (report) => perStudent(report, "gradescope", (submission) => toGradescope(submission, report.hiddenVisibility)) },
  prairielearn: { files: (report) => perStudent(report, "prairielearn", toPrairieLearn) },
} satisfies Record<string, ReportFormat>;

export type StdoutFormat = "tap" | "json";
export const stdoutFormats: readonly StdoutFormat[] = ["tap", "json"];
