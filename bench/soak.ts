// `npm run soak`: grades every reference solution SOAK_RUNS times (default 20) in one lab
// machine, each run with a new seed, and reports any check whose verdict changes. Target: 0.
import { fileURLToPath } from "node:url";
import { exerciseIds, loadExercise } from "../graders/kit/catalog.ts";
import { gradeExercise } from "../graders/kit/grade/grade-exercise.ts";
import { newSeed } from "../graders/kit/run/random.ts";
import { sharedLabProvider } from "../graders/kit/session.ts";
import { plainProgress } from "../graders/kit/ui/progress.ts";

const runs = Number(process.env.SOAK_RUNS ?? 20);
const solutions = fileURLToPath(new URL("../solutions", import.meta.url));
const provider = sharedLabProvider("auto", plainProgress());
let unstable = 0;

for (const id of process.argv.slice(2).length > 0 ? process.argv.slice(2) : exerciseIds()) {
  const exercise = await loadExercise(id);
  const failures = new Map<string, number[]>();
  for (let run = 0; run < runs; run++) {
    const seed = newSeed();
    const result = await gradeExercise(exercise, solutions, provider, { seed });
    if (!result.gradable) {
      failures.set(`not gradable: ${result.reason}`, [...(failures.get("not gradable") ?? []), seed]);
      continue;
    }
    for (const check of result.checks.filter((checked) => !checked.ok)) {
      const key = `${check.task}: ${check.name}`;
      failures.set(key, [...(failures.get(key) ?? []), seed]);
    }
  }
  if (failures.size === 0) process.stdout.write(`${id}: ${runs} runs, every verdict stable\n`);
  for (const [check, seeds] of failures) {
    unstable++;
    process.stdout.write(`${id}: "${check}" failed in ${seeds.length}/${runs} runs (seeds ${seeds.join(", ")})\n`);
  }
}
await provider.close();
process.stdout.write(`${unstable} unstable verdicts\n`);
process.exitCode = unstable === 0 ? 0 : 1;
