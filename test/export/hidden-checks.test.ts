// Hidden checks live in graders/<id>.hidden.ts: the catalog merges them, marked hidden, after
// the grader's own checks; an inline hidden check, or one for a task that does not exist, is refused.
import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { exerciseIdsIn, loadExerciseFrom } from "../../graders/kit/catalog.ts";
import { parseOutput } from "../../graders/kit/evidence/output.ts";
import { seededRandom } from "../../graders/kit/run/random.ts";
import { scriptSource } from "../../graders/kit/evidence/script-source.ts";
import { hiddenCheckId, hiddenCheckName, hiddenCheckSource, repo } from "./lab-copy.ts";

const kit = (file: string) => pathToFileURL(join(repo, "graders", "kit", file)).href;

async function gradersWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-graders-"));
  await writeFile(join(dir, "vfs-unlink.ts"), `export { default } from ${JSON.stringify(pathToFileURL(join(repo, "graders", "vfs-unlink.ts")).href)};\n`);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text.replace(/"\.\/kit\/([^"]+)"/g, (_, file: string) => JSON.stringify(kit(file))));
  return dir;
}

describe("hidden checks", () => {
  test("are merged into their task, hidden, after the grader's own checks, and judge the run", async () => {
    const dir = await gradersWith({ "vfs-unlink.hidden.ts": hiddenCheckSource });
    expect(exerciseIdsIn(dir)).toEqual(["vfs-unlink"]);
    const exercise = await loadExerciseFrom(dir, "vfs-unlink");
    const checks = exercise.tasks[0]!.checks;
    expect(checks.at(-1)).toEqual({ id: hiddenCheckId, name: hiddenCheckName, points: 1, hidden: true });
    expect(checks.slice(0, -1).every((check) => !check.hidden)).toBe(true);

    const prepared = exercise.tasks[0]!.prepare(seededRandom(3));
    const names = (prepared.plan as { unlinks: Array<{ name: string }> }).unlinks.map((unlink) => unlink.name);
    const records = { byLabel: { unlinker: [] } };
    const once = prepared.verify({ records, output: parseOutput(names.map((name) => `rm x ${name}\n`).join(""), "text"), probes: [], script: scriptSource("") });
    const twice = prepared.verify({ records, output: parseOutput(names.map((name) => `rm x ${name}\nrm x ${name}\n`).join(""), "text"), probes: [], script: scriptSource("") });
    expect([...once.keys()]).toEqual(checks.map((check) => check.id));
    expect(once.get(hiddenCheckId)).toEqual({ ok: true });
    expect(twice.get(hiddenCheckId)).toMatchObject({ ok: false });
  });

  test("a hidden check that reads a workload its task does not run is refused", async () => {
    const dir = await gradersWith({ "vfs-unlink.hidden.ts": hiddenCheckSource.replace("workloads: { unlinker }", "workloads: { writer: unlinker }") });
    await expect(loadExerciseFrom(dir, "vfs-unlink")).rejects.toThrow('reads the unlinker workload as "writer"');
  });

  test("a hidden check whose id a check of the grader has is refused", async () => {
    const dir = await gradersWith({ "vfs-unlink.hidden.ts": hiddenCheckSource.replace(`id: "${hiddenCheckId}"`, 'id: "parent"') });
    await expect(loadExerciseFrom(dir, "vfs-unlink")).rejects.toThrow('two checks with the id "parent"');
  });

  test("a hidden check for a task the exercise does not have is refused", async () => {
    const dir = await gradersWith({ "vfs-unlink.hidden.ts": hiddenCheckSource.replace('task: "vfs-unlink.bt"', 'task: "nope.bt"') });
    await expect(loadExerciseFrom(dir, "vfs-unlink")).rejects.toThrow('adds checks to task "nope.bt"');
  });

  test("a hidden check declared inline in a grader is refused: it would ship to students", async () => {
    const dir = await gradersWith({});
    await writeFile(
      join(dir, "inline.ts"),
      `import { exercise, pass, task } from ${JSON.stringify(kit("exercise.ts"))};
export default exercise({ id: "inline", title: "t", requires: [], tasks: [task({ name: "a.bt", script: "a.bt", output: "text", plan: () => ({}), workloads: {}, launch: () => ({}),
  checks: [{ id: "secret", name: "a secret check", points: 1, hidden: true, verify: () => pass }] })] });
`,
    );
    expect((await readdir(dir)).sort()).toEqual(["inline.ts", "vfs-unlink.ts"]);
    await expect(loadExerciseFrom(dir, "inline")).rejects.toThrow("move it to graders/inline.hidden.ts");
  });

  test("the real graders declare no hidden check inline", async () => {
    const { exerciseIds, loadExercise } = await import("../../graders/kit/catalog.ts");
    for (const id of exerciseIds()) await expect(loadExercise(id)).resolves.toBeDefined();
  });
});
