// `bpflab export-student`: what students get holds no solutions, wrong submissions, proofs or
// hidden checks, and still grades an exercise with `npm test exercises/<id>` (in the lab VM).
import { cp, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { exportStudentRepository } from "../../graders/kit/export/student-repository.ts";
import { cleanEnvironment } from "../support/clean-environment.ts";
import { hiddenCheckName, labCopyWithHiddenCheck, repo } from "./lab-copy.ts";

describe("export-student", () => {
  let instructor: string;
  let student: string;
  let files: string[];

  beforeAll(async () => {
    instructor = await labCopyWithHiddenCheck();
    student = join(await mkdtemp(join(tmpdir(), "bpflab-export-")), "student repo");
    files = await exportStudentRepository(instructor, student);
  });

  test("leaves out solutions, wrong submissions, the harness's tests and bench, and every hidden check", async () => {
    expect(files).toContain("exercises/vfs-unlink/vfs-unlink.bt");
    expect(files).toContain("graders/vfs-unlink.ts");
    expect(files).toContain("fixtures/workloads/unlinker.c");
    expect(files).toContain("graders/kit/workloads/unlinker.ts");
    expect(existsSync(join(instructor, "graders/vfs-unlink.hidden.ts"))).toBe(true);
    for (const file of files) expect(file).not.toMatch(/^(solutions|test|bench|\.ci|fixtures\/(?!workloads\/))|\.hidden\.ts$|node_modules|\.bpflab/);
    const real = await exportStudentRepository(repo, join(await mkdtemp(join(tmpdir(), "bpflab-export-")), "s"));
    for (const file of real) expect(file).not.toMatch(/^(solutions|test|bench|\.ci|fixtures\/(?!workloads\/))|\.hidden\.ts$/);
    const manifest = JSON.parse(await readFile(join(student, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(Object.keys(manifest.scripts).sort()).toEqual(["test", "typecheck"]);
  });

  test("refuses to write into a folder that is not empty", async () => {
    await expect(exportStudentRepository(repo, instructor)).rejects.toThrow("is not empty");
  });

  test("the export grades an exercise with npm test exercises/<id>, without the hidden check", async () => {
    await symlink(join(repo, "node_modules"), join(student, "node_modules"));
    await rm(join(student, "exercises/vfs-unlink/vfs-unlink.bt"));
    await cp(join(repo, "solutions/vfs-unlink/vfs-unlink.bt"), join(student, "exercises/vfs-unlink/vfs-unlink.bt"));
    const run = await execa("npx", ["vitest", "run", "--config", "vitest.exercises.config.ts", "exercises/vfs-unlink"], {
      cwd: student,
      env: { ...cleanEnvironment(), BPFLAB_BACKEND: "vm", CI: "1", NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.all?.replace(/\u001b\[[0-9;]*m/g, "")).toMatch(/Tests\s+5 passed \(5\)/);
    const report = JSON.parse(await readFile(join(student, ".bpflab/reports/vfs-unlink.json"), "utf8")) as { score: number; max: number; checks: Array<{ name: string }> };
    expect(report.score).toBe(report.max);
    expect(report.checks.map((check) => check.name)).not.toContain(hiddenCheckName);
    expect(run.all).toContain("report: .bpflab/reports/vfs-unlink.html");
    const page = await readFile(join(student, ".bpflab/reports/vfs-unlink.html"), "utf8");
    expect(page).toContain(`<strong>${report.score}/${report.max} points</strong>`);
    expect(page).not.toContain(hiddenCheckName);
  }, 600_000);
});
