// What `bpflab package` writes, read as the platforms read it: Gradescope's zip with setup.sh and
// run_autograder at its root, PrairieLearn's build context and question in their documented
// fields, bpflab with the instructor's hidden checks and without solutions or the harness's tests.
// The packages are run for real in test/package/platforms.vm.test.ts.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { writeGradescopePackage } from "../../graders/kit/package/gradescope.ts";
import { prairieLearnEntrypoint, writePrairieLearnPackage } from "../../graders/kit/package/prairielearn.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { labCopyWithHiddenCheck } from "../export/lab-copy.ts";
import { prairieLearnQuestionInfoSchema } from "./platform-formats.ts";

let instructor: string;
beforeAll(async () => {
  instructor = await labCopyWithHiddenCheck();
});

const container = { cpus: 2, memoryMb: 3072 };

describe("bpflab package gradescope", () => {
  let zip: string;
  let entries: string[];
  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), "bpflab-gradescope-"));
    zip = await writeGradescopePackage(instructor, out, { exercises: ["vfs-unlink"], container, labImage: false, hiddenVisibility: "after_published", exerciseTimeoutSeconds: 240 }, silentProgress);
    entries = (await execa("unzip", ["-Z1", zip])).stdout.split("\n");
  });

  test("has setup.sh and run_autograder at the zip's root, executable, and valid bash", async () => {
    expect(entries).toContain("setup.sh");
    expect(entries).toContain("run_autograder");
    const modes = (await execa("unzip", ["-Z", zip, "setup.sh", "run_autograder"])).stdout;
    expect(modes.match(/^-rwxr-xr-x/gm)).toHaveLength(2);
    const unpacked = await mkdtemp(join(tmpdir(), "bpflab-gradescope-source-"));
    await execa("unzip", ["-q", zip, "-d", unpacked]);
    for (const script of ["setup.sh", "run_autograder"]) await execa("bash", ["-n", join(unpacked, script)]);
    const run = await readFile(join(unpacked, "run_autograder"), "utf8");
    expect(run).toContain("/autograder/submission");
    expect(run).toContain("/autograder/results/results.json");
  });

  test("carries bpflab with the instructor's hidden checks, and no solutions, proofs or tests", () => {
    expect(entries).toContain("bpflab/graders/vfs-unlink.hidden.ts");
    expect(entries).toContain("bpflab/package-lock.json");
    expect(entries).toContain("bpflab/vm/recipe/build-image.sh");
    expect(entries.filter((entry) => /^bpflab\/(solutions|test|bench|exercises|fixtures\/(?!workloads\/|$))/.test(entry))).toEqual([]);
  });

  test("sizes the VM for the Autograder Settings it was packaged for", async () => {
    const env = (await execa("unzip", ["-p", zip, "bpflab.env"])).stdout;
    expect(env).toContain("export BPFLAB_VM_CPUS=2");
    expect(env).toContain("export BPFLAB_VM_MEMORY_MB=1536");
    expect(env).toContain("export BPFLAB_ACCEL=tcg");
  });

  test("refuses a container too small for the VM, saying how much it needs", async () => {
    const out = await mkdtemp(join(tmpdir(), "bpflab-gradescope-"));
    const small = { exercises: ["vfs-unlink"], container: { cpus: 0.5, memoryMb: 768 }, labImage: false, hiddenVisibility: "hidden" as const, exerciseTimeoutSeconds: 240 };
    await expect(writeGradescopePackage(instructor, out, small, silentProgress)).rejects.toThrow(/0\.5 CPUs and 768 MB cannot hold the lab VM: .* in all/);
  });
});

describe("bpflab package prairielearn", () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), "bpflab-prairielearn-"));
    await writePrairieLearnPackage(instructor, out, { exercise: "vfs-unlink", container: { cpus: 0.9, memoryMb: 2048 }, labImage: false, image: "example/bpflab-grader", exerciseTimeoutSeconds: 240 }, silentProgress);
  });

  test("the example question's info.json has PrairieLearn's documented fields, naming the image and the entrypoint", async () => {
    const info = prairieLearnQuestionInfoSchema.parse(JSON.parse(await readFile(join(out, "questions/bpflab-vfs-unlink/info.json"), "utf8")));
    expect(info.externalGradingOptions).toMatchObject({ enabled: true, image: "example/bpflab-grader", entrypoint: `${prairieLearnEntrypoint} vfs-unlink` });
    expect(info.externalGradingOptions.enableNetworking).toBeUndefined();
  });

  test("the question asks for the exercise's files and shows the grader's results", async () => {
    const html = await readFile(join(out, "questions/bpflab-vfs-unlink/question.html"), "utf8");
    expect(html).toContain('<pl-file-upload file-names="vfs-unlink.bt"></pl-file-upload>');
    expect(html).toContain("<pl-external-grader-results></pl-external-grader-results>");
  });

  test("the build context bakes in bpflab and the saved machine, and its entrypoint writes /grade/results", async () => {
    const dockerfile = await readFile(join(out, "grader/Dockerfile"), "utf8");
    expect(dockerfile).toContain("RUN node bin/bpflab.js autograder prepare");
    expect(dockerfile).toMatch(/BPFLAB_VM_CPUS=1 .*\n.*BPFLAB_VM_MEMORY_MB=1536/s);
    expect(existsSync(join(out, "grader/bpflab/graders/vfs-unlink.hidden.ts"))).toBe(true);
    expect(existsSync(join(out, "grader/bpflab/solutions"))).toBe(false);
    const entrypoint = join(out, "grader/grade");
    expect((await stat(entrypoint)).mode & 0o111).toBe(0o111);
    await execa("bash", ["-n", entrypoint]);
    expect(await readFile(entrypoint, "utf8")).toContain("--results /grade/results/results.json");
  });
});
