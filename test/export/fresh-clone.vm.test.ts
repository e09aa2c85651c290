// The students' repository stands on its own: exported, committed, cloned into a new folder, then
// `npm ci` (offline, from the npm cache this machine's own `npm ci` filled: the clone needs nothing
// of the instructor's checkout) and `npm test exercises/vfs-unlink` grade a student's script in the
// lab VM. Then its Classroom workflow runs as GitHub would run it: the grading step's command once,
// each check step's command in the command grader's environment (PATH and HOME only), and the
// points Classroom's reporter would add up match the grade.
import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { classroomWorkflowPath } from "../../graders/kit/export/classroom-workflow.ts";
import { exportStudentRepository } from "../../graders/kit/export/student-repository.ts";
import { readResultsFile } from "../../graders/kit/report/results-file.ts";
import { cleanEnvironment } from "../support/clean-environment.ts";
import { repo } from "./lab-copy.ts";

const git = (cwd: string, args: string[]) => execa("git", ["-c", "user.name=Student", "-c", "user.email=student@example.org", ...args], { cwd });
const stripColor = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

const stepSchema = z.object({ id: z.string().optional(), run: z.string().optional(), uses: z.string().optional(), with: z.record(z.string(), z.union([z.string(), z.number()])).optional() });
const workflowSchema = z.object({ jobs: z.object({ "run-autograding-tests": z.object({ steps: z.array(stepSchema) }) }) });

/** What education/autograding-command-grader gives the command: nothing else of the job's environment. */
function commandGraderEnvironment(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", FORCE_COLOR: "true", DOTNET_CLI_HOME: "/tmp", DOTNET_NOLOGO: "true", HOME: process.env.HOME ?? "/root" };
}

describe("a fresh clone of the students' repository", () => {
  let clone: string;

  beforeAll(async () => {
    const work = await mkdtemp(join(tmpdir(), "bpflab-fresh-clone-"));
    const exported = join(work, "exported");
    await exportStudentRepository(repo, exported);
    // The student's work: the reference answer to one exercise, the starters elsewhere.
    await cp(join(repo, "solutions/vfs-unlink/vfs-unlink.bt"), join(exported, "exercises/vfs-unlink/vfs-unlink.bt"));
    await git(exported, ["init", "-q"]);
    await git(exported, ["add", "-A"]);
    await git(exported, ["commit", "-q", "-m", "my lab"]);
    clone = join(work, "clone");
    await git(work, ["clone", "-q", exported, clone]);
    const started = Date.now();
    const install = await execa("npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: clone, all: true, reject: false });
    expect(install.exitCode, install.all).toBe(0);
    process.stderr.write(`fresh clone: npm ci --offline in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 300_000);

  test("npm test exercises/vfs-unlink grades the student's script in the lab VM", async () => {
    const run = await execa("npm", ["test", "exercises/vfs-unlink"], {
      cwd: clone,
      env: { ...cleanEnvironment(), BPFLAB_BACKEND: "vm", CI: "1", NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
      all: true,
    });
    const output = stripColor(run.all ?? "");
    expect(run.exitCode, output).toBe(0);
    expect(output).toMatch(/Tests\s+5 passed \(5\)/);
    expect(output).toMatch(/vfs-unlink: 7\/7 points \(vm/);
    const report = JSON.parse(await readFile(join(clone, ".bpflab/reports/vfs-unlink.json"), "utf8")) as { transcript: string };
    expect(report.transcript).toContain(join(clone, ".bpflab/runs"));
  }, 600_000);

  test("its Classroom workflow gives the points of the grade, one step per check, from one grading run", async () => {
    const { steps } = workflowSchema.parse(parse(await readFile(join(clone, classroomWorkflowPath), "utf8"))).jobs["run-autograding-tests"];
    const grading = steps.find((step) => step.run?.includes("bpflab grade"))?.run ?? "";
    // The step's command without the sudo wrapper: the tests run as root, with this machine's BPFLAB_CACHE.
    const command = grading.slice(grading.indexOf("npx bpflab grade"));
    const started = Date.now();
    const graded = await execa("sh", ["-c", command], { cwd: clone, env: cleanEnvironment(), extendEnv: false, reject: false, all: true });
    expect(graded.exitCode, graded.all).toBe(0);
    process.stderr.write(`fresh clone: the workflow's grading step (every exercise) in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

    const results = await readResultsFile(join(clone, ".bpflab/classroom"));
    const submission = results.submissions[0]!;
    const checkSteps = steps.filter((step) => step.uses === "classroom-resources/autograding-command-grader@v1");
    const outcomes: Array<{ id: string; passed: boolean; maxScore: number; output: string }> = [];
    for (let next = 0; next < checkSteps.length; next += 4) {
      const batch = checkSteps.slice(next, next + 4).map(async (step) => {
        const run = await execa("sh", ["-c", String(step.with?.command)], { cwd: clone, env: commandGraderEnvironment(), extendEnv: false, reject: false, all: true });
        return { id: step.id ?? "", passed: run.exitCode === 0, maxScore: Number(step.with?.["max-score"]), output: stripColor(run.all ?? "") };
      });
      outcomes.push(...(await Promise.all(batch)));
    }

    for (const exercise of submission.exercises) {
      for (const check of exercise.checks) {
        const outcome = outcomes.find((candidate) => candidate.id === `${exercise.id}-${check.id}`);
        expect(outcome?.passed, `${exercise.id} ${check.id}: ${outcome?.output}`).toBe(check.ok);
        expect(outcome?.maxScore).toBe(check.max);
        if (!check.ok) expect(outcome?.output).toContain(check.message.split("\n")[0]);
      }
    }
    // The reporter adds up each runner's score: max-score for a passed step, 0 otherwise.
    const classroomPoints = outcomes.reduce((sum, outcome) => sum + (outcome.passed ? outcome.maxScore : 0), 0);
    expect(classroomPoints).toBe(submission.score);
    expect(outcomes.filter((outcome) => outcome.id.startsWith("vfs-unlink-")).every((outcome) => outcome.passed)).toBe(true);
    expect(classroomPoints).toBeLessThan(submission.max);
  }, 900_000);
});
