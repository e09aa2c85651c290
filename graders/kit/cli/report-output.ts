// Where a command's report goes: every format into the --out folder, or one on stdout.
import { resolve } from "node:path";
import { reportFormats, type ClassReport, type StdoutFormat } from "../report/formats.ts";
import { writeReportSet } from "../report/report-set.ts";

export async function emitReport(report: ClassReport, where: { out?: string; format: StdoutFormat }): Promise<void> {
  if (where.out) await writeReportSet(resolve(where.out), report);
  else process.stdout.write(reportFormats[where.format].stdout(report));
}

/** "alice vfs-unlink, bob fget-retval": what to grade again for real; they are not zeros. */
export function notGradable(report: ClassReport): string[] {
  return report.submissions.flatMap((submission) => submission.exercises.filter((exercise) => !exercise.gradable).map((exercise) => `${submission.id} ${exercise.id}`));
}
