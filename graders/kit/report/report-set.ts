// A report folder: every format of the registry (formats.ts), side by side.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { summaryFromTap, type ClassSummary } from "./summary.ts";
import { reportFormats, type ClassReport, type ReportFormat } from "./formats.ts";
import { toTap } from "./tap.ts";

/** Per-student folders that a new report replaces whole, so that no student of an older run stays in them. */
const replacedFolders = ["gradescope", "prairielearn"];

export async function writeReportSet(dir: string, report: ClassReport): Promise<ClassSummary> {
  const files = Object.values(reportFormats).flatMap((format: ReportFormat) => format.files(report, dir));
  await mkdir(dir, { recursive: true });
  for (const folder of replacedFolders) await rm(join(dir, folder), { recursive: true, force: true });
  for (const file of files) {
    await mkdir(dirname(join(dir, file.path)), { recursive: true });
    await writeFile(join(dir, file.path), file.text);
  }
  return summaryFromTap(toTap(report.submissions));
}
