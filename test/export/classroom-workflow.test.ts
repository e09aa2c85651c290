// The students' repository as GitHub Classroom runs it: its workflow read back as YAML and held
// to what Classroom's actions expect (autograding-command-grader: test-name, command, timeout in
// minutes, max-score, a `result` output; autograding-grading-reporter: `runners` and one
// <RUNNER>_RESULTS variable per runner), one grading run for the whole repository, a step per
// visible check worth its points, no hidden check; and its README, written for students.
// test/export/fresh-clone.vm.test.ts runs the steps' commands on a real grade.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { exerciseIdsIn, loadExerciseFrom } from "../../graders/kit/catalog.ts";
import type { Exercise } from "../../graders/kit/exercise.ts";
import { classroomWorkflowPath } from "../../graders/kit/export/classroom-workflow.ts";
import { exportStudentRepository } from "../../graders/kit/export/student-repository.ts";
import { hiddenCheckId, hiddenCheckName, labCopyWithHiddenCheck, repo } from "./lab-copy.ts";

const stepSchema = z.object({
  name: z.string().optional(),
  id: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  with: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const workflowSchema = z.object({
  name: z.string(),
  on: z.array(z.string()),
  permissions: z.record(z.string(), z.string()),
  jobs: z.record(z.string(), z.object({ "runs-on": z.string(), if: z.string(), "timeout-minutes": z.number(), steps: z.array(stepSchema) })),
});

let student: string;
let exercises: Exercise[];
let steps: z.infer<typeof stepSchema>[];
let workflow: z.infer<typeof workflowSchema>;

beforeAll(async () => {
  const instructor = await labCopyWithHiddenCheck();
  student = join(await mkdtemp(join(tmpdir(), "bpflab-classroom-")), "student");
  await exportStudentRepository(instructor, student);
  exercises = await Promise.all(exerciseIdsIn(join(instructor, "graders")).map((id) => loadExerciseFrom(join(instructor, "graders"), id)));
  workflow = workflowSchema.parse(parse(await readFile(join(student, classroomWorkflowPath), "utf8")));
  const job = workflow.jobs["run-autograding-tests"];
  if (!job) throw new Error("no run-autograding-tests job");
  steps = job.steps;
});

const visibleChecks = () => exercises.flatMap((exercise) => exercise.tasks.flatMap((task) => task.checks.filter((check) => !check.hidden).map((check) => ({ exercise: exercise.id, ...check }))));

describe("the students' Classroom workflow", () => {
  test("runs on push as Classroom's own workflow does", () => {
    expect(workflow.name).toBe("Autograding Tests");
    expect(workflow.on).toContain("push");
    expect(workflow.permissions).toMatchObject({ checks: "write", actions: "read", contents: "read" });
    expect(workflow.jobs["run-autograding-tests"]?.if).toBe("github.actor != 'github-classroom[bot]'");
  });

  test("grades once, in the lab VM, with KVM enabled by GitHub's udev rule and Debian's keyring for the image build", () => {
    const grading = steps.filter((step) => step.run?.includes("bpflab grade"));
    expect(grading).toHaveLength(1);
    expect(grading[0]?.run).toContain("BPFLAB_DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg");
    expect(grading[0]?.run).toMatch(/npx bpflab grade exercises --out \.bpflab\/classroom$/);
    const system = steps.find((step) => step.run?.includes("apt-get install"))?.run ?? "";
    expect(system).toContain("debian-archive-keyring");
    expect(system).toContain(`echo 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"' | sudo tee /etc/udev/rules.d/99-kvm4all.rules`);
    expect(system).toContain("sudo udevadm control --reload-rules");
    expect(system).toContain("sudo udevadm trigger --name-match=kvm");
  });

  test("has one command-grader step per visible check, worth its points, reading that one run", () => {
    const graders = steps.filter((step) => step.uses === "classroom-resources/autograding-command-grader@v1");
    const checks = visibleChecks();
    expect(graders.map((step) => step.id)).toEqual(checks.map((check) => `${check.exercise}-${check.id}`));
    for (const [index, step] of graders.entries()) {
      const check = checks[index]!;
      expect(step.with).toEqual({
        "test-name": `${check.exercise}: ${check.name}`,
        command: `npx tsx graders/kit/cli/classroom-check.ts .bpflab/classroom ${check.exercise} ${check.id}`,
        timeout: 2,
        "max-score": check.points,
      });
    }
    const total = graders.reduce((sum, step) => sum + Number(step.with?.["max-score"]), 0);
    expect(total).toBe(checks.reduce((sum, check) => sum + check.points, 0));
  });

  test("hands every step's result to Classroom's reporter", () => {
    const reporter = steps.at(-1);
    expect(reporter?.uses).toBe("classroom-resources/autograding-grading-reporter@v1");
    const ids = steps.filter((step) => step.uses?.includes("command-grader")).map((step) => step.id);
    expect(String(reporter?.with?.runners).split(",")).toEqual(ids);
    expect(reporter?.env).toEqual(Object.fromEntries(ids.map((id) => [`${id!.toUpperCase()}_RESULTS`, `\${{ steps.${id}.outputs.result }}`])));
  });

  test("names no hidden check", async () => {
    const text = await readFile(join(student, classroomWorkflowPath), "utf8");
    expect(exercises.some((exercise) => exercise.tasks.some((task) => task.checks.some((check) => check.hidden)))).toBe(true);
    expect(text).not.toContain(hiddenCheckId);
    expect(text).not.toContain(hiddenCheckName);
  });
});

describe("the students' README", () => {
  test("lists every exercise with its visible points, and says how to grade, try, open a shell and find transcripts", async () => {
    const readme = await readFile(join(student, "README.md"), "utf8");
    for (const exercise of exercises) {
      const points = exercise.tasks.flatMap((task) => task.checks).filter((check) => !check.hidden).reduce((sum, check) => sum + check.points, 0);
      expect(readme).toContain(`| \`${exercise.id}\` | ${exercise.title} | ${points} |`);
    }
    for (const text of ["npm ci", "npm test exercises/vfs-unlink", "npx bpflab run", "npx bpflab shell", ".bpflab/runs/", "- `unlinker`: "]) expect(readme).toContain(text);
  });

  test("holds nothing for instructors", async () => {
    const readme = await readFile(join(student, "README.md"), "utf8");
    for (const text of ["selftest", "soak", "npx bpflab grade", "export-student", "--trust-submissions", "instructor's", "hidden check", "For instructors", "{{"]) expect(readme).not.toContain(text);
  });
});

describe("examples/github-actions/grade-class.yml", () => {
  test("installs Debian's archive keyring and passes it to the image build, and enables KVM with GitHub's udev rule", async () => {
    const example = parse(await readFile(join(repo, "examples/github-actions/grade-class.yml"), "utf8")) as unknown;
    const grade = z.object({ jobs: z.object({ grade: z.object({ steps: z.array(stepSchema) }) }) }).parse(example).jobs.grade.steps;
    const system = grade.find((step) => step.run?.includes("apt-get install"))?.run ?? "";
    expect(system).toMatch(/apt-get install .*debian-archive-keyring/);
    expect(system).toContain(`echo 'KERNEL=="kvm", GROUP="kvm", MODE="0666", OPTIONS+="static_node=kvm"' | sudo tee /etc/udev/rules.d/99-kvm4all.rules`);
    expect(system).toContain("sudo udevadm control --reload-rules");
    expect(system).toContain("sudo udevadm trigger --name-match=kvm");
    const grading = grade.find((step) => step.run?.includes("bpflab grade"))?.run ?? "";
    expect(grading).toContain("BPFLAB_DEBIAN_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg");
  });
});
