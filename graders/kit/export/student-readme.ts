// The students' README: docs/student-readme.md with the exercises and the demo workloads filled in
// from the graders, so that it lists exactly what the students' repository grades. Written for
// students: nothing of the instructor's README (class grading, the harness's own tests) is in it.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Exercise } from "../exercise.ts";
import { demoWorkloads } from "../run/demo-workloads.ts";

export const studentReadmeTemplate = "docs/student-readme.md";

function exerciseTable(exercises: readonly Exercise[]): string {
  const rows = exercises.map((exercise) => {
    const points = exercise.tasks.flatMap((task) => task.checks).filter((check) => !check.hidden).reduce((sum, check) => sum + check.points, 0);
    return `| \`${exercise.id}\` | ${exercise.title} | ${points} |`;
  });
  return ["| exercise | what you trace | points |", "|---|---|---|", ...rows].join("\n");
}

function workloadList(): string {
  return Object.entries(demoWorkloads)
    .map(([name, workload]) => `- \`${name}\`: ${workload.describe}`)
    .join("\n");
}

export async function studentReadme(sourceRoot: string, exercises: readonly Exercise[]): Promise<string> {
  const template = await readFile(join(sourceRoot, studentReadmeTemplate), "utf8");
  return template.replace("{{exercises}}", exerciseTable(exercises)).replace("{{workloads}}", workloadList());
}
