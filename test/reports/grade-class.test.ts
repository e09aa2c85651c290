// End to end, in the lab VM: a tiny class graded through the CLI with --out, in parallel, with
// a hidden check: every report is written, agrees with the others, and shows the hidden check
// to the instructor only.
import { cp, mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import type { GradescopeResults } from "../../graders/kit/report/gradescope.ts";
import type { PrairieLearnResults } from "../../graders/kit/report/prairielearn.ts";
import { resultsFileSchema } from "../../graders/kit/report/results-file.ts";
import { summaryFromTap, type ClassSummary } from "../../graders/kit/report/summary.ts";
import { hiddenCheckName, labCopyWithHiddenCheck, repo } from "../export/lab-copy.ts";

const students = {
  alice: join(repo, "solutions/vfs-unlink"),
  bob: join(repo, "fixtures/submissions/vfs-unlink/swapped/vfs-unlink"),
  carol: join(repo, "fixtures/submissions/vfs-unlink/starter/vfs-unlink"),
};

describe("bpflab grade --out, a class in the lab VM", () => {
  let instructor: string;
  let out: string;
  let run: { exitCode?: number | undefined; all?: string | undefined };
  const read = (file: string) => readFile(join(out, file), "utf8");

  beforeAll(async () => {
    instructor = await labCopyWithHiddenCheck();
    const work = await mkdtemp(join(tmpdir(), "bpflab-class-"));
    for (const [student, folder] of Object.entries(students)) {
      await mkdir(join(work, "class", student), { recursive: true });
      await cp(folder, join(work, "class", student, "vfs-unlink"), { recursive: true });
    }
    out = join(work, "out");
    const args = ["grade", join(work, "class"), "--exercise", "vfs-unlink", "--backend", "vm", "--jobs", "2", "--out", out, "--transcripts", join(work, "runs")];
    run = await execa("node", [join(instructor, "bin/bpflab.js"), ...args], { cwd: instructor, reject: false, all: true });
  }, 600_000);

  test("grades every student, in parallel, with plain progress lines", () => {
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all).toMatch(/\[worker 2\] grading/);
    expect(run.all).toMatch(/\[3\/3\] /);
  });

  test("scores: the solution gets everything, hidden check included; wrong ones lose points", async () => {
    const summary = JSON.parse(await read("summary.json")) as ClassSummary;
    const byStudent = Object.fromEntries(summary.students.map((student) => [student.student, student]));
    expect(byStudent.alice).toMatchObject({ total: 8, max: 8, gradable: true });
    expect(byStudent.bob!.total).toBeLessThan(8);
    expect(byStudent.carol!.total).toBeLessThan(8);
    expect(summary).toEqual(summaryFromTap(await read("report.tap")));
  });

  test("TAP, CSV, results.json agree; the hidden check is in the instructor's TAP", async () => {
    const tap = await read("report.tap");
    const results = resultsFileSchema.parse(JSON.parse(await read("results.json")));
    const csv = (await read("summary.csv")).trim().split("\r\n").map((line) => line.split(","));
    expect(csv[0]).toEqual(["student", "vfs-unlink", "total", "max", "gradable", "not_gradable", "ran_on"]);
    for (const submission of results.submissions) {
      expect(csv.find((row) => row[0] === submission.id)?.slice(1, 4)).toEqual([submission.score, submission.score, submission.max].map(String));
      expect(csv.find((row) => row[0] === submission.id)?.[6]).toBe("vm: a kernel of its own");
      expect(submission.exercises[0]?.isolation).toEqual({ kernel: "own", trust: "untrusted" });
    }
    expect(tap).toContain("\n# ran on vm: a kernel of its own\n");
    expect(tap).toMatch(new RegExp(`ok \\d+ - ${hiddenCheckName}\\n\\s+---\\n\\s+points: \\d\\n\\s+max: 1\\n\\s+hidden: true`));
  });

  test("Gradescope shows the hidden check after publication; PrairieLearn only as a total", async () => {
    const gradescope = JSON.parse(await read("gradescope/alice/results.json")) as GradescopeResults;
    expect(gradescope.score).toBe(8);
    expect(gradescope.tests.find((each) => each.name.endsWith(hiddenCheckName))?.visibility).toBe("after_published");
    const prairielearn = JSON.parse(await read("prairielearn/bob/results.json")) as PrairieLearnResults;
    expect(JSON.stringify(prairielearn)).not.toContain(hiddenCheckName);
    expect(prairielearn.tests.some((each) => each.name === "vfs-unlink: hidden checks (1)")).toBe(true);
  });

  test("bpflab merge of the run's folder rewrites the same report set", async () => {
    const merged = join(out, "..", "merged");
    const merge = await execa("node", [join(instructor, "bin/bpflab.js"), "merge", out, "--out", merged], { reject: false, all: true });
    expect(merge.exitCode, merge.all).toBe(0);
    for (const file of ["report.tap", "summary.csv", "gradescope/bob/results.json"]) {
      expect(await readFile(join(merged, file), "utf8"), file).toBe(await read(file));
    }
  });
});
