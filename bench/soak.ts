// `npm run soak [-- --lab <lab>] [exercise...]`: grades every reference solution SOAK_RUNS times
// (default 20) in one lab machine, each run with a new seed, and reports any check whose verdict
// changes and how long the gradings took. Target: 0 unstable verdicts.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { exerciseIds, loadExercise } from "../graders/kit/catalog.ts";
import { gradeExercise } from "../graders/kit/grade/grade-exercise.ts";
import { newSeed } from "../graders/kit/run/random.ts";
import { sharedLabProvider } from "../graders/kit/session.ts";
import { plainProgress } from "../graders/kit/ui/progress.ts";
import { chosenLab } from "../vm/labs.ts";

const { values, positionals } = parseArgs({ options: { lab: { type: "string" } }, allowPositionals: true });
const lab = chosenLab(values.lab);
const runs = Number(process.env.SOAK_RUNS ?? 20);
const solutions = fileURLToPath(new URL("../solutions", import.meta.url));
const provider = sharedLabProvider("vm", plainProgress(), lab);
let unstable = 0;
let gradings = 0;
const started = Date.now();

for (const id of positionals.length > 0 ? positionals : exerciseIds()) {
  const exercise = await loadExercise(id);
  const failures = new Map<string, number[]>();
  const exerciseStarted = Date.now();
  for (let run = 0; run < runs; run++) {
    const seed = newSeed();
    const result = await gradeExercise(exercise, solutions, provider, { seed });
    gradings++;
    const failed = result.gradable ? result.checks.filter((checked) => !checked.ok).map((check) => check.id) : [`not gradable: ${result.reason ?? ""}`];
    for (const key of failed) failures.set(key, [...(failures.get(key) ?? []), seed]);
  }
  const seconds = ((Date.now() - exerciseStarted) / 1000 / runs).toFixed(1);
  if (failures.size === 0) process.stdout.write(`${lab.name} ${id}: ${runs} runs, every verdict stable (${seconds} s a grading)\n`);
  for (const [check, seeds] of failures) {
    unstable++;
    process.stdout.write(`${lab.name} ${id}: "${check}" failed in ${seeds.length}/${runs} runs (seeds ${seeds.join(", ")})\n`);
  }
}
await provider.close();
process.stdout.write(`${lab.name}: ${gradings} gradings in ${((Date.now() - started) / 60_000).toFixed(1)} min, ${unstable} unstable verdicts\n`);
process.exitCode = unstable === 0 ? 0 : 1;
