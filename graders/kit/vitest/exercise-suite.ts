// What `npm test exercises/<id>` runs: the exercise is graded once, and each of its checks
// becomes a vitest test, so a student sees check by check what is right and what is wrong.
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, test } from "vitest";
import { loadExercise } from "../catalog.ts";
import { gradeExercise } from "../grade/grade-exercise.ts";
import type { CheckResult, ExerciseResult } from "../grade/results.ts";
import { transcriptsIn } from "../grade/transcript.ts";
import { newSeed } from "../run/random.ts";
import { sharedLabProvider, type BackendChoice } from "../session.ts";
import { toStudentHtml } from "../report/html.ts";
import { describeMachine, studentMessage } from "../report/student-message.ts";

/** An error whose text is the whole story: no stack, which would only point into the kit. */
class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckFailed";
    this.stack = `${this.name}: ${message}`;
  }
}

function seedFromEnvironment(): number {
  const seed = Number(process.env.BPFLAB_SEED);
  return Number.isInteger(seed) && seed >= 0 ? seed : newSeed();
}

function label(check: { name: string; points: number }): string {
  return `${check.name} (${check.points} ${check.points === 1 ? "point" : "points"})`;
}

/**
 * Declares the vitest suite of the exercise whose folder holds `testFileUrl`. The folder's
 * parent is the submission: exercises/ for a student, solutions/ in the harness's own tests.
 */
export async function gradeThisExercise(testFileUrl: string): Promise<void> {
  const exerciseDir = dirname(fileURLToPath(testFileUrl));
  const submissionRoot = dirname(exerciseDir);
  const projectRoot = dirname(submissionRoot);
  const exercise = await loadExercise(basename(exerciseDir));
  const outDir = join(projectRoot, ".bpflab");
  let result: ExerciseResult | undefined;

  describe(`${exercise.id}: ${exercise.title}`, () => {
    beforeAll(async () => {
      const provider = sharedLabProvider((process.env.BPFLAB_BACKEND as BackendChoice | undefined) ?? "auto");
      result = await gradeExercise(exercise, submissionRoot, provider, {
        seed: seedFromEnvironment(),
        transcripts: transcriptsIn(join(outDir, "runs")),
      });
      const reportDir = join(outDir, "reports");
      await mkdir(reportDir, { recursive: true });
      await writeFile(join(reportDir, `${exercise.id}.json`), `${JSON.stringify(result, null, 2)}\n`);
      const page = join(reportDir, `${exercise.id}.html`);
      await writeFile(page, toStudentHtml(result, { reportDir }));
      const shown = result.gradable ? `${result.score}/${result.max} points` : `not gradable: ${result.reason}`;
      const notes = result.notes.map((note) => `  note: ${note}\n`).join("");
      const where = result.machine ? `${describeMachine(result.machine)}; ` : "";
      process.stdout.write(`\n${exercise.id}: ${shown} (${where}seed ${result.seed}; transcript: ${result.transcript ?? "none"})\n${notes}  report: ${relative(process.cwd(), page)}\n`);
    });

    for (const task of exercise.tasks) {
      for (const check of task.checks.filter((meta) => !meta.hidden)) {
        const name = exercise.tasks.length > 1 ? `${task.name}: ${label(check)}` : label(check);
        test(name, (context) => {
          const outcome: CheckResult | undefined = result?.checks.find((checked) => checked.id === check.id);
          if (!result || !outcome) throw new CheckFailed("grading did not produce a result for this check");
          if (!result.gradable) context.skip(`not gradable: ${result.reason ?? "unknown reason"}`);
          if (!outcome.ok) throw new CheckFailed(studentMessage(outcome, result));
        });
      }
    }
  });
}
