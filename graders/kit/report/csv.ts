// summary.csv: one row per student, a column per exercise (empty when not gradable, never 0),
// then total, max, gradable and which exercises were not gradable. RFC 4180 quoting.
import type { ClassSummary } from "./summary.ts";

function cell(value: string | number | boolean): string {
  let text = String(value);
  // Student ids are folder names: keep a spreadsheet from reading one as a formula.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvFixedColumns = ["total", "max", "gradable", "not_gradable"] as const;

export function toCsv(summary: ClassSummary): string {
  const header = ["student", ...summary.exercises, ...csvFixedColumns];
  const rows = summary.students.map((student) => {
    const scores = summary.exercises.map((id) => student.exercises[id]?.score ?? "");
    const notGradable = summary.exercises.filter((id) => student.exercises[id]?.gradable === false).join(" ");
    return [student.student, ...scores, student.total, student.max, student.gradable, notGradable];
  });
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
