// `bpflab grade solutions`: the reference solutions, graded through the instructor's command
// line like any submission, get full marks on every exercise, and the command exits 0.
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { execa } from "execa";
import { expect, test } from "vitest";
import { exerciseIds } from "../../graders/kit/catalog.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

interface JsonReport {
  submissions: { id: string; score: number; max: number; exercises: { id: string; score: number; max: number; gradable: boolean; reason?: string }[] }[];
}

test("bpflab grade solutions --format json gives full marks on every exercise", async () => {
  const run = await execa("node", [join(repo, "bin/bpflab.js"), "grade", "solutions", "--format", "json", "--backend", "vm", "--jobs", "1"], {
    cwd: repo,
    reject: false,
  });
  expect(run.exitCode, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as JsonReport;
  expect(report.submissions).toHaveLength(1);
  const exercises = report.submissions[0]?.exercises ?? [];
  expect(exercises.map((exercise) => exercise.id).sort()).toEqual(exerciseIds());
  for (const exercise of exercises) {
    expect(exercise.gradable, `${exercise.id}: ${exercise.reason ?? ""}`).toBe(true);
    expect(exercise.score, exercise.id).toBe(exercise.max);
  }
}, 1_200_000);
