// Each exercise README's points table is what students read before they are graded: it must say
// what the grader does, check by check, with the same names and points, in the same order.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { exerciseIds, loadExercise } from "../graders/kit/catalog.ts";
import { labNames, loadLab } from "../vm/labs.ts";
import { repo } from "./proofs/cases.ts";

/** The rows of the README's table whose last two cells are "check | points". */
function pointsTable(markdown: string): Array<{ name: string; points: number }> {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => /\|\s*check\s*\|\s*points\s*\|\s*$/.test(line));
  if (header < 0) return [];
  const rows = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    rows.push({ name: cells.at(-2) ?? "", points: Number(cells.at(-1)) });
  }
  return rows;
}

describe("exercise READMEs", () => {
  for (const id of exerciseIds()) {
    test(`${id}: the points table says what the grader says`, async () => {
      const exercise = await loadExercise(id);
      const table = pointsTable(await readFile(join(repo, "exercises", id, "README.md"), "utf8"));
      const checks = exercise.tasks.flatMap((task) => task.checks.filter((check) => !check.hidden).map(({ name, points }) => ({ name, points })));
      expect(table, `exercises/${id}/README.md`).toEqual(checks);
    });
  }
});

describe("facts a README teaches that change with the lab", () => {
  test("kprobe-args lists vfs_unlink's arguments at their positions, as each lab's kernel has them", async () => {
    const readme = await readFile(join(repo, "exercises/kprobe-args/README.md"), "utf8");
    for (const lab of labNames().map(loadLab)) {
      expect(readme, lab.name).toContain(`${lab.name} lab`);
      lab.facts.vfsUnlinkArguments.forEach((argument, index) => {
        const row = readme.split("\n").find((line) => line.startsWith(`| \`arg${index}\` |`)) ?? "";
        expect(row, `${lab.name}: arg${index}`).toContain(`\`${argument.type} ${argument.name}\``);
      });
    }
  });
});
