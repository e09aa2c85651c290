// `npm run bench [-- --lab <name>]`: what a student waits for in a lab (the chosen one:
// --lab, else BPFLAB_LAB, else package.json's), measured. Not a test: it prints figures.
//   BENCH_COLD=1 also times a cold image build in a scratch cache (about a minute).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadExercise, exerciseIds } from "../graders/kit/catalog.ts";
import { gradeExercise } from "../graders/kit/grade/grade-exercise.ts";
import { LabProvider } from "../graders/kit/machine/lab-provider.ts";
import { untrustedSubmissions } from "../graders/kit/machine/isolation.ts";
import { vmBackend } from "../graders/kit/machine/vm/vm-backend.ts";
import { silentProgress } from "../graders/kit/ui/progress.ts";
import { listProbes } from "../graders/kit/run/probe-listing.ts";
import { defaultLimits, runScript } from "../graders/kit/run/script-run.ts";
import { ensureLabImage } from "../vm/image.ts";
import { chooseAccelerator } from "../vm/accel.ts";
import { chosenLab } from "../vm/labs.ts";

const solutions = fileURLToPath(new URL("../solutions", import.meta.url));
const labFlag = process.argv.indexOf("--lab");
const lab = chosenLab(labFlag >= 0 ? process.argv[labFlag + 1] : undefined);

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

function summary(seconds: number[]): string {
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
  return `min ${sorted[0]?.toFixed(2)} s, median ${median.toFixed(2)} s (n=${sorted.length})`;
}

function row(what: string, figure: string): void {
  process.stdout.write(`${what.padEnd(44)} ${figure}\n`);
}

row("lab", `${lab.name}: ${lab.title}`);

if (process.env.BENCH_COLD) {
  const scratch = await mkdtemp(join(tmpdir(), "bpflab-bench-cache-"));
  const previous = process.env.BPFLAB_CACHE;
  process.env.BPFLAB_CACHE = scratch;
  const [, cold] = await timed(() => ensureLabImage(silentProgress, lab));
  row("image build, cold", `${cold.toFixed(1)} s`);
  if (previous === undefined) delete process.env.BPFLAB_CACHE;
  else process.env.BPFLAB_CACHE = previous;
  await rm(scratch, { recursive: true, force: true });
}

const [image, cached] = await timed(() => ensureLabImage(silentProgress, lab));
row("image lookup, cached", `${(cached * 1000).toFixed(0)} ms`);
const { accelerator } = await chooseAccelerator(image, silentProgress);
row("accelerator", accelerator.toUpperCase());

for (const [what, snapshots] of [
  ["boot to ready (qemu start to agent hello)", false],
  ["resume a saved machine to ready", true],
] as const) {
  await (await vmBackend({ snapshots, lab }).boot(silentProgress)).close(); // saves the machine on first use
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const [machine, seconds] = await timed(() => vmBackend({ snapshots, lab }).boot(silentProgress));
    starts.push(seconds);
    await machine.close();
  }
  row(what, summary(starts));
}

{
  // The two bpftrace start-ups inside every graded task: listing the script's probes, and
  // compiling and attaching it (LLVM under TCG dominates both).
  const machine = await vmBackend({ lab }).boot(silentProgress);
  const script = "/run/bpflab/bench/vfs-unlink.bt";
  await machine.writeFile(script, await readFile(join(solutions, "vfs-unlink/vfs-unlink.bt"), "utf8"));
  const listings: number[] = [];
  const attaches: number[] = [];
  for (let i = 0; i < 3; i++) {
    listings.push((await timed(() => listProbes(machine, script)))[1]);
    const run = await runScript(machine, { scriptPath: script, args: [], json: false }, [], { ...defaultLimits, settleMs: 0 });
    attaches.push((run.attachMs ?? NaN) / 1000);
  }
  row("bpftrace -l script (probe listing)", summary(listings));
  row("kfunc script start to probes attached", summary(attaches));
  await machine.close();
}

const vfsUnlink = await loadExercise("vfs-unlink");
{
  const provider = new LabProvider([vmBackend({ lab })], silentProgress, untrustedSubmissions);
  const [result, seconds] = await timed(() => gradeExercise(vfsUnlink, solutions, provider, { seed: 1 }));
  row("grade vfs-unlink once, start included", `${seconds.toFixed(2)} s (${result.score}/${result.max})`);
  const again: number[] = [];
  for (let i = 0; i < 5; i++) {
    const [, each] = await timed(() => gradeExercise(vfsUnlink, solutions, provider, { seed: i + 2 }));
    again.push(each);
  }
  row("grade vfs-unlink, 5 times in one machine", summary(again));

  const perExercise: string[] = [];
  for (const id of exerciseIds()) {
    const [graded, each] = await timed(async () => gradeExercise(await loadExercise(id), solutions, provider, { seed: 7 }));
    perExercise.push(`${id} ${each.toFixed(1)} s (${graded.score}/${graded.max})`);
  }
  row("every exercise, one machine", perExercise.join("; "));
  await provider.close();
}

// BENCH_CLASS=1: a class of 20 generated submissions (even: the solutions; odd: a wrong one per
// exercise from fixtures/submissions) graded end to end by the class grader, one lab machine per
// core. BENCH_CLASS_EXERCISES=a,b limits the exercises (all of them take several minutes under TCG).
if (process.env.BENCH_CLASS) {
  const { availableParallelism } = await import("node:os");
  const { cp, readdir } = await import("node:fs/promises");
  const { gradeSubmissions, findSubmissions } = await import("../graders/kit/grade/grade-submissions.ts");
  const wrongRoot = fileURLToPath(new URL("../fixtures/submissions", import.meta.url));
  const ids = process.env.BENCH_CLASS_EXERCISES?.split(",") ?? exerciseIds();
  const classRoot = await mkdtemp(join(tmpdir(), "bpflab-bench-class-"));
  for (let student = 0; student < 20; student++) {
    const folder = join(classRoot, `student-${String(student).padStart(2, "0")}`);
    for (const id of ids) {
      const cases = (await readdir(join(wrongRoot, id))).sort();
      const source = student % 2 === 0 ? join(solutions, id) : join(wrongRoot, id, cases[student % cases.length]!, id);
      await cp(source, join(folder, id), { recursive: true });
    }
  }
  const jobs = availableParallelism();
  const [results, seconds] = await timed(async () =>
    gradeSubmissions(await findSubmissions(classRoot), {
      exercises: ids,
      seed: 11,
      transcriptDir: join(classRoot, ".runs"),
      jobs,
      newProvider: () => new LabProvider([vmBackend({ lab })], silentProgress, untrustedSubmissions),
      exerciseTimeoutMs: 600_000,
    }),
  );
  const full = results.filter((result) => result.score === result.max).length;
  const notGradable = results.filter((result) => result.exercises.some((exercise) => !exercise.gradable)).length;
  row(`class of 20 (${ids.join(", ")}), ${jobs} workers`, `${seconds.toFixed(1)} s total, ${(seconds / 20).toFixed(2)} s per submission (${full} full marks, ${notGradable} not gradable)`);
  await rm(classRoot, { recursive: true, force: true });
}
