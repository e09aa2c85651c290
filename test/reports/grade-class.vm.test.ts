// End to end, in the lab VM: a tiny class graded through the CLI with --out, in parallel, with
// a hidden check: every report is written, agrees with the others, and shows the hidden check
// to the instructor only.
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import type { GradescopeResults } from "../../graders/kit/report/gradescope.ts";
import type { PrairieLearnResults } from "../../graders/kit/report/prairielearn.ts";
import { resultsFileSchema } from "../../graders/kit/report/results-file.ts";
import { summaryFromTap, type ClassSummary } from "../../graders/kit/report/summary.ts";
import { hiddenCheckId, hiddenCheckName, labCopyWithHiddenCheck, repo } from "../export/lab-copy.ts";

const students = {
  alice: join(repo, "solutions/vfs-unlink"),
  bob: join(repo, "fixtures/submissions/vfs-unlink/grandparent/vfs-unlink"),
  carol: join(repo, "fixtures/submissions/vfs-unlink/starter/vfs-unlink"),
};

describe("bpflab grade --out, a class in the lab VM", () => {
  let instructor: string;
  let out: string;
  let run: { exitCode?: number | undefined; all?: string | undefined };
  let gradingMs = 0;
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
    const started = Date.now();
    run = await execa("node", [join(instructor, "bin/bpflab.js"), ...args], { cwd: instructor, reject: false, all: true });
    gradingMs = Date.now() - started;
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
    expect(tap).toMatch(new RegExp(`ok \\d+ - ${hiddenCheckName}\\n\\s+---\\n\\s+id: "${hiddenCheckId}"\\n\\s+points: \\d\\n\\s+max: 1\\n\\s+hidden: true`));
    expect(tap).toContain("\n# ran on vm: a kernel of its own\n");
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

  const regrade = (...args: string[]) => execa("node", [join(instructor, "bin/bpflab.js"), "regrade", ...args], { cwd: instructor, reject: false, all: true });

  test("bpflab regrade of the --out folder writes the same reports, without a lab machine, in a fraction of the time", async () => {
    const again = join(out, "..", "regraded");
    const started = Date.now();
    const regraded = await regrade(out, "--out", again);
    const regradingMs = Date.now() - started;
    expect(regraded.exitCode, regraded.all).toBe(0);
    expect(regraded.all).toMatch(/regraded 3 exercises of 3 submissions .*no lab machine; nothing changed/);
    for (const file of ["report.tap", "summary.csv", "summary.json", "results.json", "gradescope/alice/results.json", "prairielearn/carol/results.json"]) {
      expect(await readFile(join(again, file), "utf8"), file).toBe(await read(file));
    }
    process.stdout.write(`grading the class: ${(gradingMs / 1000).toFixed(1)} s; regrading it: ${(regradingMs / 1000).toFixed(1)} s\n`);
    expect(regradingMs).toBeLessThan(gradingMs / 3);
  });

  test("after a check's points change in the grader, regrade names exactly the students who passed it", async () => {
    const grader = join(instructor, "graders/vfs-unlink.ts");
    const source = await readFile(grader, "utf8");
    const parentCheck = 'id: "parent",\n          name: "names the parent directory of each unlinked file",\n          points: 2,';
    expect(source).toContain(parentCheck);
    await writeFile(grader, source.replace(parentCheck, parentCheck.replace("points: 2", "points: 3")));
    try {
      const regraded = await regrade(out, "--format", "json");
      expect(regraded.exitCode, regraded.all).toBe(0);
      const changed = (regraded.stderr ?? "").split("\n").filter((line) => line.startsWith("  "));
      expect(changed).toEqual([expect.stringMatching(/^  alice vfs-unlink: 8\/8 -> 9\/9 \(parent 2 -> 3\)$/)]);
    } finally {
      await writeFile(grader, source);
    }
  });
});
