// summary.csv: one row per student, a column per exercise (empty when not gradable, never 0),
// then total, max, gradable, which exercises were not gradable, and where the scripts ran
// ("vm: a kernel of its own", or the host's kernel and why). RFC 4180 quoting.
import { ranOn } from "./ran-on.ts";
import type { ClassSummary } from "./summary.ts";

function cell(value: string | number | boolean): string {
  let text = String(value);
  // Student ids are folder names: keep a spreadsheet from reading one as a formula.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvFixedColumns = ["total", "max", "gradable", "not_gradable", "ran_on"] as const;

export function toCsv(summary: ClassSummary): string {
  const header = ["student", ...summary.exercises, ...csvFixedColumns];
  const rows = summary.students.map((student) => {
    const scores = summary.exercises.map((id) => student.exercises[id]?.score ?? "");
    const notGradable = summary.exercises.filter((id) => student.exercises[id]?.gradable === false).join(" ");
    const places = Object.values(student.exercises).map((exercise) => ranOn(exercise.backend, exercise.isolation));
    const ran = [...new Set(places.filter((place) => place !== undefined))].join("; ");
    return [student.student, ...scores, student.total, student.max, student.gradable, notGradable, ran];
  });
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
