// The packages `bpflab package` writes, built and run the way each platform runs them, in local
// containers that reproduce the platform's layout and limits:
// - Gradescope: autograder.zip unpacked into /autograder/source, setup.sh run as root in the image
//   build (network on), run_autograder copied to /autograder/run_autograder and run from
//   /autograder with the upload in /autograder/submission; results in /autograder/results.
// - PrairieLearn: the grader image built from its Dockerfile; the entrypoint run with /grade/student
//   and /grade/data/data.json, and no /grade/results until it makes one.
// Grading containers are not privileged, have no /dev/kvm (so the VM runs under TCG), no network
// (--network none), and the CPU and memory limits the package was made for. A reference, a wrong
// and an empty submission must give results in each platform's documented fields.
//
// The base image is Debian bookworm with Node 20 (test/support/platform-base.ts). Both ways of
// getting the lab image into a platform's image are run: Gradescope's setup.sh builds it for real
// (mmdebstrap, in the unprivileged image build, about a minute), and the PrairieLearn package is
// made with --lab-image, which copies this machine's built image into the build context.
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dockerMissing } from "../backends/docker-available.ts";
import { ensurePlatformBase } from "../support/platform-base.ts";
import { gradescopeResultsSchema, prairieLearnQuestionInfoSchema, prairieLearnResultsMaxBytes, prairieLearnResultsSchema } from "./platform-formats.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const reference = join(repo, "solutions/vfs-unlink/vfs-unlink.bt");
/** Fails only "parent" (test/proofs/wrong-answers.ts). */
const wrong = join(repo, "fixtures/submissions/vfs-unlink/grandparent/vfs-unlink/vfs-unlink.bt");

const figures: string[] = [];
const log = (line: string) => process.stderr.write(`platforms: ${line}\n`);

/** Runs the bpflab command line of this checkout. */
function bpflab(args: string[]) {
  return execa(process.execPath, [join(repo, "bin/bpflab.js"), ...args], { cwd: repo, all: true });
}

async function dockerBuild(tag: string, context: string, extra: string[] = []): Promise<number> {
  const started = Date.now();
  const build = await execa("docker", ["build", "--network", "host", "--label", "bpflab-test=platforms", "-t", tag, ...extra, context], { all: true, reject: false });
  if (build.exitCode !== 0) throw new Error(`docker build of ${tag} failed:\n${(build.all ?? "").slice(-6000)}`);
  // Each rebuild under the same tag leaves the previous image behind, untagged.
  await execa("docker", ["image", "prune", "--force", "--filter", "label=bpflab-test=platforms"], { reject: false });
  return (Date.now() - started) / 1000;
}

interface ContainerRun {
  output: string;
  seconds: number;
  /** The grading container's peak memory (its cgroup's, page cache included), in MB. */
  peakMb: number;
}

/** Runs `command` in a grading container like the platform's: no network, no privileges, no KVM, limited. */
async function gradeInContainer(image: string, limits: { cpus: number; memoryMb: number }, mounts: string[], workdir: string, command: string): Promise<ContainerRun> {
  const started = Date.now();
  const peak = "cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.peak";
  const run = await execa(
    "docker",
    [
      "run", "--rm", "--network", "none", "--cpus", String(limits.cpus), "--memory", `${limits.memoryMb}m`, "--memory-swap", `${limits.memoryMb}m`,
      ...mounts.flatMap((mount) => ["-v", mount]), "-w", workdir, image,
      "bash", "-c", `test ! -e /dev/kvm || { echo "/dev/kvm is in the container"; exit 3; }; ${command}; status=$?; echo "peak $(${peak})"; exit $status`,
    ],
    { all: true, reject: false },
  );
  const seconds = (Date.now() - started) / 1000;
  expect(run.exitCode, run.all).toBe(0);
  const peakBytes = Number(/^peak (\d+)$/m.exec(run.stdout)?.[1]);
  return { output: run.all ?? "", seconds, peakMb: Math.round(peakBytes / (1024 * 1024)) };
}

async function uploadFolder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-platform-upload-"));
  for (const [path, from] of Object.entries(files)) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await cp(from, join(dir, path));
  }
  return dir;
}

describe.skipIf(dockerMissing)("grading platforms, in containers like theirs", () => {
  let base: string;
  beforeAll(async () => {
    base = await ensurePlatformBase(log);
  }, 900_000);

  afterAll(() => {
    if (figures.length > 0) log(`figures:\n  ${figures.join("\n  ")}`);
  });

  describe("Gradescope", () => {
    const image = "bpflab-test-gradescope:latest";
    // The setting the README recommends ("1.0 CPU, 1.5 GB"), bpflab package's default.
    const settings = { cpus: 1, memoryMb: 1536 };

    beforeAll(async () => {
      const out = await mkdtemp(join(tmpdir(), "bpflab-gradescope-package-"));
      const packaged = await bpflab(["package", "gradescope", "--out", out, "--exercise", "vfs-unlink"]);
      expect(packaged.exitCode, packaged.all).toBe(0);
      const context = join(out, "context");
      await mkdir(context);
      await execa("unzip", ["-q", join(out, "autograder.zip"), "-d", join(context, "source")]);
      await writeFile(
        join(context, "Dockerfile"),
        `FROM ${base}
COPY source/ /autograder/source/
RUN cp /autograder/source/run_autograder /autograder/run_autograder && cd /autograder/source && bash ./setup.sh
`,
      );
      const seconds = await dockerBuild(image, context);
      figures.push(`Gradescope image build (setup.sh: apt, npm ci, the lab image's build, the saved machine): ${seconds.toFixed(0)} s`);
    }, 900_000);

    async function runAutograder(upload: string, limits = settings) {
      const results = await mkdtemp(join(tmpdir(), "bpflab-gradescope-results-"));
      const run = await gradeInContainer(image, limits, [`${upload}:/autograder/submission:ro`, `${results}:/autograder/results`], "/autograder", "/autograder/run_autograder");
      const parsed = gradescopeResultsSchema.parse(JSON.parse(await readFile(join(results, "results.json"), "utf8")));
      return { run, results: parsed };
    }

    test("a reference submission, pushed as a repository, gets every point", async () => {
      const { run, results } = await runAutograder(await uploadFolder({ "exercises/vfs-unlink/vfs-unlink.bt": reference, "README.md": join(repo, "exercises/vfs-unlink/README.md") }));
      figures.push(`Gradescope, reference: ${results.score} points in ${run.seconds.toFixed(1)} s, peak ${run.peakMb} MB (limits ${settings.cpus} CPUs, ${settings.memoryMb} MB)`);
      expect(run.output).toMatch(/lab machine resumed in [\d.]+ s \(TCG\)/);
      const tests = results.tests ?? [];
      expect(tests.length).toBeGreaterThan(0);
      expect(results.score).toBe(tests.reduce((sum, test) => sum + (test.max_score ?? 0), 0));
      for (const test of tests) expect(test).toMatchObject({ status: "passed", visibility: "visible" });
      expect(results.extra_data).toMatchObject({ gradable: true, ran_on: ["vm: a kernel of its own"] });
    }, 300_000);

    test("a wrong submission, uploaded as a loose file, loses the points of the check it fails, with a message", async () => {
      const { run, results } = await runAutograder(await uploadFolder({ "vfs-unlink.bt": wrong }));
      figures.push(`Gradescope, wrong: ${results.score} points in ${run.seconds.toFixed(1)} s, peak ${run.peakMb} MB`);
      const failed = (results.tests ?? []).filter((test) => test.status === "failed");
      expect(failed.map((test) => test.name)).toEqual([expect.stringMatching(/^vfs-unlink: names the parent directory/)]);
      expect(failed[0]?.score).toBe(0);
      expect(failed[0]?.output).toMatch(/\S/);
      expect(results.score).toBeLessThan((results.tests ?? []).reduce((sum, test) => sum + (test.max_score ?? 0), 0));
    }, 300_000);

    test("an empty submission scores zero and says which files to upload", async () => {
      const { run, results } = await runAutograder(await uploadFolder({}));
      figures.push(`Gradescope, empty: ${results.score} points in ${run.seconds.toFixed(1)} s`);
      expect(results.score).toBe(0);
      expect((results.tests ?? []).every((test) => test.status === "failed" && test.score === 0)).toBe(true);
      expect(results.output).toContain("your upload holds none of the files this assignment grades: upload vfs-unlink.bt");
    }, 300_000);

    test("a container smaller than the package was made for is reported not gradable, saying what to change", async () => {
      const { results } = await runAutograder(await uploadFolder({ "vfs-unlink.bt": reference }), { cpus: 1, memoryMb: 1024 });
      expect(results.extra_data).toMatchObject({ gradable: false, not_gradable: ["vfs-unlink"] });
      expect((results.tests ?? []).every((test) => test.score === undefined)).toBe(true);
      expect(results.output).toContain("BPFLAB_VM_MEMORY_MB=1060 does not fit: this machine or container may use 1024 MB");
    }, 300_000);
  });

  describe("PrairieLearn", () => {
    const image = "bpflab-test-prairielearn:latest";
    const limits = { cpus: 0.9, memoryMb: 2048 };
    let entrypoint: string[];

    beforeAll(async () => {
      const out = await mkdtemp(join(tmpdir(), "bpflab-prairielearn-package-"));
      const packaged = await bpflab(["package", "prairielearn", "--out", out, "--exercise", "vfs-unlink", "--image", image, "--lab-image"]);
      expect(packaged.exitCode, packaged.all).toBe(0);
      const info = prairieLearnQuestionInfoSchema.parse(JSON.parse(await readFile(join(out, "questions/bpflab-vfs-unlink/info.json"), "utf8")));
      expect(info.externalGradingOptions.image).toBe(image);
      const command = info.externalGradingOptions.entrypoint ?? "";
      entrypoint = typeof command === "string" ? command.split(" ") : command;
      const seconds = await dockerBuild(image, join(out, "grader"), ["--build-arg", `BASE=${base}`]);
      figures.push(`PrairieLearn image build (apt, npm ci, the lab image copied in, the saved machine): ${seconds.toFixed(0)} s`);
    }, 900_000);

    /** /grade as PrairieLearn lays it out: the student's files and the question's data; no results folder. */
    async function gradeFolder(files: Record<string, string>): Promise<string> {
      const grade = await mkdtemp(join(tmpdir(), "bpflab-prairielearn-grade-"));
      await mkdir(join(grade, "student"));
      await mkdir(join(grade, "data"));
      const submitted = [];
      for (const [name, from] of Object.entries(files)) {
        await cp(from, join(grade, "student", name));
        submitted.push({ name, contents: (await readFile(from)).toString("base64") });
      }
      await writeFile(join(grade, "data/data.json"), JSON.stringify({ params: {}, correct_answers: {}, submitted_answers: { _files: submitted }, variant_seed: 1 }));
      return grade;
    }

    async function grade(files: Record<string, string>) {
      const folder = await gradeFolder(files);
      const run = await gradeInContainer(image, limits, [`${folder}:/grade`], "/grade", entrypoint.map((word) => `'${word}'`).join(" "));
      const text = await readFile(join(folder, "results/results.json"), "utf8");
      expect(Buffer.byteLength(text)).toBeLessThan(prairieLearnResultsMaxBytes);
      return { run, results: prairieLearnResultsSchema.parse(JSON.parse(text)) };
    }

    test("a reference submission scores 1", async () => {
      const { run, results } = await grade({ "vfs-unlink.bt": reference });
      figures.push(`PrairieLearn, reference: score ${results.score} in ${run.seconds.toFixed(1)} s, peak ${run.peakMb} MB (limits ${limits.cpus} CPUs, ${limits.memoryMb} MB)`);
      expect(results).toMatchObject({ gradable: true, score: 1 });
      for (const test of results.tests ?? []) expect(test.points).toBe(test.max_points);
    }, 300_000);

    test("a wrong submission loses the check it fails, with a message", async () => {
      const { run, results } = await grade({ "vfs-unlink.bt": wrong });
      figures.push(`PrairieLearn, wrong: score ${results.score?.toFixed(3)} in ${run.seconds.toFixed(1)} s, peak ${run.peakMb} MB`);
      expect(results.gradable).toBe(true);
      expect(results.score).toBeGreaterThan(0);
      expect(results.score).toBeLessThan(1);
      const lost = (results.tests ?? []).filter((test) => test.points < test.max_points);
      expect(lost.map((test) => test.name)).toEqual([expect.stringMatching(/^vfs-unlink: names the parent directory/)]);
      expect(lost[0]?.message).toMatch(/\S/);
    }, 300_000);

    test("an empty submission scores 0, gradable, and says which file to upload", async () => {
      const { run, results } = await grade({});
      figures.push(`PrairieLearn, empty: score ${results.score} in ${run.seconds.toFixed(1)} s`);
      expect(results).toMatchObject({ gradable: true, score: 0 });
      expect(results.message).toContain("upload vfs-unlink.bt");
    }, 300_000);
  });
});
